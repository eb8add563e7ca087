import type {
  RunIdentity,
  Waiver,
  WaiverStatus,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  RunHead,
  StoredDeployment,
  StoredDriftCheck,
  StoredPolicyResult,
  StoredRun,
} from './MlInfraStore';

/* How the store's rows read back as the store's types, on both engines. */

/**
 * Orders ISO timestamps as `toISOString` writes them (one format, so by code unit): what
 * `localeCompare` gives for them, without a collation per comparison.
 */
export function compareIso(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Both engines hand timestamps back differently (Date, epoch number, string). */
export function toIso(value: unknown): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number') {
    return new Date(value).toISOString();
  }
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text).toISOString();
}

export function optionalIso(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : toIso(value);
}

export function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export function runIdentity(row: {
  provider?: string | null;
  run_id?: string | null;
  attempt?: number | null;
  leg?: string | null;
}): RunIdentity | undefined {
  if (!row.provider || !row.run_id || !row.attempt) {
    return undefined;
  }
  return {
    provider: row.provider,
    runId: row.run_id,
    attempt: Number(row.attempt),
    ...(row.leg ? { leg: row.leg } : {}),
  };
}

export type RunRow = {
  id: string;
  entity_ref: string;
  kind: string;
  provider: string;
  run_id: string;
  attempt: number;
  leg: string;
  version: string | null;
  environment: string | null;
  format: string | null;
  status: string;
  reported_at: unknown;
  summary: string;
};

export type WaiverRow = {
  id: string;
  entity_ref: string;
  rule: string;
  environment: string | null;
  resource: string | null;
  justification: string;
  requested_by: string;
  requested_at: unknown;
  expires_at: unknown;
  status: string;
  decided_by: string | null;
  decided_at: unknown;
  decision_comment: string | null;
  version?: string | null;
};

export function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    kind: row.kind as StoredRun['kind'],
    run: runIdentity(row)!,
    version: opt(row.version),
    environment: opt(row.environment),
    format: opt(row.format),
    status: row.status,
    reportedAt: toIso(row.reported_at),
    summary: JSON.parse(row.summary),
  };
}

export const RUN_HEAD_COLUMNS = [
  'id',
  'entity_ref',
  'kind',
  'version',
  'environment',
  'status',
  'reported_at',
  'attempt',
];

export function toRunHead(row: any): RunHead {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    kind: row.kind,
    version: opt(row.version),
    environment: opt(row.environment),
    status: row.status,
    reportedAt: toIso(row.reported_at),
    attempt: Number(row.attempt),
  };
}

/** Oldest first, as {@link DatabaseMlInfraStore.listRuns} orders runs. */
export function byReportedAt(a: RunHead, b: RunHead): number {
  return compareIso(a.reportedAt, b.reportedAt) || a.attempt - b.attempt;
}

export const DRIFT_CHECK_COLUMNS = [
  'run_id',
  'entity_ref',
  'environment',
  'checked_at',
  'drifted_resources',
];

/** A drift check row; `resources` only where the query selected them. */
export function toDriftCheck(row: any): StoredDriftCheck {
  return {
    runId: row.run_id,
    entityRef: row.entity_ref,
    environment: row.environment,
    checkedAt: toIso(row.checked_at),
    driftedResources: Number(row.drifted_resources),
    resources: row.resources ? JSON.parse(row.resources) : undefined,
  };
}

export function byCheckedAt(a: StoredDriftCheck, b: StoredDriftCheck): number {
  return compareIso(a.checkedAt, b.checkedAt);
}

/** A policy result row; columns the query did not select stay undefined. */
export function toPolicyResult(row: any): StoredPolicyResult {
  return {
    runId: row.run_id,
    rule: row.rule,
    control: opt(row.control),
    severity: row.severity,
    outcome: row.outcome,
    message: opt(row.message),
    resource: opt(row.resource),
    filename: opt(row.filename),
    remediationUrl: opt(row.remediation_url),
    count: Number(row.count),
  };
}

export function toDeployment(row: any): StoredDeployment {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    action: row.action,
    deployedAt: toIso(row.deployed_at),
    reportedDeployedAt: optionalIso(row.reported_deployed_at),
    deployedBy: opt(row.deployed_by),
    reportedBy: opt(row.reported_by),
    runUrl: opt(row.run_url),
    run: runIdentity(row),
  };
}

export function toWaiver(row: WaiverRow): Waiver {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    rule: row.rule,
    environment: opt(row.environment),
    version: opt(row.version),
    resource: opt(row.resource),
    justification: row.justification,
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    expiresAt: toIso(row.expires_at),
    status: row.status as WaiverStatus,
    decidedBy: opt(row.decided_by),
    decidedAt: optionalIso(row.decided_at),
    decisionComment: opt(row.decision_comment),
  };
}
