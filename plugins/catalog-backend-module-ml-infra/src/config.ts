import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** What the ML Infra catalog module reads from `mlInfra.catalog.statusProcessor`. */
export interface MlInfraCatalogConfig {
  /** Whether status is written onto module entities. */
  enabled: boolean;
  /** How long one read of all module statuses is reused by the processing loop. */
  refreshIntervalMs: number;
  /** How long one call to the ML Infra backend may take. */
  timeoutMs: number;
}

const KEY = 'mlInfra.catalog.statusProcessor';

function durationMs(config: Config | undefined, key: string, fallback: number) {
  return config?.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

/** Reads `mlInfra.catalog.statusProcessor`; every key is optional. */
export function readMlInfraCatalogConfig(config: Config): MlInfraCatalogConfig {
  // `catalog.providers` is the namespace of entity providers; this module is a processor.
  if (config.has('catalog.providers.mlInfra')) {
    throw new Error(
      `catalog.providers.mlInfra is no longer read; move its keys to ${KEY}`,
    );
  }
  const section = config.getOptionalConfig(KEY);
  return {
    enabled: section?.getOptionalBoolean('enabled') ?? true,
    refreshIntervalMs: durationMs(section, 'refreshInterval', 60_000),
    timeoutMs: durationMs(section, 'timeout', 30_000),
  };
}
