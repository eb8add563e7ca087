import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DRIFT,
  ANNOTATION_LATEST_VERSION,
  ANNOTATION_POLICY,
  ANNOTATION_TESTS,
  ML_INFRA_MODULE_TYPE,
  ModuleSummary,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { createMlInfraServiceClient } from '@ml-infra-portal/plugin-ml-infra-node';

const CACHE_KEY = 'moduleStatus';
/** Kubernetes-style label values: at most 63 characters, alphanumeric at both ends. */
const LABEL_VALUE_MAX = 63;

type ModuleStatus = Pick<
  ModuleSummary,
  'drift' | 'policy' | 'tests' | 'latestVersion'
>;

/**
 * Turns a value into a valid label value (at most 63 characters of `[A-Za-z0-9._-]`,
 * alphanumeric at both ends); undefined when nothing label-safe remains.
 */
export function toLabelValue(value: string): string | undefined {
  const safe = value
    .trim()
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, LABEL_VALUE_MAX)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return safe || undefined;
}

/** A version as a label value: `v1.4.0` → `1.4.0`, `1.5.0-rc.1+build.7` → `1.5.0-rc.1_build.7`. */
export function toVersionLabel(version: string): string | undefined {
  return toLabelValue(version.trim().replace(/^v(?=\d)/, ''));
}

function isModuleStatus(value: unknown): value is ModuleStatus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.drift === 'string' &&
    typeof v.policy === 'string' &&
    typeof v.tests === 'string' &&
    (v.latestVersion === undefined || typeof v.latestVersion === 'string')
  );
}

/** Largest page the list route serves. */
const PAGE_SIZE = 500;

/** Every module's status, as one read of the module list found it. */
interface StatusSnapshot {
  byRef: Map<string, ModuleStatus>;
}

/**
 * Writes the ML Infra status of `terraform-module` Components onto the entity as labels and
 * annotations (`ml-infra.io/drift`, `ml-infra.io/policy`, `ml-infra.io/tests`,
 * `ml-infra.io/latest-version`), so catalog filters such as
 * `metadata.labels.ml-infra.io/drift=drifted` work.
 *
 * The statuses come from the ML Infra backend's module list, read once per refresh interval and
 * shared by every entity of the processing loop (not one call per entity per loop). A module the
 * backend does not list is left as is. When the backend cannot be reached the last known status
 * (from the processing cache) is used, so labels do not flap; catalog processing never fails
 * because of it.
 */
export class MlInfraStatusProcessor implements CatalogProcessor {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private readonly refreshIntervalMs: number;
  private readonly timeoutMs?: number;
  private readonly now: () => number;
  private pending?: { startedAt: number; result: Promise<StatusSnapshot> };

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
    /** How long one read of the module list is reused (default 1 minute). */
    refreshIntervalMs?: number;
    /** How long one call to the backend may take (default that of the service client). */
    timeoutMs?: number;
    /** Clock (tests). */
    now?: () => number;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.logger = options.logger;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 60_000;
    this.timeoutMs = options.timeoutMs;
    this.now = options.now ?? Date.now;
  }

  getProcessorName(): string {
    return 'MlInfraStatusProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    _emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    if (
      entity.kind !== 'Component' ||
      entity.spec?.type !== ML_INFRA_MODULE_TYPE
    ) {
      return entity;
    }
    let status: ModuleStatus | undefined;
    try {
      status = (await this.statuses()).byRef.get(this.refOf(entity));
      if (status) {
        await cache.set(CACHE_KEY, { ...status });
      }
    } catch (error) {
      const cached = await cache.get(CACHE_KEY);
      status = isModuleStatus(cached) ? cached : undefined;
      this.logger.warn(
        `Could not read ML Infra status of ${this.refOf(entity)}${
          status ? '; keeping the last known status' : ''
        }: ${error}`,
      );
    }
    return status ? this.withStatus(entity, status) : entity;
  }

  private refOf(entity: Entity): string {
    return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  }

  /**
   * One read of every status per refresh interval, shared by all entities of the loop. A failed
   * read is not retried before the interval is over either: a backend that is down gets one call
   * per interval, and the entities keep their last known status meanwhile.
   */
  private statuses(): Promise<StatusSnapshot> {
    if (
      !this.pending ||
      this.now() - this.pending.startedAt >= this.refreshIntervalMs
    ) {
      this.pending = { startedAt: this.now(), result: this.readStatuses() };
    }
    return this.pending.result;
  }

  private async readStatuses(): Promise<StatusSnapshot> {
    const client = await createMlInfraServiceClient({
      auth: this.auth,
      discovery: this.discovery,
      timeoutMs: this.timeoutMs,
    });
    const byRef = new Map<string, ModuleStatus>();
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const { data } = await client.GET('/modules', {
        params: { query: { offset, limit: PAGE_SIZE } },
      });
      if (!data || !Array.isArray(data.items)) {
        throw new Error('the response is not a module list');
      }
      for (const item of data.items) {
        const entityRef: unknown = item?.entityRef;
        if (!isModuleStatus(item) || typeof entityRef !== 'string') {
          throw new Error(
            `the status of ${String(entityRef)} is not a module summary`,
          );
        }
        byRef.set(entityRef.toLocaleLowerCase('en-US'), {
          drift: item.drift,
          policy: item.policy,
          tests: item.tests,
          latestVersion: item.latestVersion,
        });
      }
      if (
        data.items.length < PAGE_SIZE ||
        offset + PAGE_SIZE >= data.totalCount
      ) {
        return { byRef };
      }
    }
  }

  private withStatus(entity: Entity, status: ModuleStatus): Entity {
    const values: Record<string, string | undefined> = {
      [ANNOTATION_DRIFT]: status.drift,
      [ANNOTATION_POLICY]: status.policy,
      [ANNOTATION_TESTS]: status.tests,
    };
    const labels: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      const safe = value && toLabelValue(value);
      if (safe) {
        labels[key] = safe;
        annotations[key] = value;
      }
    }
    if (status.latestVersion) {
      annotations[ANNOTATION_LATEST_VERSION] = status.latestVersion;
      const safe = toVersionLabel(status.latestVersion);
      if (safe) {
        labels[ANNOTATION_LATEST_VERSION] = safe;
      }
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        labels: { ...entity.metadata.labels, ...labels },
        annotations: { ...entity.metadata.annotations, ...annotations },
      },
    };
  }
}
