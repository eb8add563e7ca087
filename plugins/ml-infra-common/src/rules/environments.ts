import { DEFAULT_ENVIRONMENTS } from '../constants';

/**
 * The promotion order of environments, from `mlInfra.environments` (default dev, staging, prod).
 * Backend, frontend and catalog module all read it here, so they never disagree on the order.
 */
export function readEnvironments(config: {
  getOptionalStringArray(key: string): string[] | undefined;
}): string[] {
  const environments =
    config.getOptionalStringArray('mlInfra.environments') ??
    DEFAULT_ENVIRONMENTS;
  if (
    environments.length === 0 ||
    new Set(environments).size !== environments.length
  ) {
    throw new Error(
      'mlInfra.environments must list at least one environment, each once',
    );
  }
  return environments;
}
