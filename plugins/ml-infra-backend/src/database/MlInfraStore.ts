import type {
  DriftResource,
  PolicyOutcome,
  RunIdentity,
  Severity,
  Waiver,
  WaiverAuditEvent,
  WaiverStatus,
} from '@ml-infra-portal/plugin-ml-infra-common';

export type RunKind = 'tests' | 'policy' | 'drift' | 'ci';

/** What every stored upload carries. */
export interface NewRun {
  entityRef: string;
  kind: RunKind;
  run: RunIdentity;
  version?: string;
  environment?: string;
  format?: string;
  status: string;
  reportedAt: Date;
  summary: Record<string, unknown>;
}

export interface StoredRun extends Omit<NewRun, 'reportedAt'> {
  id: string;
  reportedAt: string;
}

export interface NewTestCase {
  name: string;
  suite: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  output?: string;
  outputTruncated?: boolean;
  attempts: number;
  flaky: boolean;
}

export interface StoredTestCase extends NewTestCase {
  runId: string;
}

export interface NewPolicyResult {
  rule: string;
  control?: string;
  severity: Severity;
  outcome: Exclude<PolicyOutcome, 'waived'>;
  message?: string;
  resource?: string;
  filename?: string;
  count: number;
}

export interface StoredPolicyResult extends NewPolicyResult {
  runId: string;
}

export interface StoredDriftCheck {
  runId: string;
  entityRef: string;
  environment: string;
  checkedAt: string;
  driftedResources: number;
  resources?: DriftResource[];
}

export interface StoredRelease {
  entityRef: string;
  version: string;
  gitSha?: string;
  changelog?: string;
  releasedAt: string;
  run?: RunIdentity;
}

export interface StoredDeployment {
  id: string;
  entityRef: string;
  environment: string;
  version: string;
  action: 'deploy' | 'rollback';
  deployedAt: string;
  deployedBy?: string;
  runUrl?: string;
  run?: RunIdentity;
}

export interface SaveResult {
  id: string;
  replaced: boolean;
}

/** Filter on stored rows; `entityRefs` undefined means every module. */
export interface RunFilter {
  entityRefs?: string[];
  kind?: RunKind;
  version?: string;
}

/**
 * Persistence of the ML Infra backend. Every save is one transaction; a save with a run identity
 * already stored for the same module replaces that run, for another module it is a conflict.
 */
export interface MlInfraStore {
  registerModule(
    entityRef: string,
    environments?: string[],
  ): Promise<{ created: boolean }>;
  getModule(
    entityRef: string,
  ): Promise<{ entityRef: string; environments?: string[] } | undefined>;
  listModules(
    entityRefs?: string[],
  ): Promise<Array<{ entityRef: string; environments?: string[] }>>;

  saveTestRun(run: NewRun, cases: NewTestCase[]): Promise<SaveResult>;
  savePolicyRun(run: NewRun, results: NewPolicyResult[]): Promise<SaveResult>;
  saveDriftCheck(run: NewRun, resources: DriftResource[]): Promise<SaveResult>;
  saveCiRun(run: NewRun): Promise<SaveResult>;

  upsertRelease(
    release: Omit<StoredRelease, 'releasedAt'> & { releasedAt: Date },
  ): Promise<SaveResult>;
  getRelease(
    entityRef: string,
    version: string,
  ): Promise<StoredRelease | undefined>;
  listReleases(entityRefs?: string[]): Promise<StoredRelease[]>;

  addDeployment(
    deployment: Omit<StoredDeployment, 'id' | 'deployedAt'> & {
      deployedAt: Date;
    },
  ): Promise<SaveResult>;
  listDeployments(entityRefs?: string[]): Promise<StoredDeployment[]>;

  listRuns(filter: RunFilter): Promise<StoredRun[]>;
  listTestCases(
    runIds: string[],
    options?: { failedOrFlakyOnly?: boolean },
  ): Promise<StoredTestCase[]>;
  listPolicyResults(
    runIds: string[],
    options?: { outcomes?: string[] },
  ): Promise<StoredPolicyResult[]>;
  countPolicyResults(
    runIds: string[],
  ): Promise<
    Array<{ runId: string; outcome: string; severity: string; checks: number }>
  >;
  listDriftChecks(options: {
    entityRefs?: string[];
    withResources?: boolean;
    /** Only the most recent check of each module and environment. */
    latestOnly?: boolean;
  }): Promise<StoredDriftCheck[]>;

  createWaiver(
    waiver: Omit<
      Waiver,
      'id' | 'status' | 'decidedBy' | 'decidedAt' | 'decisionComment'
    >,
  ): Promise<Waiver>;
  getWaiver(id: string): Promise<Waiver | undefined>;
  listWaivers(filter: {
    entityRefs?: string[];
    statuses?: WaiverStatus[];
  }): Promise<Waiver[]>;
  /**
   * Moves a waiver from one of `from` to `to` and records the audit event, atomically;
   * undefined when the waiver was not in one of `from` (someone else decided first).
   */
  decideWaiver(
    id: string,
    from: WaiverStatus[],
    to: WaiverStatus,
    event: Omit<WaiverAuditEvent, 'waiverId'>,
  ): Promise<Waiver | undefined>;
  listWaiverAudit(id: string): Promise<WaiverAuditEvent[]>;
  /** Marks approved waivers past their expiry as expired, recording one audit event each. */
  expireWaivers(now: Date): Promise<Waiver[]>;
}
