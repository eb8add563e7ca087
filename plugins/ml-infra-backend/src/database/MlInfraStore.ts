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
  /** http(s) link to how to fix the rule, from the rule's metadata. */
  remediationUrl?: string;
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
  /** When the portal received it (server time). */
  deployedAt: string;
  /** The time the CI client claimed; data only. */
  reportedDeployedAt?: string;
  deployedBy?: string;
  /** The principal that reported it: a user entity ref or a service subject. */
  reportedBy?: string;
  runUrl?: string;
  run?: RunIdentity;
}

export interface SaveResult {
  id: string;
  replaced: boolean;
}

/** A run without its summary: what the module list and compliance overview need. */
export interface RunHead {
  id: string;
  entityRef: string;
  kind: RunKind;
  version?: string;
  environment?: string;
  status: string;
  reportedAt: string;
  attempt: number;
}

/** Policy findings of runs that decide a status: warned checks and failed results. */
export interface PolicyFindings {
  /** Sum of warned checks per run and severity. */
  warned: Array<{ runId: string; severity: string; checks: number }>;
  /** Failed results, one by one (waivers are matched on them at read time). */
  failed: StoredPolicyResult[];
  /** Runs that have at least one policy result of any outcome. */
  runsWithResults: string[];
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

  /**
   * Stores a tests run and its cases in one transaction. `cases` is an array or a source that
   * is read once per try (a report too large for memory streams from a spool). With
   * `latestAttemptWins`, of cases with the same suite and name only the last one is kept.
   */
  saveTestRun(
    run: NewRun,
    cases: NewTestCase[] | (() => AsyncIterable<NewTestCase>),
    options?: { latestAttemptWins?: boolean },
  ): Promise<SaveResult>;
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
    deployment: Omit<
      StoredDeployment,
      'id' | 'deployedAt' | 'reportedDeployedAt'
    > & {
      deployedAt: Date;
      reportedDeployedAt?: Date;
    },
  ): Promise<SaveResult>;
  listDeployments(entityRefs?: string[]): Promise<StoredDeployment[]>;

  listRuns(filter: RunFilter): Promise<StoredRun[]>;
  listTestCases(
    runIds: string[],
    options?: {
      /** Only failed and flaky cases (and skipped ones too with `withSkipped`). */
      failedOrFlakyOnly?: boolean;
      withSkipped?: boolean;
    },
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
  /** Entity ref and version of every release of the modules. */
  listReleaseVersions(
    entityRefs: string[],
  ): Promise<Array<{ entityRef: string; version: string }>>;
  /** The release of one version per module, where released. */
  listReleasesOfVersions(
    versions: Map<string, string | undefined>,
  ): Promise<Array<{ entityRef: string; version: string; releasedAt: string }>>;
  /** The most recent release time per module. */
  lastReleasedAt(
    entityRefs: string[],
  ): Promise<Array<{ entityRef: string; releasedAt: string }>>;
  /** Distinct versions seen in uploads of the given kinds, per module. */
  listRunVersions(
    entityRefs: string[],
    kinds: RunKind[],
  ): Promise<Array<{ entityRef: string; version: string }>>;
  /**
   * Runs (without summary) of the given kinds of one version per module (undefined: the runs
   * without a version), oldest first.
   */
  listRunHeadsOfVersions(
    versions: Map<string, string | undefined>,
    kinds: RunKind[],
  ): Promise<RunHead[]>;
  /** Runs (without summary) of a kind reported at or after `since`, oldest first. */
  listRunHeadsSince(
    entityRefs: string[],
    kind: RunKind,
    since: Date,
  ): Promise<RunHead[]>;
  /** The most recent report time of runs of the given kinds, per module. */
  lastReportedAt(
    entityRefs: string[],
    kinds: RunKind[],
  ): Promise<Array<{ entityRef: string; reportedAt: string }>>;
  /** The current deployment of each module and environment (the latest by time, then id). */
  listCurrentDeployments(entityRefs: string[]): Promise<StoredDeployment[]>;
  /** Releases whose latest test run did not pass (or that have no test run). */
  listUntestedReleases(entityRefs: string[]): Promise<
    Array<{
      entityRef: string;
      version: string;
      releasedAt: string;
      status?: string;
    }>
  >;
  /** Drift checks that found drift at or after `since` (without resources). */
  listDriftedChecksSince(
    entityRefs: string[],
    since: Date,
  ): Promise<StoredDriftCheck[]>;
  /** Warned counts, failed results and result presence of the given runs. */
  listPolicyFindings(runIds: string[]): Promise<PolicyFindings>;
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
