/*
 * Domain types shared by the ML Infra backend, frontend and CI clients.
 * The OpenAPI document in plugins/ml-infra-backend/src/schema/openapi.yaml describes the same shapes
 * on the wire; keep the two in step.
 */

/** Status of one aspect (tests, policy, drift) of a module, version or environment. */
export type TestStatus = 'passed' | 'failed' | 'unknown';
/** Policy outcome; a waived failure is `waived`, never `passed`. */
export type PolicyOutcome = 'passed' | 'warned' | 'failed' | 'waived';
export type PolicyStatus = PolicyOutcome | 'unknown';
export type DriftStatus = 'drifted' | 'clean' | 'unknown';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Identity of a CI run: sending the same identity again replaces what it stored. */
export interface RunIdentity {
  provider: string;
  runId: string;
  attempt: number;
  /**
   * The leg of the run that sent the upload (job name, matrix environment): the matrix legs of
   * one workflow run each keep their upload. Absent (stored as '') for clients that send none.
   */
  leg?: string;
}

export interface TestTotals {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** One environment of a module as seen in the module list. */
export interface ModuleEnvironmentSummary {
  environment: string;
  version?: string;
  deployedAt?: string;
  drift: DriftStatus;
  driftedSince?: string;
}

export interface ModuleSummary {
  entityRef: string;
  title?: string;
  description?: string;
  owner?: string;
  system?: string;
  goldenPath?: string;
  latestVersion?: string;
  latestReleasedAt?: string;
  environments: ModuleEnvironmentSummary[];
  drift: DriftStatus;
  policy: PolicyStatus;
  tests: TestStatus;
  /** Failed (not waived) policy results on the latest version. */
  failingPolicies: number;
  updatedAt?: string;
}

export interface ModuleListResponse {
  items: ModuleSummary[];
  totalCount: number;
  environments: string[];
}

export interface ModuleListQuery {
  owner?: string;
  /**
   * `healthy` needs evidence: a module nothing was reported for is `not-reported`. With
   * `environment`, drift is that environment's.
   */
  status?:
    | 'drifted'
    | 'policy-failed'
    | 'tests-failed'
    | 'healthy'
    | 'not-reported';
  environment?: string;
  goldenPath?: string;
  search?: string;
  sort?: 'name' | 'owner' | 'latestVersion' | 'updatedAt';
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface PolicyCounts {
  passed: number;
  warned: number;
  failed: number;
  waived: number;
}

/** A released version with its evidence. */
export interface ModuleVersion {
  version: string;
  gitSha?: string;
  changelog?: string;
  releasedAt: string;
  tests: TestStatus;
  testTotals?: TestTotals;
  policy: PolicyStatus;
  policyCounts: PolicyCounts;
  /** Environments this version currently runs in. */
  environments: string[];
}

export interface Deployment {
  environment: string;
  version: string;
  action: 'deploy' | 'rollback';
  /** When the portal received it: the gate's soak time counts from here. */
  deployedAt: string;
  /** What the CI client claimed as the deployment time (data only). */
  reportedDeployedAt?: string;
  /** The signed-in user who reported it, else what the CI client claimed: show it as text then. */
  deployedBy?: string;
  /** The principal that reported it: a user entity ref, or a service subject. */
  reportedBy?: string;
  runUrl?: string;
  run?: RunIdentity;
}

/** Version x environment matrix with promotion history. */
export interface EnvironmentMatrix {
  environments: string[];
  current: ModuleEnvironmentSummary[];
  history: Deployment[];
}

export interface DriftResource {
  address: string;
  type: string;
  /** Terraform action, e.g. `update`, `delete`, `create`, `replace`. */
  action: string;
  changedAttributes: string[];
  /** `drift`: changed outside Terraform (resource_drift); `change`: a pending change (resource_changes). */
  source: 'drift' | 'change';
  previousAddress?: string;
  /**
   * Before and after values of the changed attributes, where the plan has them (a JSON plan does,
   * the `terraform plan -json` log does not). Absent in checks stored before values were kept.
   */
  attributes?: AttributeChange[];
}

/** One changed top-level attribute of a resource, its values as display text. */
export interface AttributeChange {
  name: string;
  /** Value before the change: a string as is, anything else as JSON; absent when null/unset. */
  before?: string;
  after?: string;
  /** The plan marks the value sensitive: it is neither stored nor shown. */
  sensitive?: boolean;
  /** The new value is only known after apply. */
  afterUnknown?: boolean;
  /** A value was cut to the stored maximum length. */
  truncated?: boolean;
}

/** A period during which an environment was drifted. */
export interface DriftEpisode {
  environment: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  resources: DriftResource[];
}

export interface EnvironmentDrift {
  environment: string;
  status: DriftStatus;
  checkedAt?: string;
  driftedSince?: string;
  /** Present when drifted: the open episode's resources as of the last check. */
  resources: DriftResource[];
}

export interface ModuleDrift {
  environments: EnvironmentDrift[];
  episodes: DriftEpisode[];
  /** One point per check, oldest first, for charts. */
  checks: Array<{
    environment: string;
    checkedAt: string;
    driftedResources: number;
  }>;
}

export interface PolicyResult {
  rule: string;
  control?: string;
  severity: Severity;
  outcome: PolicyOutcome;
  /** Outcome before waivers were applied. */
  rawOutcome: PolicyOutcome;
  message?: string;
  resource?: string;
  filename?: string;
  /** Link to how to fix the rule, from the rule's metadata (http(s) only). */
  remediationUrl?: string;
  environment?: string;
  version?: string;
  waiverId?: string;
  run: RunIdentity;
  reportedAt: string;
}

export interface ModulePolicy {
  version?: string;
  counts: PolicyCounts;
  results: PolicyResult[];
  waivers: Waiver[];
}

export interface TestCaseResult {
  name: string;
  suite: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  /** Captured output of a failed test, capped (head and tail kept). */
  output?: string;
  outputTruncated?: boolean;
  /** Failed, then passed on a retry within the same version. */
  flaky: boolean;
}

export interface TestRun {
  id: string;
  version?: string;
  format: 'go-test-json' | 'go-test' | 'junit';
  run: RunIdentity;
  reportedAt: string;
  status: TestStatus;
  totals: TestTotals;
  durationMs?: number;
  failures: TestCaseResult[];
  flaky: TestCaseResult[];
  /** Skipped tests of the run (for runs of earlier uploads only those still stored). */
  skipped?: TestCaseResult[];
  /** Link to the CI run, as reported with `POST /runs` for the same run identity. */
  url?: string;
}

export interface ModuleTests {
  version?: string;
  runs: TestRun[];
}

export type WaiverStatus =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'revoked'
  | 'withdrawn'
  | 'expired';

export interface Waiver {
  id: string;
  entityRef: string;
  rule: string;
  environment?: string;
  /** The one module version the waiver covers; absent: every version. */
  version?: string;
  resource?: string;
  justification: string;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  status: WaiverStatus;
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
}

export interface WaiverRequest {
  entityRef: string;
  rule: string;
  /** Required to cover the production environment (the last configured one). */
  environment?: string;
  version?: string;
  resource?: string;
  justification: string;
  expiresAt: string;
}

export interface WaiverAuditEvent {
  waiverId: string;
  action:
    | 'requested'
    | 'approved'
    | 'rejected'
    | 'revoked'
    | 'withdrawn'
    | 'expired';
  actor: string;
  at: string;
  comment?: string;
}

export interface GateReason {
  /** `extension`: a check added by a backend module through the gate extension point. */
  check:
    | 'tests'
    | 'policy'
    | 'soak'
    | 'drift'
    | 'order'
    | 'version'
    | 'extension';
  /** Id of the extension check, when `check` is `extension`. */
  extensionId?: string;
  ok: boolean;
  message: string;
}

export interface PromotionGateDecision {
  entityRef: string;
  version: string;
  environment: string;
  allowed: boolean;
  reasons: GateReason[];
}

export interface ComplianceOverview {
  totals: {
    modules: number;
    driftedEnvironments: number;
    failingPolicies: number;
    untestedReleases: number;
    pendingWaivers: number;
    expiringWaivers: number;
  };
  bySeverity: Array<{
    severity: Severity;
    failed: number;
    warned: number;
    waived: number;
  }>;
  byOwner: Array<{
    owner: string;
    failed: number;
    warned: number;
    waived: number;
    modules: number;
  }>;
  byRule: Array<{
    rule: string;
    control?: string;
    severity: Severity;
    failed: number;
    waived: number;
    modules: number;
  }>;
  byEnvironment: Array<{
    environment: string;
    failed: number;
    drifted: number;
  }>;
  driftedEnvironments: Array<{
    entityRef: string;
    environment: string;
    driftedSince: string;
    resources: number;
  }>;
  untestedReleases: Array<{
    entityRef: string;
    version: string;
    releasedAt: string;
    tests: TestStatus;
  }>;
  waivers: Waiver[];
  trend: Array<{
    day: string;
    failed: number;
    warned: number;
    waived: number;
    drifted: number;
  }>;
  /** Every failing result of each module's latest version, waived or not: one row per finding. */
  findings?: ComplianceFinding[];
}

/** A failed policy result of a module's latest version, as governance exports it. */
export interface ComplianceFinding {
  entityRef: string;
  owner: string;
  version?: string;
  rule: string;
  control?: string;
  severity: Severity;
  /** The environment the policy run reported; absent when it named none. */
  environment?: string;
  resource?: string;
  status: 'failed' | 'waived';
  waiverId?: string;
  /** How many checks of the run failed with this result. */
  count: number;
}

export interface ReleaseInput {
  entityRef: string;
  version: string;
  gitSha?: string;
  changelog?: string;
  releasedAt?: string;
  run?: RunIdentity;
}

export interface DeploymentInput {
  entityRef: string;
  version: string;
  environment: string;
  action?: 'deploy' | 'rollback';
  deployedAt?: string;
  deployedBy?: string;
  runUrl?: string;
  run?: RunIdentity;
}

export interface CiRunInput {
  entityRef: string;
  provider: string;
  runId: string;
  attempt: number;
  workflow: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?:
    | 'success'
    | 'failure'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'neutral'
    | 'action_required';
  version?: string;
  environment?: string;
  gitSha?: string;
  url?: string;
  startedAt?: string;
  completedAt?: string;
}

/** Answer of every ingestion endpoint. */
export interface IngestResponse {
  id: string;
  replaced: boolean;
  summary: Record<string, number | string>;
}
