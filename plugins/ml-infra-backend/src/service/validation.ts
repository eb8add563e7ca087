import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { RunIdentity } from '@ml-infra-portal/plugin-ml-infra-common';
import semver from 'semver';

/** Normalises to the lowercased `kind:namespace/name` the backend keys everything on. */
export function normalizeEntityRef(value: string, field = 'entityRef'): string {
  try {
    const ref = parseEntityRef(value.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `Invalid ${field} '${value}', expected [kind:][namespace/]name, e.g. component:default/gpu-cluster`,
    );
  }
}

/** Semver, a leading `v` allowed and stripped. */
export function normalizeVersion(value: string, field = 'version'): string {
  const version = semver.valid(value.trim());
  if (!version) {
    throw new InputError(
      `Invalid ${field} '${value}': not a semantic version (e.g. 1.4.0 or v1.4.0)`,
    );
  }
  return version;
}

export function requireEnvironment(
  value: string,
  environments: string[],
  field = 'environment',
): string {
  if (!environments.includes(value)) {
    throw new InputError(
      `Unknown ${field} '${value}'; configured environments (mlInfra.environments) are: ${environments.join(
        ', ',
      )}`,
    );
  }
  return value;
}

/**
 * The run identity as stored: the spec has checked each part (openapi.yaml `RunIdentity`); this
 * only trims, and leaves out a blank leg (stored as '').
 */
export function normalizeRunIdentity(input: RunIdentity): RunIdentity {
  const run = {
    provider: input.provider,
    runId: input.runId.trim(),
    attempt: Number(input.attempt),
  };
  const leg = input.leg?.trim();
  return leg ? { ...run, leg } : run;
}
