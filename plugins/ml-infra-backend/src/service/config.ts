import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { HumanDuration } from '@backstage/types';
import {
  DEFAULT_WAIVER_MAX_DAYS,
  isSeverity,
  readEnvironments,
  SEVERITIES,
  Severity,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from '../parsers/types';
import { DEFAULT_MODULE_CACHE_TTL_MS } from './ModuleCatalog';

/** The backend's settings, read once from `mlInfra.*`. */
export interface MlInfraConfig {
  environments: string[];
  ingestion: {
    maxBodyBytes: number;
    limits: ParseLimits;
  };
  gate: {
    mandatorySeverities: Severity[];
    minSoakHours: number;
    /** Missing evidence (no policy results, no drift check) fails the gate. */
    requireEvidence: boolean;
  };
  waivers: {
    maxDurationDays: number;
    /** How often the scheduled task records expired waivers (once across all replicas). */
    expiryCheckFrequency: HumanDuration;
  };
  catalog: {
    /** How long the module list read from the catalog is reused, in milliseconds. */
    moduleCacheTtlMs: number;
  };
}

// A Terratest log of a gigabyte is a real upload: bodies stream through the parser and cases
// spool to disk, so the size is bounded for time and disk, not memory.
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024 * 1024;

export function readMlInfraConfig(config: Config): MlInfraConfig {
  const root = config.getOptionalConfig('mlInfra');
  const environments = readEnvironments(config);
  const ingestion = root?.getOptionalConfig('ingestion');
  const maxBodyBytes =
    ingestion?.getOptionalNumber('maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES;
  if (!(maxBodyBytes > 0)) {
    throw new Error(
      'mlInfra.ingestion.maxBodyBytes must be a positive number of bytes',
    );
  }
  const limits: ParseLimits = { ...DEFAULT_PARSE_LIMITS };
  for (const key of Object.keys(DEFAULT_PARSE_LIMITS) as Array<
    keyof ParseLimits
  >) {
    const value = ingestion?.getOptionalNumber(key);
    if (value !== undefined) {
      limits[key] = value;
    }
  }
  const gate = root?.getOptionalConfig('gate');
  const mandatorySeverities = (gate?.getOptionalStringArray(
    'mandatorySeverities',
  ) ?? ['critical', 'high']) as Severity[];
  for (const severity of mandatorySeverities) {
    if (!isSeverity(severity)) {
      throw new Error(
        `mlInfra.gate.mandatorySeverities: unknown severity '${severity}', expected one of ${SEVERITIES.join(
          ', ',
        )}`,
      );
    }
  }
  const minSoakHours = gate?.getOptionalNumber('minSoakHours') ?? 24;
  if (minSoakHours < 0) {
    throw new Error('mlInfra.gate.minSoakHours must be 0 or more');
  }
  const maxDurationDays =
    root?.getOptionalNumber('waivers.maxDurationDays') ??
    DEFAULT_WAIVER_MAX_DAYS;
  if (!(maxDurationDays > 0)) {
    throw new Error('mlInfra.waivers.maxDurationDays must be positive');
  }
  const expiryKey = 'waivers.expiryCheckFrequency';
  const expiryCheckFrequency: HumanDuration = root?.has(expiryKey)
    ? readDurationFromConfig(root, { key: expiryKey })
    : { minutes: 5 };
  const cacheTtlKey = 'catalog.moduleCacheTtl';
  const moduleCacheTtlMs = root?.has(cacheTtlKey)
    ? durationToMilliseconds(readDurationFromConfig(root, { key: cacheTtlKey }))
    : DEFAULT_MODULE_CACHE_TTL_MS;
  return {
    environments,
    ingestion: { maxBodyBytes, limits },
    gate: {
      mandatorySeverities,
      minSoakHours,
      requireEvidence: gate?.getOptionalBoolean('requireEvidence') ?? true,
    },
    waivers: { maxDurationDays, expiryCheckFrequency },
    catalog: { moduleCacheTtlMs },
  };
}
