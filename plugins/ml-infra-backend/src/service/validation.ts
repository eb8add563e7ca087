import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { RunIdentity } from '@ml-infra-portal/plugin-ml-infra-common';
import semver from 'semver';
import { z } from 'zod';

/** A query string value as express hands it over. */
type QueryValue = unknown;

function single(name: string, value: QueryValue): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  // The OpenAPI validator hands over numbers for integer parameters.
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new InputError(
      `Query parameter '${name}' must be given once, as a string`,
    );
  }
  return value;
}

export function optionalParam(
  query: Record<string, QueryValue>,
  name: string,
): string | undefined {
  return single(name, query[name]);
}

export function requiredParam(
  query: Record<string, QueryValue>,
  name: string,
): string {
  const value = single(name, query[name]);
  if (value === undefined || value.trim() === '') {
    throw new InputError(`Missing required parameter '${name}'`);
  }
  return value.trim();
}

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

const PROVIDER = /^[A-Za-z0-9._-]{1,64}$/;

// A job name or matrix value: printable, no control characters (it ends up in lock keys and logs).
const LEG = /^[^\p{Cc}]{0,255}$/u;

export function validateRunIdentity(input: {
  provider?: unknown;
  runId?: unknown;
  attempt?: unknown;
  leg?: unknown;
}): RunIdentity {
  const provider =
    typeof input.provider === 'string' ? input.provider.trim() : '';
  if (!PROVIDER.test(provider)) {
    throw new InputError(
      `Invalid or missing 'provider' (run identity): 1-64 characters of letters, digits, '.', '_' or '-'`,
    );
  }
  const runId = typeof input.runId === 'string' ? input.runId.trim() : '';
  if (runId.length === 0 || runId.length > 255) {
    throw new InputError(
      `Invalid or missing 'runId' (run identity): 1-255 characters`,
    );
  }
  let attempt = typeof input.attempt === 'number' ? input.attempt : NaN;
  if (typeof input.attempt === 'string' && /^\d+$/.test(input.attempt)) {
    attempt = Number(input.attempt);
  }
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new InputError(
      `Invalid or missing 'attempt' (run identity): an integer of at least 1`,
    );
  }
  const leg = input.leg === undefined || input.leg === null ? '' : input.leg;
  if (typeof leg !== 'string' || !LEG.test(leg.trim())) {
    throw new InputError(
      `Invalid 'leg' (run identity): up to 255 characters without control characters`,
    );
  }
  return leg.trim()
    ? { provider, runId, attempt, leg: leg.trim() }
    : { provider, runId, attempt };
}

/** An ISO 8601 timestamp, or now when absent. */
export function parseTimestamp(
  value: string | undefined,
  field: string,
  now = new Date(),
): Date {
  if (value === undefined) {
    return now;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new InputError(
      `Invalid ${field} '${value}': expected an ISO 8601 timestamp`,
    );
  }
  return new Date(time);
}

/** Validates a JSON body, naming every offending field. */
export function parseBody<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issues = result.error.issues
      .map(issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid request body: ${issues}`);
  }
  return result.data;
}

export const runIdentitySchema = z.object({
  provider: z.string().min(1).max(64),
  runId: z.string().min(1).max(255),
  attempt: z.number().int().min(1),
  leg: z.string().max(255).regex(LEG, 'no control characters').optional(),
});
