/*
 * Upload bodies for the load-and-faults test, in the raw formats CI sends: `go test -json`,
 * JUnit XML, `conftest test --output json`, `terraform show -json` plans, and the JSON bodies of
 * runs, releases and deployments. Each generator is deterministic in its sequence number, so a
 * replay carries the same bytes, and it returns what the backend must store for it.
 */

// Test-only module (replicas.test.ts), so pure-rand is a devDependency; the rule counts src/ as runtime.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

export type UploadKind =
  | 'go-test'
  | 'junit'
  | 'conftest'
  | 'plan'
  | 'ci-run'
  | 'release'
  | 'deployment';

export const UPLOAD_KINDS: UploadKind[] = [
  'go-test',
  'junit',
  'conftest',
  'plan',
  'ci-run',
  'release',
  'deployment',
];

/** Where a stored upload is found and what it must hold. */
export type Expectation =
  | { table: 'runs'; kind: 'tests'; cases: number }
  | { table: 'runs'; kind: 'policy'; results: number; checks: number }
  | { table: 'runs'; kind: 'drift'; resources: number }
  | { table: 'runs'; kind: 'ci' }
  | { table: 'releases'; version: string }
  | { table: 'deployments'; environment: string };

export interface UploadSpec {
  /** Unique per distinct upload; replays share it. */
  key: string;
  kind: UploadKind;
  entityRef: string;
  provider: string;
  runId: string;
  attempt: number;
  path: string;
  contentType: string;
  body: Buffer;
  expect: Expectation;
}

const PROVIDERS = ['github-actions', 'gitlab-ci', 'buildkite'];
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const TIME = '2026-03-02T10:00:00Z';

/** A seeded PRNG (pure-rand xoroshiro128+), numbers in [0, 1), so every run sends the same uploads. */
export function random(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => unsafeUniformIntDistribution(0, 0xffffffff, generator) / 2 ** 32;
}

function query(params: Record<string, string | number | undefined>) {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}

function goTestJson(seq: number, cases: number): string {
  const pkg = `github.com/acme/terraform-aws-mod-${seq % 7}/test`;
  const lines: object[] = [{ Time: TIME, Action: 'start', Package: pkg }];
  let failed = false;
  for (let i = 0; i < cases; i++) {
    const test = `TestModule${i}`;
    const fail = (seq + i) % 9 === 0;
    failed ||= fail;
    lines.push({ Time: TIME, Action: 'run', Package: pkg, Test: test });
    lines.push({
      Time: TIME,
      Action: 'output',
      Package: pkg,
      Test: test,
      Output: `=== RUN   ${test}\n`,
    });
    if (fail) {
      lines.push({
        Time: TIME,
        Action: 'output',
        Package: pkg,
        Test: test,
        Output: `    plan_test.go:${
          40 + i
        }: expected p4d.24xlarge, got g5.12xlarge (seq ${seq})\n`,
      });
    }
    lines.push({
      Time: TIME,
      Action: fail ? 'fail' : 'pass',
      Package: pkg,
      Test: test,
      Elapsed: 0.5 + i,
    });
  }
  lines.push({
    Time: TIME,
    Action: 'output',
    Package: pkg,
    Output: failed ? 'FAIL\n' : 'PASS\n',
  });
  lines.push({
    Time: TIME,
    Action: failed ? 'fail' : 'pass',
    Package: pkg,
    Elapsed: cases,
  });
  return `${lines.map(l => JSON.stringify(l)).join('\n')}\n`;
}

function junitXml(seq: number, cases: number): string {
  const testcases: string[] = [];
  let failures = 0;
  for (let i = 0; i < cases; i++) {
    const fail = (seq + i) % 11 === 0;
    if (fail) {
      failures++;
      testcases.push(
        `    <testcase name="TestJunit${i}" classname="acme/mod${
          seq % 5
        }" time="1.5"><failure message="Failed">expected 3 nodes, got 2 (seq ${seq})</failure></testcase>`,
      );
    } else {
      testcases.push(
        `    <testcase name="TestJunit${i}" classname="acme/mod${
          seq % 5
        }" time="0.${i}"/>`,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="${cases}" failures="${failures}">
  <testsuite name="acme/mod${
    seq % 5
  }" tests="${cases}" failures="${failures}" errors="0" skipped="0" time="${cases}">
${testcases.join('\n')}
  </testsuite>
</testsuites>
`;
}

function conftestJson(seq: number, failures: number, warnings: number) {
  const item = (kind: string, i: number) => ({
    msg: `${kind} ${i}: aws_s3_bucket.datasets-${seq} violates MLI-${kind}-${i}`,
    metadata: {
      id: `MLI-${kind.toUpperCase()}-${String(i).padStart(3, '0')}`,
      severity: ['critical', 'high', 'medium', 'low'][i % 4],
      control: `CIS-${i}`,
      resource: `aws_s3_bucket.datasets-${seq}`,
    },
  });
  const successes = 3 + (seq % 5);
  const doc = [
    {
      filename: 'plan.json',
      namespace: 'ml_infra.guardrails',
      successes,
      failures: Array.from({ length: failures }, (_, i) => item('fail', i)),
      warnings: Array.from({ length: warnings }, (_, i) => item('warn', i)),
    },
  ];
  return {
    text: JSON.stringify(doc),
    results: 1 + failures + warnings,
    checks: successes + failures + warnings,
  };
}

function planJson(seq: number, drifted: number, changed: number): string {
  const resource = (kind: string, i: number, actions: string[]) => ({
    address: `aws_eks_node_group.${kind}_${seq}_${i}`,
    mode: 'managed',
    type: 'aws_eks_node_group',
    name: `${kind}_${seq}_${i}`,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions,
      before: { scaling_config: [{ desired_size: 2 }] },
      after: { scaling_config: [{ desired_size: 2 + i }] },
      after_unknown: {},
    },
  });
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: { resources: [] } },
    resource_drift: Array.from({ length: drifted }, (_, i) =>
      resource('drift', i, ['update']),
    ),
    resource_changes: [
      ...Array.from({ length: changed }, (_, i) =>
        resource('change', i, ['update']),
      ),
      // Left out by the parser: a data source read and a no-op.
      {
        address: 'data.aws_caller_identity.current',
        mode: 'data',
        type: 'aws_caller_identity',
        name: 'current',
        change: { actions: ['read'], before: null, after: {} },
      },
      resource('noop', 0, ['no-op']),
    ],
  });
}

/**
 * The upload with sequence number `seq` of the given kind, for one of `modules`. Deployments
 * name versions released before the load (`setupVersions`).
 */
export function makeUpload(
  kind: UploadKind,
  seq: number,
  modules: string[],
  setupVersions: string[],
): UploadSpec {
  const rnd = random(seq * 7919 + kind.length);
  const entityRef = modules[Math.floor(rnd() * modules.length)];
  const provider = PROVIDERS[seq % PROVIDERS.length];
  const attempt = 1 + (seq % 3 === 0 ? 1 : 0);
  const runId = `${kind}-${seq}`;
  const version = `${1 + (seq % 4)}.${seq % 10}.${seq % 3}`;
  const environment = ENVIRONMENTS[seq % ENVIRONMENTS.length];
  const common = {
    key: `${kind}:${seq}`,
    kind,
    entityRef,
    provider,
    runId,
    attempt,
  };
  const ingestQuery = (extra: Record<string, string | undefined> = {}) =>
    query({ entityRef, provider, runId, attempt, version, ...extra });

  switch (kind) {
    case 'go-test': {
      const cases = 2 + Math.floor(rnd() * 14);
      return {
        ...common,
        path: `/api/ml-infra/ingest/tests?${ingestQuery()}`,
        contentType: 'application/x-ndjson',
        body: Buffer.from(goTestJson(seq, cases)),
        expect: { table: 'runs', kind: 'tests', cases },
      };
    }
    case 'junit': {
      const cases = 1 + Math.floor(rnd() * 12);
      return {
        ...common,
        path: `/api/ml-infra/ingest/tests?${ingestQuery({ environment })}`,
        contentType: 'application/xml',
        body: Buffer.from(junitXml(seq, cases)),
        expect: { table: 'runs', kind: 'tests', cases },
      };
    }
    case 'conftest': {
      const doc = conftestJson(
        seq,
        Math.floor(rnd() * 4),
        Math.floor(rnd() * 3),
      );
      return {
        ...common,
        path: `/api/ml-infra/ingest/policy?${ingestQuery()}`,
        contentType: 'application/json',
        body: Buffer.from(doc.text),
        expect: {
          table: 'runs',
          kind: 'policy',
          results: doc.results,
          checks: doc.checks,
        },
      };
    }
    case 'plan': {
      const drifted = Math.floor(rnd() * 3);
      const changed = Math.floor(rnd() * 3);
      return {
        ...common,
        path: `/api/ml-infra/ingest/drift?${ingestQuery({ environment })}`,
        contentType: 'application/json',
        body: Buffer.from(planJson(seq, drifted, changed)),
        expect: { table: 'runs', kind: 'drift', resources: drifted + changed },
      };
    }
    case 'ci-run':
      return {
        ...common,
        path: '/api/ml-infra/runs',
        contentType: 'application/json',
        body: Buffer.from(
          JSON.stringify({
            entityRef,
            provider,
            runId,
            attempt,
            workflow: 'terratest',
            status: 'completed',
            conclusion: seq % 5 === 0 ? 'failure' : 'success',
            version,
            environment,
            gitSha: `${seq}`.padStart(40, 'a'),
            url: `https://ci.example.com/runs/${seq}`,
            startedAt: TIME,
            completedAt: TIME,
          }),
        ),
        expect: { table: 'runs', kind: 'ci' },
      };
    case 'release': {
      // Unique per upload: one version per sequence number.
      const released = `2.${seq}.0`;
      return {
        ...common,
        path: '/api/ml-infra/releases',
        contentType: 'application/json',
        body: Buffer.from(
          JSON.stringify({
            entityRef,
            version: `v${released}`,
            gitSha: `${seq}`.padStart(40, 'b'),
            changelog: `## ${released}\n- load test release ${seq}\n`,
            releasedAt: TIME,
            run: { provider, runId, attempt },
          }),
        ),
        expect: { table: 'releases', version: released },
      };
    }
    case 'deployment':
      return {
        ...common,
        path: '/api/ml-infra/deployments',
        contentType: 'application/json',
        body: Buffer.from(
          JSON.stringify({
            entityRef,
            version: setupVersions[seq % setupVersions.length],
            environment,
            action: seq % 10 === 0 ? 'rollback' : 'deploy',
            deployedAt: new Date(Date.parse(TIME) + seq * 1000).toISOString(),
            runUrl: `https://ci.example.com/runs/${seq}`,
            run: { provider, runId, attempt },
          }),
        ),
        expect: { table: 'deployments', environment },
      };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}
