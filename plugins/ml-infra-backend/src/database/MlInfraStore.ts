import type {
  Deployment,
  DriftResource,
  RunIdentity,
  Waiver,
  WaiverAuditEvent,
  WaiverStatus,
} from '@ml-infra-portal/plugin-ml-infra-common';
import type { ParsedPolicyResult, ParsedTestCase } from '../parsers/types';

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

/** A test case as a parser reads it; its JUnit properties are not stored. */
export type NewTestCase = Omit<ParsedTestCase, 'properties'>;

export interface StoredTestCase extends NewTestCase {
  runId: string;
}

/** A policy result as a parser reads it, counted; its line is not stored. */
export type NewPolicyResult = Omit<ParsedPolicyResult, 'line'> & {
  count: number;
};

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

/** A deployment as the API serves it, with its module and id. */
export interface StoredDeployment extends Deployment {
  id: string;
  entityRef: string;
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

/**
 * What the module list and the compliance overview read of one module: its status projected
 * from history, kept by the store in the transaction of every write that changes it.
 */
export interface ModuleStatus {
  latest?: string;
  /** Release time of the latest version, when released. */
  latestReleasedAt?: string;
  /** Most recent release. */
  lastReleasedAt?: string;
  /** The latest test run of the latest version. */
  testRun?: RunHead;
  /** The latest policy run per environment of the latest version. */
  policyRuns: RunHead[];
  /** Findings of `policyRuns`, failed results in the order they were stored. */
  findings: PolicyFindings;
  /** Most recent test or policy upload. */
  lastReported?: string;
  /** Current deployment per environment. */
  deployments: StoredDeployment[];
  /** Latest drift check per environment, without resources. */
  latestChecks: StoredDriftCheck[];
  /** When the drift of a drifted environment began, by environment. */
  driftedSince: Record<string, string>;
  /** Environments the module was registered with, when restricted. */
  environments?: string[];
  /** Every waiver of the module, newest request first. */
  waivers: Waiver[];
  /** Releases whose latest test run did not pass (or that have none). */
  untested: Array<{ version: string; releasedAt: string; status?: string }>;
}

/** A policy run with its findings, as the compliance trend reads it. */
export interface TrendRun {
  run: RunHead;
  findings: PolicyFindings;
}

/** Filter on stored rows; `entityRefs` undefined means every module. */
export interface RunFilter {
  entityRefs?: string[];
  kind?: RunKind;
  version?: string;
}

/** Modules a read covers; absent means every module. */
export interface ModuleFilter {
  entityRefs?: string[];
}

/** The modules a read covers. */
export interface OfModules {
  entityRefs: string[];
}

/** The runs a read covers. */
export interface OfRuns {
  runIds: string[];
}

/** One version per module (undefined: the runs without a version). */
export interface OfVersions {
  versions: Map<string, string | undefined>;
}

export interface OfKinds {
  kinds: RunKind[];
}

/** A deployment as CI reports it; the store gives it its id. */
export type NewDeployment = Omit<
  StoredDeployment,
  'id' | 'deployedAt' | 'reportedDeployedAt'
> & {
  deployedAt: Date;
  reportedDeployedAt?: Date;
};

/**
 * Persistence of the ML Infra backend. Reads take one options object. Every save is one transaction; a save with a run identity
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
    options?: ModuleFilter,
  ): Promise<Array<{ entityRef: string; environments?: string[] }>>;

  /**
   * Stores a tests run and its cases in one transaction. `cases` is an array or a source of
   * batches that is read once per try (a report too large for memory streams from a spool).
   * With `latestAttemptWins`, of cases with the same suite and name only the last one is kept.
   */
  saveTestRun(
    run: NewRun,
    cases: NewTestCase[] | (() => AsyncIterable<NewTestCase[]>),
    options?: { latestAttemptWins?: boolean },
  ): Promise<SaveResult>;
  savePolicyRun(run: NewRun, results: NewPolicyResult[]): Promise<SaveResult>;
  saveDriftCheck(run: NewRun, resources: DriftResource[]): Promise<SaveResult>;
  saveCiRun(run: NewRun): Promise<SaveResult>;

  upsertRelease(
    release: Omit<StoredRelease, 'releasedAt'> & { releasedAt: Date },
  ): Promise<SaveResult>;
  getRelease(options: {
    entityRef: string;
    version: string;
  }): Promise<StoredRelease | undefined>;
  listReleases(options?: ModuleFilter): Promise<StoredRelease[]>;

  addDeployment(deployment: NewDeployment): Promise<SaveResult>;
  listDeployments(options?: ModuleFilter): Promise<StoredDeployment[]>;

  listRuns(filter: RunFilter): Promise<StoredRun[]>;
  listTestCases(
    options: OfRuns & {
      /** Only failed and flaky cases (and skipped ones too with `withSkipped`). */
      failedOrFlakyOnly?: boolean;
      withSkipped?: boolean;
    },
  ): Promise<StoredTestCase[]>;
  listPolicyResults(
    options: OfRuns & { outcomes?: string[] },
  ): Promise<StoredPolicyResult[]>;
  countPolicyResults(
    options: OfRuns,
  ): Promise<
    Array<{ runId: string; outcome: string; severity: string; checks: number }>
  >;
  /** Entity ref and version of every release of the modules. */
  listReleaseVersions(
    options: OfModules,
  ): Promise<Array<{ entityRef: string; version: string }>>;
  /** The release of one version per module, where released. */
  listReleasesOfVersions(
    options: OfVersions,
  ): Promise<Array<{ entityRef: string; version: string; releasedAt: string }>>;
  /** The most recent release time per module. */
  lastReleasedAt(
    options: OfModules,
  ): Promise<Array<{ entityRef: string; releasedAt: string }>>;
  /** Distinct versions seen in uploads of the given kinds, per module. */
  listRunVersions(
    options: OfModules & OfKinds,
  ): Promise<Array<{ entityRef: string; version: string }>>;
  /**
   * Runs (without summary) of the given kinds of one version per module (undefined: the runs
   * without a version), oldest first.
   */
  listRunHeadsOfVersions(options: OfVersions & OfKinds): Promise<RunHead[]>;
  /** Runs (without summary) of a kind reported at or after `since`, oldest first. */
  listRunHeadsSince(
    options: OfModules & { kind: RunKind; since: Date },
  ): Promise<RunHead[]>;
  /** The most recent report time of runs of the given kinds, per module. */
  lastReportedAt(
    options: OfModules & OfKinds,
  ): Promise<Array<{ entityRef: string; reportedAt: string }>>;
  /** The current deployment of each module and environment (the latest by time, then id). */
  listCurrentDeployments(options: OfModules): Promise<StoredDeployment[]>;
  /** Releases whose latest test run did not pass (or that have no test run). */
  listUntestedReleases(options: OfModules): Promise<
    Array<{
      entityRef: string;
      version: string;
      releasedAt: string;
      status?: string;
    }>
  >;
  /** Drift checks that found drift at or after `since` (without resources). */
  listDriftedChecksSince(
    options: OfModules & { since: Date },
  ): Promise<StoredDriftCheck[]>;
  /** Warned counts, failed results and result presence of the given runs. */
  listPolicyFindings(options: OfRuns): Promise<PolicyFindings>;
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

  /** The projected status of the modules that have any history (others have none). */
  listModuleStatuses(options: OfModules): Promise<Map<string, ModuleStatus>>;
  /** Policy runs reported at or after `since` with their findings, oldest first. */
  listPolicyTrend(options: OfModules & { since: Date }): Promise<TrendRun[]>;
  /**
   * Recomputes the projection (module status, policy trend rows) of the given modules from
   * history, or of every module; with `missingOnly`, only rows not computed yet.
   */
  rebuildStatus(options?: {
    entityRefs?: string[];
    missingOnly?: boolean;
  }): Promise<number>;
}
