#!/usr/bin/env node
// Pushes the embedded default's demo data through the ML Infra ingestion API, exactly as the CI
// workflows of the golden paths do: raw `go test -json` streams and JUnit XML from Terratest,
// `conftest --output json` reports, `terraform show -json` plans, releases and deployments.
// Idempotent: every upload carries a fixed run identity, so running it again replaces, never adds.
//
// Usage: node scripts/seed-demo-data.mjs [--wait] [--base-url http://localhost:7007]
// Token: $ML_INFRA_TOKEN, else the local development token of app-config.yaml.

import createClient from 'openapi-fetch';

const args = process.argv.slice(2);
const baseUrl =
  (args.includes('--base-url')
    ? args[args.indexOf('--base-url') + 1]
    : undefined) ??
  process.env.ML_INFRA_BASE_URL ??
  'http://localhost:7007';
const token =
  process.env.ML_INFRA_TOKEN ?? 'local-dev-ci-token-not-for-production';
const api = `${baseUrl}/api/ml-infra`;
// The typed client generated from the API's OpenAPI document (plugins/ml-infra-common).
/** @type {import('openapi-fetch').Client<import('../plugins/ml-infra-common/src/schema/openapi').paths>} */
const client = createClient({
  baseUrl: api,
  headers: { Authorization: `Bearer ${token}` },
});
client.use({
  async onResponse({ request, response }) {
    if (!response.ok) {
      const text = await response.text();
      const err = new Error(
        `${request.method} ${new URL(request.url).pathname} -> ${
          response.status
        }: ${text.slice(0, 500)}`,
      );
      err.status = response.status;
      throw err;
    }
    return undefined;
  },
});
const DAY = 24 * 3600 * 1000;
const now = Date.now();
const iso = daysAgo => new Date(now - daysAgo * DAY).toISOString();

const log = msg => console.log(`[seed] ${msg}`);

/** Sends raw tool output to an ingest route, unmodified, as CI does. */
async function ingest(path, { body, contentType = 'application/json', query }) {
  const { data } = await client.POST(path, {
    params: { query },
    body,
    bodySerializer: raw => raw,
    headers: { 'Content-Type': contentType },
  });
  return data;
}

async function waitForBackend() {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    try {
      await client.GET('/health');
      return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error(`ML Infra backend did not answer at ${api}/health`);
}

/** The catalog reads examples/ml-modules.yaml shortly after start; retry until the module exists. */
async function untilModuleKnown(fn) {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (
        Date.now() > deadline ||
        !(e.status === 404 || e.status === 400) ||
        !/not found|does not exist|unknown entity/i.test(e.message)
      ) {
        throw e;
      }
      await new Promise(r => setTimeout(r, 3000));
    }
  }
}

// ---------------------------------------------------------------- raw tool output generators

/** A `go test -json` stream as Terratest prints it, with non-JSON build lines mixed in. */
function goTestJson({ pkg, tests, start, rerunFlaky }) {
  const lines = [
    `# ${pkg}`,
    `go: downloading github.com/gruntwork-io/terratest v0.46.16`,
  ];
  let t = start;
  const at = () => new Date((t += 1000)).toISOString();
  const emit = (action, test, extra = {}) =>
    lines.push(
      JSON.stringify({
        Time: at(),
        Action: action,
        Package: pkg,
        ...(test ? { Test: test } : {}),
        ...extra,
      }),
    );
  emit('start');
  const runTest = (name, outcome, seconds) => {
    emit('run', name);
    emit('output', name, { Output: `=== RUN   ${name}\n` });
    emit('output', name, {
      Output: `    logger.go:66: ${name} ${new Date(
        t,
      ).toISOString()} retry.go:91: terraform [init -upgrade=false]\n`,
    });
    emit('output', name, {
      Output: `    logger.go:66: Running command terraform with args [plan -input=false -lock=false -out=tfplan]\n`,
    });
    if (outcome === 'fail') {
      emit('output', name, {
        Output: `    ${name
          .split('/')[0]
          .toLowerCase()}_test.go:48: \n        \tError Trace:\t/home/runner/work/module/test/plan_test.go:48\n        \tError:      \tNot equal: \n        \t            \texpected: "g5.12xlarge"\n        \t            \tactual  : "p4d.24xlarge"\n        \tTest:       \t${name}\n`,
      });
      emit('output', name, {
        Output: `--- FAIL: ${name} (${seconds.toFixed(2)}s)\n`,
      });
    } else if (outcome === 'skip') {
      emit('output', name, {
        Output: `    apply_test.go:21: skipping apply test: set RUN_APPLY_TESTS=1\n--- SKIP: ${name} (0.00s)\n`,
      });
    } else {
      emit('output', name, {
        Output: `--- PASS: ${name} (${seconds.toFixed(2)}s)\n`,
      });
    }
    emit(outcome, name, { Elapsed: seconds });
  };
  let failed = false;
  for (const test of tests) {
    runTest(test.name, test.outcome, test.seconds);
    failed ||= test.outcome === 'fail' && !(rerunFlaky && test.flaky);
  }
  if (rerunFlaky) {
    for (const test of tests.filter(x => x.flaky))
      runTest(test.name, 'pass', test.seconds);
  }
  emit('output', undefined, { Output: failed ? 'FAIL\n' : 'PASS\n' });
  emit(failed ? 'fail' : 'pass', undefined, {
    Elapsed: tests.reduce((s, x) => s + x.seconds, 0),
  });
  return `${lines.join('\n')}\n`;
}

/** JUnit XML as go-junit-report / gotestsum --junitfile write it. */
function junitXml({ pkg, tests }) {
  const esc = s =>
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
  const failures = tests.filter(x => x.outcome === 'fail').length;
  const skipped = tests.filter(x => x.outcome === 'skip').length;
  const total = tests.reduce((s, x) => s + x.seconds, 0);
  const cases = tests.map(x => {
    const open = `    <testcase classname="${pkg}" name="${esc(
      x.name,
    )}" time="${x.seconds.toFixed(3)}"`;
    if (x.outcome === 'fail') {
      return `${open}>\n      <failure message="Failed" type="">plan_test.go:61: expected encryption with a customer managed key, got aws/s3</failure>\n    </testcase>`;
    }
    if (x.outcome === 'skip')
      return `${open}>\n      <skipped message="set RUN_APPLY_TESTS=1"></skipped>\n    </testcase>`;
    return `${open}></testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${
    tests.length
  }" failures="${failures}" errors="0" time="${total.toFixed(
    3,
  )}">\n  <testsuite name="${pkg}" tests="${
    tests.length
  }" failures="${failures}" errors="0" skipped="${skipped}" time="${total.toFixed(
    3,
  )}" timestamp="${iso(
    0,
  )}">\n    <properties>\n      <property name="go.version" value="go1.22.5 linux/amd64"></property>\n    </properties>\n${cases.join(
    '\n',
  )}\n  </testsuite>\n</testsuites>\n`;
}

// Messages open with the Terraform address, as the generated policies write them
// (templates/_shared/skeleton/policy), so the Policy tab shows the resource.
const RULES = [
  {
    ns: 'main.tags',
    id: 'ML-TAG-001',
    control: 'CC-6.1',
    severity: 'high',
    msg: 'aws_s3_bucket.artifacts is missing mandatory tags: cost-center, data-classification',
  },
  {
    ns: 'main.encryption',
    id: 'ML-ENC-001',
    control: 'SC-28',
    severity: 'critical',
    msg: 'aws_s3_bucket.artifacts is not encrypted with a customer managed KMS key',
  },
  {
    ns: 'main.network',
    id: 'ML-NET-001',
    control: 'SC-7',
    severity: 'critical',
    msg: 'aws_security_group.endpoint is reachable from the public internet',
  },
  {
    ns: 'main.instances',
    id: 'ML-INS-001',
    control: 'CM-7',
    severity: 'medium',
    msg: 'aws_eks_node_group.gpu uses instance family p3, which is not in the allowed accelerator families',
  },
  {
    ns: 'main.regions',
    id: 'ML-REG-001',
    control: 'SA-9',
    severity: 'high',
    msg: 'aws_s3_bucket.artifacts is in region ap-east-1, which is not allowed for restricted data',
  },
  {
    ns: 'main.logging',
    id: 'ML-LOG-001',
    control: 'AU-2',
    severity: 'low',
    msg: 'aws_s3_bucket.artifacts has access logging disabled',
  },
];

/** `conftest test --output json` of a plan, failing or warning on the given rule ids. */
function conftestJson({ failing = [], warning = [] }) {
  const item = (r, sev) => ({
    msg: r.msg,
    metadata: {
      id: r.id,
      control: r.control,
      severity: sev ?? r.severity,
      query: `data.${r.ns}.deny`,
    },
  });
  return JSON.stringify(
    RULES.map(r => ({
      filename: 'tfplan.json',
      namespace: r.ns,
      successes: failing.includes(r.id) || warning.includes(r.id) ? 2 : 3,
      failures: failing.includes(r.id) ? [item(r)] : [],
      warnings: warning.includes(r.id) ? [item(r, 'medium')] : [],
    })),
    null,
    2,
  );
}

/** `terraform show -json` of a drift-check plan. */
function planJson({ drifted }) {
  const driftEntries = drifted.map(d => ({
    address: d.address,
    mode: 'managed',
    type: d.address.split('.')[0],
    name: d.address.split('.')[1],
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: [d.action ?? 'update'],
      before: d.before,
      after: d.after,
      after_unknown: {},
      before_sensitive: {},
      after_sensitive: {},
    },
  }));
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: { root_module: {} },
    resource_drift: driftEntries,
    resource_changes: [
      ...driftEntries.map(d => ({
        ...d,
        change: { ...d.change, actions: ['no-op'], before: d.change.after },
      })),
      {
        address: 'aws_kms_key.this',
        mode: 'managed',
        type: 'aws_kms_key',
        name: 'this',
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: ['no-op'],
          before: { enable_key_rotation: true },
          after: { enable_key_rotation: true },
          after_unknown: {},
        },
      },
    ],
    configuration: { root_module: {} },
  });
}

// ---------------------------------------------------------------- the demo story

const ENVS = ['dev', 'staging', 'prod'];
const TESTS = base => [
  { name: 'TestPlanBasicExample', outcome: 'pass', seconds: 41.2 },
  { name: 'TestPlanCompleteExample', outcome: 'pass', seconds: 57.9 },
  {
    name: `TestPlanCompleteExample/${base}_tags`,
    outcome: 'pass',
    seconds: 0.4,
  },
  { name: 'TestPolicyMandatoryTags', outcome: 'pass', seconds: 3.1 },
  { name: 'TestApplyCompleteExample', outcome: 'skip', seconds: 0 },
];

const MODULES = [
  {
    name: 'gpu-training-cluster',
    versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'],
    driftEnv: 'prod',
    driftSinceDays: 3,
    drifted: [
      {
        address: 'aws_eks_node_group.gpu',
        before: {
          scaling_config: [{ desired_size: 4, max_size: 16 }],
          instance_types: ['p4d.24xlarge'],
        },
        after: {
          scaling_config: [{ desired_size: 9, max_size: 16 }],
          instance_types: ['p4d.24xlarge'],
        },
      },
      {
        address: 'aws_autoscaling_schedule.nightly',
        action: 'delete',
        before: { desired_capacity: 0 },
        after: null,
      },
    ],
    failingTestOn: '1.3.0',
    policy: { failing: [], warning: ['ML-LOG-001'] },
  },
  {
    name: 'model-serving-endpoint',
    versions: ['2.0.0', '2.1.0', '2.2.0'],
    driftEnv: 'staging',
    driftSinceDays: 6,
    resolvedDaysAgo: 2,
    drifted: [
      {
        address: 'aws_sagemaker_endpoint_configuration.this',
        before: { production_variants: [{ initial_instance_count: 2 }] },
        after: { production_variants: [{ initial_instance_count: 3 }] },
      },
    ],
    flakyOn: '2.2.0',
    policy: { failing: ['ML-NET-001'], warning: [] },
    junit: true,
  },
  {
    name: 'feature-store',
    versions: ['0.8.0', '0.9.0', '1.0.0'],
    policy: { failing: ['ML-ENC-001', 'ML-TAG-001'], warning: [] },
  },
  {
    name: 'dataset-artifact-store',
    versions: ['3.1.0', '3.2.0', '3.3.0', '3.4.0'],
    driftEnv: 'dev',
    driftSinceDays: 1,
    drifted: [
      {
        address: 'aws_s3_bucket_lifecycle_configuration.datasets',
        before: { rule: [{ id: 'glacier-after-90d', status: 'Enabled' }] },
        after: { rule: [{ id: 'glacier-after-90d', status: 'Disabled' }] },
      },
    ],
    policy: { failing: [], warning: [] },
    junit: true,
  },
  {
    name: 'experiment-tracking',
    versions: ['0.1.0', '0.2.0'],
    untested: '0.2.0',
    policy: { failing: ['ML-INS-001'], warning: ['ML-LOG-001'] },
  },
  {
    name: 'inference-gpu-pool',
    versions: ['1.0.0', '1.0.1'],
    policy: { failing: [], warning: [] },
  },
];

async function seedModule(m) {
  const entityRef = `component:default/${m.name}`;
  await untilModuleKnown(() =>
    client.POST('/modules', { body: { entityRef, environments: ENVS } }),
  );
  const n = m.versions.length;
  // Distinct, stable run ids per module: a run identity belongs to one module only.
  let runNo =
    [...m.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 90_000, 7) *
      1000 +
    100_000_000;
  const run = () => ({
    provider: 'github',
    runId: String((runNo += 7)),
    attempt: 1,
  });
  const runUrl = runId =>
    `https://github.com/example/terraform-aws-${m.name}/actions/runs/${runId}`;

  for (const [i, version] of m.versions.entries()) {
    const releasedDaysAgo = (n - i) * 7 - 3;
    await client.POST('/releases', {
      body: {
        entityRef,
        version,
        gitSha: (m.name + version)
          .split('')
          .map(c => c.charCodeAt(0).toString(16))
          .join('')
          .slice(0, 40)
          .padEnd(40, '0'),
        releasedAt: iso(releasedDaysAgo),
        changelog: `## ${version}\n\n- ${
          i === 0
            ? 'Initial release'
            : `Improve ${m.name.replace(/-/g, ' ')} defaults`
        }\n- Bump hashicorp/aws to 5.${60 + i}.0`,
      },
    });
    // An untested release has no test run; its policy is still checked.
    if (m.untested !== version) {
      const tests = TESTS(m.name.split('-')[0]).map(t => ({ ...t }));
      if (m.failingTestOn === version) tests[0].outcome = 'fail';
      if (m.flakyOn === version)
        Object.assign(tests[1], { outcome: 'fail', flaky: true });
      const testRun = run();
      const pkg = `github.com/example/terraform-aws-${m.name}/test`;
      if (m.junit && i % 2 === 1) {
        await ingest('/ingest/tests', {
          body: junitXml({ pkg, tests }),
          contentType: 'application/xml',
          query: {
            entityRef,
            version,
            ...testRun,
            reportedAt: iso(releasedDaysAgo + 0.1),
          },
        });
      } else {
        await ingest('/ingest/tests', {
          body: goTestJson({
            pkg,
            tests,
            start: now - (releasedDaysAgo + 0.1) * DAY,
            rerunFlaky: m.flakyOn === version,
          }),
          contentType: 'application/x-ndjson',
          query: {
            entityRef,
            version,
            ...testRun,
            reportedAt: iso(releasedDaysAgo + 0.1),
          },
        });
      }
      // The CI run behind the report, as the generated workflow records it: the Tests tab links
      // each test run to its CI page.
      await client.POST('/runs', {
        body: {
          entityRef,
          ...testRun,
          workflow: 'terratest',
          status: 'completed',
          conclusion: m.failingTestOn === version ? 'failure' : 'success',
          version,
          url: runUrl(testRun.runId),
          startedAt: iso(releasedDaysAgo + 0.12),
          completedAt: iso(releasedDaysAgo + 0.1),
        },
      });
    }
    const latest = i === n - 1;
    const policy = latest
      ? m.policy
      : { failing: [], warning: m.policy.warning };
    await ingest('/ingest/policy', {
      body: conftestJson(policy),
      query: {
        entityRef,
        version,
        format: 'conftest',
        ...run(),
        reportedAt: iso(releasedDaysAgo + 0.05),
      },
    });
  }

  // Promotion history: each version went dev -> staging -> prod a few days apart; the newest is not everywhere yet.
  for (const [i, version] of m.versions.entries()) {
    const releasedDaysAgo = (n - i) * 7 - 3;
    const reach = i === n - 1 ? 1 : i === n - 2 ? 2 : 3;
    for (const [e, environment] of ENVS.slice(0, reach).entries()) {
      const deployRun = run();
      await client.POST('/deployments', {
        body: {
          entityRef,
          version,
          environment,
          action: 'deploy',
          deployedAt: iso(releasedDaysAgo - 0.5 - e * 2),
          deployedBy: 'github-actions[bot]',
          runUrl: runUrl(deployRun.runId),
          run: deployRun,
        },
      });
    }
  }
  if (m.name === 'model-serving-endpoint') {
    const prev = m.versions[n - 3];
    await client.POST('/deployments', {
      body: {
        entityRef,
        version: prev,
        environment: 'prod',
        action: 'rollback',
        deployedAt: iso(1.5),
        deployedBy: 'alice',
        run: run(),
      },
    });
  }

  // Nightly drift checks over the last 14 days.
  for (const environment of ENVS) {
    for (let day = 14; day >= 0; day -= 1) {
      const drifted =
        m.driftEnv === environment &&
        day <= m.driftSinceDays &&
        !(m.resolvedDaysAgo !== undefined && day <= m.resolvedDaysAgo);
      await ingest('/ingest/drift', {
        body: planJson({ drifted: drifted ? m.drifted : [] }),
        query: {
          entityRef,
          environment,
          provider: 'github',
          runId: `drift-${m.name}-${environment}-${day}`,
          attempt: 1,
          reportedAt: iso(day + 0.02),
        },
      });
    }
  }
}

async function seedWaivers() {
  const { data: existing } = await client.GET('/waivers');
  const has = (ref, rule) =>
    existing.items.some(
      w =>
        w.entityRef === ref &&
        w.rule === rule &&
        ['pending', 'approved'].includes(w.status),
    );
  const requests = [
    {
      entityRef: 'component:default/feature-store',
      rule: 'ML-ENC-001',
      environment: 'dev',
      justification:
        'Offline store migrates to the new CMK in sprint 48; dev holds synthetic data only.',
      expiresAt: iso(-21),
    },
    {
      entityRef: 'component:default/experiment-tracking',
      rule: 'ML-INS-001',
      justification: 'p3 instances stay until the reserved capacity runs out.',
      expiresAt: iso(-5),
    },
  ];
  for (const r of requests) {
    if (!has(r.entityRef, r.rule)) {
      await client.POST('/waivers', { body: r });
    }
  }
}

async function main() {
  if (args.includes('--wait')) {
    log(`waiting for ${api}/health`);
    await waitForBackend();
  }
  const started = Date.now();
  for (const m of MODULES) {
    await seedModule(m);
    log(
      `${m.name}: ${m.versions.length} versions, tests, policy, deployments and drift checks pushed`,
    );
  }
  await seedWaivers();
  log(`demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch(e => {
  console.error(`[seed] failed: ${e.message}`);
  process.exit(1);
});
