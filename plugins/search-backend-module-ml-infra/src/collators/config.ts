import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

const CONFIG_KEY = 'search.collators.mlInfra';

export interface MlInfraCollatorConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  batchSize: number;
}

/**
 * Results reach the backend from CI at any time; a short interval keeps search close to what the
 * module pages show without re-reading the catalog on every request.
 */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};
const DEFAULT_BATCH_SIZE = 100;
/** The ML Infra module list API serves at most this many modules per page. */
const MAX_BATCH_SIZE = 500;

/** Reads `search.collators.mlInfra`; a malformed value is an InputError naming the key. */
export function readMlInfraCollatorConfig(root: Config): MlInfraCollatorConfig {
  const config = root.getOptionalConfig(CONFIG_KEY);
  let schedule = DEFAULT_SCHEDULE;
  const scheduleConfig = config?.getOptionalConfig('schedule');
  if (scheduleConfig) {
    try {
      schedule =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
    } catch (error) {
      throw new InputError(
        `Invalid schedule at ${CONFIG_KEY}.schedule: ${error}`,
      );
    }
  }
  const batchSize =
    config?.getOptionalNumber('batchSize') ?? DEFAULT_BATCH_SIZE;
  if (
    !Number.isInteger(batchSize) ||
    batchSize < 1 ||
    batchSize > MAX_BATCH_SIZE
  ) {
    throw new InputError(
      `Invalid ${CONFIG_KEY}.batchSize ${batchSize}: expected an integer from 1 to ${MAX_BATCH_SIZE}`,
    );
  }
  return { schedule, batchSize };
}
