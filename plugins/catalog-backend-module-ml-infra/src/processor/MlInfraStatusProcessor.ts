import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
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

const CACHE_KEY = 'moduleStatus';
/** Kubernetes-style label values: at most 63 characters, alphanumeric at both ends. */
const LABEL_VALUE_MAX = 63;

type ModuleStatus = Pick<ModuleSummary, 'drift' | 'policy' | 'tests' | 'latestVersion'>;

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

/**
 * Writes the ML Infra status of `terraform-module` Components onto the entity as labels and
 * annotations (`ml-infra.io/drift`, `ml-infra.io/policy`, `ml-infra.io/tests`,
 * `ml-infra.io/latest-version`), so catalog filters such as
 * `metadata.labels.ml-infra.io/drift=drifted` work.
 *
 * The status comes from the ML Infra backend. A module it does not know (404) is left as is.
 * When the backend cannot be reached the last known status (from the processing cache) is
 * used, so labels do not flap; catalog processing never fails because of it.
 */
export class MlInfraStatusProcessor implements CatalogProcessor {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.logger = options.logger;
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
    if (entity.kind !== 'Component' || entity.spec?.type !== ML_INFRA_MODULE_TYPE) {
      return entity;
    }
    let status: ModuleStatus | undefined;
    try {
      status = await this.fetchStatus(entity);
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
    const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
    return `${entity.kind.toLocaleLowerCase('en-US')}:${namespace}/${entity.metadata.name}`;
  }

  /** The module's status, or undefined when the backend does not know the module. */
  private async fetchStatus(entity: Entity): Promise<ModuleStatus | undefined> {
    const baseUrl = await this.discovery.getBaseUrl('ml-infra');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'ml-infra',
    });
    const path = [
      entity.kind.toLocaleLowerCase('en-US'),
      entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      entity.metadata.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    const response = await fetch(`${baseUrl}/modules/${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body: unknown = await response.json();
    if (!isModuleStatus(body)) {
      throw new Error('the response is not a module summary (drift, policy, tests)');
    }
    return {
      drift: body.drift,
      policy: body.policy,
      tests: body.tests,
      latestVersion: body.latestVersion,
    };
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
