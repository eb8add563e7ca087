import type { Entity } from '@backstage/catalog-model';
import type {
  ComplianceOverview,
  EnvironmentMatrix,
  ModuleDrift,
  ModuleListResponse,
  ModulePolicy,
  ModuleSummary,
  ModuleTests,
  ModuleVersion,
  PromotionGateDecision,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3600_000).toISOString();
const daysFromNow = (days: number) =>
  new Date(Date.now() + days * 86400_000).toISOString();

export const MODULE_REF = 'component:default/gpu-training-cluster';

export const moduleEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'gpu-training-cluster',
    annotations: { 'ml-infra.io/golden-path': 'gpu-training-cluster' },
    tags: ['ml-infra'],
  },
  spec: {
    type: 'terraform-module',
    owner: 'group:default/ml-platform',
    lifecycle: 'production',
    system: 'training',
  },
};

export const moduleSummary: ModuleSummary = {
  entityRef: MODULE_REF,
  title: 'GPU training cluster',
  owner: 'group:default/ml-platform',
  system: 'system:default/training',
  goldenPath: 'gpu-training-cluster',
  latestVersion: '1.4.0',
  latestReleasedAt: hoursAgo(30),
  environments: [
    {
      environment: 'dev',
      version: '1.4.0',
      deployedAt: hoursAgo(28),
      drift: 'clean',
    },
    {
      environment: 'staging',
      version: '1.3.2',
      deployedAt: hoursAgo(100),
      drift: 'drifted',
      driftedSince: hoursAgo(50),
    },
    {
      environment: 'prod',
      version: '1.3.1',
      deployedAt: hoursAgo(400),
      drift: 'clean',
    },
  ],
  drift: 'drifted',
  policy: 'failed',
  tests: 'passed',
  failingPolicies: 2,
  updatedAt: hoursAgo(2),
};

export const moduleList: ModuleListResponse = {
  environments: ['dev', 'staging', 'prod'],
  totalCount: 2,
  items: [
    moduleSummary,
    {
      entityRef: 'component:default/feature-store',
      title: 'Feature store',
      owner: 'group:default/data-platform',
      system: 'system:default/features',
      goldenPath: 'feature-store',
      latestVersion: '0.9.0',
      latestReleasedAt: hoursAgo(200),
      environments: [
        {
          environment: 'dev',
          version: '0.9.0',
          deployedAt: hoursAgo(190),
          drift: 'clean',
        },
        {
          environment: 'staging',
          version: '0.9.0',
          deployedAt: hoursAgo(150),
          drift: 'clean',
        },
        { environment: 'prod', drift: 'unknown' },
      ],
      drift: 'clean',
      policy: 'passed',
      tests: 'failed',
      failingPolicies: 0,
      updatedAt: hoursAgo(5),
    },
  ],
};

export const versions: ModuleVersion[] = [
  {
    version: '1.4.0',
    gitSha: 'a1b2c3d',
    changelog: '### Features\n- Support H100 node pools',
    releasedAt: hoursAgo(30),
    tests: 'passed',
    testTotals: { total: 42, passed: 41, failed: 0, skipped: 1 },
    policy: 'failed',
    policyCounts: { passed: 18, warned: 1, failed: 2, waived: 1 },
    environments: ['dev'],
  },
  {
    version: '1.3.2',
    changelog: '### Fixes\n- Pin the NVIDIA driver',
    releasedAt: hoursAgo(120),
    tests: 'passed',
    testTotals: { total: 40, passed: 40, failed: 0, skipped: 0 },
    policy: 'passed',
    policyCounts: { passed: 20, warned: 0, failed: 0, waived: 1 },
    environments: ['staging'],
  },
  {
    version: '1.3.1',
    releasedAt: hoursAgo(500),
    tests: 'unknown',
    policy: 'warned',
    policyCounts: { passed: 19, warned: 2, failed: 0, waived: 0 },
    environments: ['prod'],
  },
];

export const environmentMatrix: EnvironmentMatrix = {
  environments: ['dev', 'staging', 'prod'],
  current: moduleSummary.environments,
  history: [
    {
      environment: 'dev',
      version: '1.4.0',
      action: 'deploy',
      deployedAt: hoursAgo(28),
      deployedBy: 'user:default/alice',
      runUrl: 'https://github.com/acme/gpu-training-cluster/actions/runs/1001',
      run: { provider: 'github', runId: '1001', attempt: 1 },
    },
    {
      environment: 'staging',
      version: '1.3.2',
      action: 'deploy',
      deployedAt: hoursAgo(100),
      deployedBy: 'user:default/bob',
      runUrl: 'https://github.com/acme/gpu-training-cluster/actions/runs/990',
    },
    {
      environment: 'prod',
      version: '1.3.1',
      action: 'rollback',
      deployedAt: hoursAgo(400),
      deployedBy: 'user:default/carol',
    },
  ],
};

export const gateDecision: PromotionGateDecision = {
  entityRef: MODULE_REF,
  version: '1.4.0',
  environment: 'staging',
  allowed: false,
  reasons: [
    {
      check: 'tests',
      ok: true,
      message: 'Tests passed on 1.4.0 (run github/1200#1)',
    },
    {
      check: 'policy',
      ok: false,
      message:
        'Mandatory policy gpu_nodes_encrypted failed without a live waiver',
    },
    { check: 'drift', ok: true, message: 'dev is drift-free' },
  ],
};

export const drift: ModuleDrift = {
  environments: [
    {
      environment: 'dev',
      status: 'clean',
      checkedAt: hoursAgo(1),
      resources: [],
    },
    {
      environment: 'staging',
      status: 'drifted',
      checkedAt: hoursAgo(1),
      driftedSince: hoursAgo(50),
      resources: [
        {
          address: 'aws_eks_node_group.gpu["a100"]',
          type: 'aws_eks_node_group',
          action: 'update',
          changedAttributes: ['scaling_config.desired_size', 'tags.CostCenter'],
          source: 'drift',
        },
      ],
    },
    { environment: 'prod', status: 'unknown', resources: [] },
  ],
  episodes: [
    {
      environment: 'staging',
      firstSeenAt: hoursAgo(50),
      lastSeenAt: hoursAgo(1),
      resources: [],
    },
    {
      environment: 'dev',
      firstSeenAt: hoursAgo(300),
      lastSeenAt: hoursAgo(280),
      resolvedAt: hoursAgo(270),
      resources: [],
    },
  ],
  checks: [
    { environment: 'dev', checkedAt: hoursAgo(48), driftedResources: 0 },
    { environment: 'staging', checkedAt: hoursAgo(48), driftedResources: 1 },
    { environment: 'dev', checkedAt: hoursAgo(1), driftedResources: 0 },
    { environment: 'staging', checkedAt: hoursAgo(1), driftedResources: 1 },
  ],
};

export const pendingWaiver: Waiver = {
  id: 'w-pending',
  entityRef: MODULE_REF,
  rule: 'gpu_nodes_encrypted',
  environment: 'staging',
  justification: 'KMS key rotation is scheduled for next sprint',
  requestedBy: 'user:default/alice',
  requestedAt: hoursAgo(5),
  expiresAt: daysFromNow(30),
  status: 'pending',
};

export const approvedWaiver: Waiver = {
  id: 'w-approved',
  entityRef: MODULE_REF,
  rule: 'public_ingress_denied',
  justification: 'Temporary benchmark endpoint',
  requestedBy: 'user:default/bob',
  requestedAt: hoursAgo(200),
  expiresAt: daysFromNow(5),
  status: 'approved',
  decidedBy: 'user:default/gov',
  decidedAt: hoursAgo(190),
  decisionComment: 'OK until the benchmark ends',
};

export const expiredWaiver: Waiver = {
  id: 'w-expired',
  entityRef: 'component:default/feature-store',
  rule: 'tags_mandatory',
  justification: 'Migration',
  requestedBy: 'user:default/dana',
  requestedAt: hoursAgo(900),
  expiresAt: hoursAgo(24),
  status: 'expired',
};

export const policy: ModulePolicy = {
  version: '1.4.0',
  counts: { passed: 18, warned: 1, failed: 1, waived: 1 },
  waivers: [approvedWaiver, pendingWaiver],
  results: [
    {
      rule: 'gpu_nodes_encrypted',
      control: 'SC-28',
      severity: 'critical',
      outcome: 'failed',
      rawOutcome: 'failed',
      message:
        'Node group volumes must be encrypted with a customer-managed key',
      resource: 'aws_eks_node_group.gpu["a100"]',
      environment: 'staging',
      version: '1.4.0',
      run: { provider: 'github', runId: '1200', attempt: 1 },
      reportedAt: hoursAgo(3),
    },
    {
      rule: 'public_ingress_denied',
      control: 'SC-7',
      severity: 'high',
      outcome: 'waived',
      rawOutcome: 'failed',
      message: 'Security group allows 0.0.0.0/0 on 443',
      resource: 'aws_security_group.endpoint',
      version: '1.4.0',
      waiverId: 'w-approved',
      run: { provider: 'github', runId: '1200', attempt: 1 },
      reportedAt: hoursAgo(3),
    },
    {
      rule: 'instance_family_allowed',
      control: 'CM-2',
      severity: 'medium',
      outcome: 'warned',
      rawOutcome: 'warned',
      message: 'p3 instances are deprecated',
      version: '1.4.0',
      run: { provider: 'github', runId: '1200', attempt: 1 },
      reportedAt: hoursAgo(3),
    },
    {
      rule: 'tags_mandatory',
      control: 'CM-8',
      severity: 'low',
      outcome: 'passed',
      rawOutcome: 'passed',
      version: '1.4.0',
      run: { provider: 'github', runId: '1200', attempt: 1 },
      reportedAt: hoursAgo(3),
    },
  ],
};

export const tests: ModuleTests = {
  runs: [
    {
      id: 'run-1',
      version: '1.4.0',
      format: 'go-test-json',
      run: { provider: 'github', runId: '1200', attempt: 1 },
      reportedAt: hoursAgo(3),
      status: 'failed',
      totals: { total: 12, passed: 10, failed: 1, skipped: 1 },
      durationMs: 754_000,
      failures: [
        {
          name: 'TestGpuNodePoolScales',
          suite: 'github.com/acme/gpu-training-cluster/test',
          status: 'failed',
          durationMs: 312_000,
          output:
            'node_pool_test.go:42: expected 2 nodes, got 0\n... [truncated] ...\nFAIL',
          outputTruncated: true,
          flaky: false,
        },
      ],
      flaky: [
        {
          name: 'TestClusterEndpointReachable',
          suite: 'github.com/acme/gpu-training-cluster/test',
          status: 'passed',
          durationMs: 45_000,
          flaky: true,
        },
      ],
    },
    {
      id: 'run-0',
      version: '1.3.2',
      format: 'junit',
      run: { provider: 'github', runId: '990', attempt: 2 },
      reportedAt: hoursAgo(120),
      status: 'passed',
      totals: { total: 40, passed: 40, failed: 0, skipped: 0 },
      durationMs: 1_800_000,
      failures: [],
      flaky: [],
    },
  ],
};

export const compliance: ComplianceOverview = {
  totals: {
    modules: 2,
    driftedEnvironments: 1,
    failingPolicies: 2,
    untestedReleases: 1,
    pendingWaivers: 1,
    expiringWaivers: 1,
  },
  bySeverity: [
    { severity: 'critical', failed: 1, warned: 0, waived: 0 },
    { severity: 'high', failed: 1, warned: 0, waived: 1 },
    { severity: 'medium', failed: 0, warned: 1, waived: 0 },
  ],
  byOwner: [
    {
      owner: 'group:default/ml-platform',
      failed: 2,
      warned: 1,
      waived: 1,
      modules: 1,
    },
    {
      owner: 'group:default/data-platform',
      failed: 0,
      warned: 0,
      waived: 0,
      modules: 1,
    },
  ],
  byRule: [
    {
      rule: 'gpu_nodes_encrypted',
      control: 'SC-28',
      severity: 'critical',
      failed: 1,
      waived: 0,
      modules: 1,
    },
    {
      rule: 'public_ingress_denied',
      control: 'SC-7',
      severity: 'high',
      failed: 1,
      waived: 1,
      modules: 1,
    },
  ],
  byEnvironment: [
    { environment: 'dev', failed: 0, drifted: 0 },
    { environment: 'staging', failed: 2, drifted: 1 },
    { environment: 'prod', failed: 0, drifted: 0 },
  ],
  driftedEnvironments: [
    {
      entityRef: MODULE_REF,
      environment: 'staging',
      driftedSince: hoursAgo(50),
      resources: 1,
    },
  ],
  untestedReleases: [
    {
      entityRef: MODULE_REF,
      version: '1.3.1',
      releasedAt: hoursAgo(500),
      tests: 'unknown',
    },
  ],
  waivers: [pendingWaiver, approvedWaiver, expiredWaiver],
  trend: [
    { day: '2026-11-24', failed: 3, warned: 1, waived: 0, drifted: 0 },
    { day: '2026-11-25', failed: 2, warned: 1, waived: 1, drifted: 1 },
    { day: '2026-11-26', failed: 2, warned: 1, waived: 1, drifted: 1 },
  ],
};
