import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mlInfraGateExtensionPoint } from '@ml-infra-portal/plugin-ml-infra-node';
import request from 'supertest';
import {
  moduleEntity as testModuleEntity,
  postIngest,
  startMlInfraBackend,
} from './__testUtils__/backend';
import { fakeDateOnly } from './__testUtils__/clock';
import { conftestOutput } from './__testUtils__/reports';

jest.setTimeout(60_000);

const REF = 'component:default/gpu-cluster';

const moduleEntity = (name: string, owner = 'group:default/ml-platform') =>
  testModuleEntity(name, {
    owner,
    title: `Module ${name}`,
    annotations: { 'ml-infra.io/golden-path': 'gpu-training-cluster' },
  });

const HOURS = 3_600_000;

/** `go test -json` as Terratest prints it: a subtest, a skip, a non-JSON line. */
function goTestJson(failing: boolean) {
  const pkg = 'github.com/acme/terraform-aws-gpu-cluster/test';
  const events = [
    { Action: 'start', Package: pkg },
    { Action: 'run', Package: pkg, Test: 'TestPlan' },
    { Action: 'run', Package: pkg, Test: 'TestPlan/gpu_pool' },
    {
      Action: 'output',
      Package: pkg,
      Test: 'TestPlan/gpu_pool',
      Output: '    plan_test.go:31: planned 12 resources\n',
    },
    ...(failing
      ? [
          {
            Action: 'output',
            Package: pkg,
            Test: 'TestPlan/gpu_pool',
            Output: '    plan_test.go:40: expected p4d, got p5\n',
          },
          {
            Action: 'fail',
            Package: pkg,
            Test: 'TestPlan/gpu_pool',
            Elapsed: 1.5,
          },
          { Action: 'fail', Package: pkg, Test: 'TestPlan', Elapsed: 1.6 },
        ]
      : [
          {
            Action: 'pass',
            Package: pkg,
            Test: 'TestPlan/gpu_pool',
            Elapsed: 1.5,
          },
          { Action: 'pass', Package: pkg, Test: 'TestPlan', Elapsed: 1.6 },
        ]),
    { Action: 'run', Package: pkg, Test: 'TestApply' },
    {
      Action: 'output',
      Package: pkg,
      Test: 'TestApply',
      Output: '    apply_test.go:12: apply tests need -tags=apply\n',
    },
    { Action: 'skip', Package: pkg, Test: 'TestApply', Elapsed: 0 },
    { Action: failing ? 'fail' : 'pass', Package: pkg, Elapsed: 2.1 },
  ];
  return `# github.com/acme/terraform-aws-gpu-cluster/test\n${events
    .map(e => JSON.stringify(e))
    .join('\n')}\n`;
}

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1" skipped="1">
  <testsuite name="github.com/acme/terraform-aws-gpu-cluster/test" tests="3" failures="1" skipped="1" time="4.2">
    <properties><property name="go.version" value="go1.22.4"/></properties>
    <testcase classname="test" name="TestPlan" time="1.2"/>
    <testcase classname="test" name="TestNetwork" time="2.0">
      <failure message="Failed" type="">network_test.go:22: subnet not private</failure>
    </testcase>
    <testcase classname="test" name="TestApply" time="0"><skipped message="needs apply tag"/></testcase>
  </testsuite>
</testsuites>`;

function conftest(failing: boolean) {
  return conftestOutput({
    namespace: 'ml_infra.gpu',
    successes: 5,
    failures: failing
      ? [
          {
            msg: 'aws_eks_node_group.gpu: instance type p5.48xlarge is not allowed',
            metadata: {
              id: 'MLI-GPU-001',
              severity: 'critical',
              resource: 'aws_eks_node_group.gpu',
            },
          },
        ]
      : [],
    warnings: [
      {
        msg: 'aws_s3_bucket.logs: lifecycle rule missing',
        metadata: { id: 'MLI-S3-004', severity: 'low' },
      },
    ],
  });
}

function plan(drifted: boolean) {
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.8.5',
    resource_drift: drifted
      ? [
          {
            address: 'aws_eks_node_group.gpu',
            mode: 'managed',
            type: 'aws_eks_node_group',
            name: 'gpu',
            change: {
              actions: ['update'],
              before: { scaling_config: [{ desired_size: 2 }] },
              after: { scaling_config: [{ desired_size: 4 }] },
            },
          },
        ]
      : [],
    resource_changes: [
      {
        address: 'aws_s3_bucket.logs',
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'logs',
        change: { actions: ['no-op'], before: {}, after: {} },
      },
    ],
  });
}

describe('mlInfraPlugin', () => {
  const ci = mockCredentials.service.header();
  const alice = mockCredentials.user.header('user:default/alice');
  const bob = mockCredentials.user.header('user:default/bob');

  async function startBackend(config: object = {}, extraFeatures: any[] = []) {
    const server = await startMlInfraBackend({
      entities: [
        moduleEntity('gpu-cluster'),
        moduleEntity('feature-store', 'group:default/data'),
      ],
      // The mock CI credentials report for the test modules' owners.
      ciGrant: { owners: ['group:default/ml-platform', 'group:default/data'] },
      mlInfra: { gate: { minSoakHours: 24 }, ...config },
      features: extraFeatures,
    });
    return request(server);
  }

  function ingest(
    api: request.Agent | ReturnType<typeof request>,
    route: string,
    query: Record<string, string | number>,
    body: string,
    contentType: string,
  ) {
    return postIngest(
      api as ReturnType<typeof request>,
      route,
      { entityRef: REF, provider: 'github', attempt: 1, ...query },
      body,
      contentType,
    );
  }

  type Api = Awaited<ReturnType<typeof startBackend>>;

  /** CI creates release `version` of the module at REF. */
  function createRelease(api: Api, version: string) {
    return api
      .post('/api/ml-infra/releases')
      .set('Authorization', ci)
      .send({ entityRef: REF, version });
  }

  /** CI reports the failing conftest result (rule MLI-GPU-001) for `version`. */
  function reportFailingPolicy(api: Api, runId: string, version: string) {
    return ingest(
      api,
      'policy',
      { runId, version },
      conftest(true),
      'application/json',
    );
  }

  it('answers the health route without credentials and rejects anonymous ingestion', async () => {
    const api = await startBackend();
    const health = await api.get('/api/ml-infra/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const anonymous = await api
      .post(
        `/api/ml-infra/ingest/tests?entityRef=${REF}&provider=github&runId=1&attempt=1`,
      )
      .set('Content-Type', 'application/x-ndjson')
      .send(goTestJson(false));
    expect(anonymous.status).toBe(401);
  });

  it('ingests go test -json and JUnit, replaces a replayed run and stores nothing from a malformed one', async () => {
    const api = await startBackend();
    const first = await ingest(
      api,
      'tests',
      { runId: '101', version: 'v1.0.0' },
      goTestJson(true),
      'application/x-ndjson',
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      replaced: false,
      summary: { status: 'failed', failed: expect.any(Number) },
    });

    const replay = await ingest(
      api,
      'tests',
      { runId: '101', version: '1.0.0' },
      goTestJson(false),
      'text/plain',
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      replaced: true,
      summary: { status: 'passed' },
    });

    const junit = await ingest(
      api,
      'tests',
      { runId: '102', version: '1.0.0' },
      JUNIT,
      'application/xml',
    );
    expect(junit.status).toBe(201);
    expect(junit.body.summary).toMatchObject({
      format: 'junit',
      total: 3,
      failed: 1,
      skipped: 1,
    });

    const malformed = await ingest(
      api,
      'tests',
      { runId: '103', version: '1.0.0' },
      '<testsuite><testcase name="a">',
      'application/xml',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toEqual(expect.any(String));

    const tests = await api
      .get(
        `/api/ml-infra/modules/component/default/gpu-cluster/tests?version=1.0.0`,
      )
      .set('Authorization', alice);
    expect(tests.status).toBe(200);
    expect(tests.body.runs.map((r: any) => r.run.runId)).toEqual([
      '102',
      '101',
    ]);
    expect(tests.body.runs[0].failures).toEqual([
      expect.objectContaining({
        name: 'TestNetwork',
        status: 'failed',
        output: expect.stringContaining('subnet not private'),
      }),
    ]);

    const conflict = await ingest(
      api,
      'tests',
      {
        runId: '101',
        version: '1.0.0',
        entityRef: 'component:default/feature-store',
      },
      goTestJson(false),
      'application/x-ndjson',
    );
    expect(conflict.status).toBe(409);
  });

  it('validates module, environment, version, run identity and size before storing', async () => {
    const api = await startBackend({ ingestion: { maxBodyBytes: 2048 } });
    // Each upload is refused with the status and a message naming what is wrong.
    const refusals: Array<{
      kind: 'tests' | 'drift';
      query: Record<string, string | number>;
      body: string;
      status: number;
      names: string;
    }> = [
      {
        kind: 'tests',
        query: { runId: '1', entityRef: 'component:default/nope' },
        body: goTestJson(false),
        status: 404,
        names: 'component:default/nope',
      },
      {
        kind: 'drift',
        query: { runId: '1', environment: 'qa' },
        body: plan(false),
        status: 400,
        names: 'dev, staging, prod',
      },
      {
        kind: 'tests',
        query: { runId: '1', version: 'latest' },
        body: goTestJson(false),
        status: 400,
        names: "'latest'",
      },
      {
        kind: 'tests',
        query: { runId: '1', attempt: 0 },
        body: goTestJson(false),
        status: 400,
        names: 'attempt',
      },
      {
        kind: 'tests',
        query: { runId: '1' },
        body: goTestJson(false).repeat(10),
        status: 413,
        names: '2048',
      },
    ];
    for (const { kind, query, body, status, names } of refusals) {
      const res = await ingest(api, kind, query, body, 'application/json');
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(res.body.error.message).toContain(names);
    }

    const release = await api
      .post('/api/ml-infra/releases')
      .set('Authorization', ci)
      .send({ entityRef: REF, version: 'one' });
    expect(release.status).toBe(400);

    const unreleased = await api
      .post('/api/ml-infra/deployments')
      .set('Authorization', ci)
      .send({ entityRef: REF, version: '9.9.9', environment: 'dev' });
    expect(unreleased.status).toBe(400);
    expect(unreleased.body.error.message).toContain('9.9.9');

    const tests = await api
      .get(`/api/ml-infra/modules/component/default/gpu-cluster/tests`)
      .set('Authorization', alice);
    expect(tests.body.runs).toEqual([]);
  });

  it('tracks drift as a lifecycle and answers the promotion gate with every reason', async () => {
    const api = await startBackend();
    const now = Date.now();
    const at = (hoursAgo: number) =>
      new Date(now - hoursAgo * HOURS).toISOString();

    expect(
      (
        await api
          .post('/api/ml-infra/releases')
          .set('Authorization', ci)
          .send({
            entityRef: REF,
            version: 'v1.2.0',
            gitSha: 'abc123',
            changelog: '- GPU pool autoscaling',
            releasedAt: at(72),
          })
      ).status,
    ).toBe(201);
    expect(
      (
        await api
          .post('/api/ml-infra/deployments')
          .set('Authorization', ci)
          .send({
            entityRef: REF,
            version: '1.2.0',
            environment: 'dev',
            // The client's time is kept as data only: soak counts from arrival.
            deployedAt: at(48),
            run: { provider: 'github', runId: 'd1', attempt: 1 },
          })
      ).status,
    ).toBe(201);
    // Two days pass on the server's clock (timers stay real: the backend needs them).
    fakeDateOnly();
    jest.setSystemTime(now + 48 * HOURS);
    await ingest(
      api,
      'tests',
      { runId: '201', version: '1.2.0' },
      goTestJson(false),
      'application/x-ndjson',
    );
    const policy = await ingest(
      api,
      'policy',
      { runId: '202', version: '1.2.0', format: 'conftest' },
      conftest(true),
      'application/json',
    );
    expect(policy.status).toBe(201);
    expect(policy.body.summary).toMatchObject({
      failed: 1,
      warned: 1,
      passed: 5,
    });

    const drifted = await ingest(
      api,
      'drift',
      { runId: '301', environment: 'dev', reportedAt: at(10) },
      plan(true),
      'application/json',
    );
    expect(drifted.body.summary).toMatchObject({
      status: 'drifted',
      drifted: 1,
      changes: 0,
    });
    await ingest(
      api,
      'drift',
      { runId: '302', environment: 'dev', reportedAt: at(5) },
      plan(true),
      'application/json',
    );

    const denied = await api
      .get(
        `/api/ml-infra/gates/promotion?entityRef=${REF}&version=1.2.0&environment=staging`,
      )
      .set('Authorization', ci);
    expect(denied.status).toBe(200);
    expect(denied.body.allowed).toBe(false);
    const failedChecks = denied.body.reasons
      .filter((r: any) => !r.ok)
      .map((r: any) => r.check);
    expect(failedChecks).toEqual(['policy', 'drift']);
    expect(
      denied.body.reasons.find((r: any) => r.check === 'policy').message,
    ).toContain('MLI-GPU-001');

    const drift = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/drift')
      .set('Authorization', alice);
    expect(
      drift.body.environments.find((e: any) => e.environment === 'dev'),
    ).toMatchObject({
      status: 'drifted',
      driftedSince: at(10),
      resources: [
        expect.objectContaining({
          address: 'aws_eks_node_group.gpu',
          source: 'drift',
        }),
      ],
    });

    // Resolve the drift and fix the policy: the gate opens.
    await ingest(
      api,
      'drift',
      { runId: '303', environment: 'dev', reportedAt: at(1) },
      plan(false),
      'application/json',
    );
    await ingest(
      api,
      'policy',
      { runId: '203', version: '1.2.0' },
      conftest(false),
      'application/json',
    );
    const allowed = await api
      .get(
        `/api/ml-infra/gates/promotion?entityRef=${REF}&version=1.2.0&environment=staging`,
      )
      .set('Authorization', ci);
    expect(allowed.body).toMatchObject({
      allowed: true,
      version: '1.2.0',
      environment: 'staging',
    });
    expect(allowed.body.reasons.map((r: any) => r.check)).toEqual([
      'version',
      'tests',
      'policy',
      'order',
      'soak',
      'drift',
    ]);

    const resolved = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/drift')
      .set('Authorization', alice);
    expect(resolved.body.episodes).toEqual([
      expect.objectContaining({
        environment: 'dev',
        firstSeenAt: at(10),
        lastSeenAt: at(5),
        resolvedAt: at(1),
      }),
    ]);

    const notSoaked = await api
      .get(
        `/api/ml-infra/gates/promotion?entityRef=${REF}&version=1.2.0&environment=prod`,
      )
      .set('Authorization', ci);
    expect(notSoaked.body.allowed).toBe(false);
    expect(
      notSoaked.body.reasons.find((r: any) => r.check === 'soak').message,
    ).toContain('never ran in staging');

    const matrix = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/environments')
      .set('Authorization', alice);
    expect(matrix.body.current[0]).toMatchObject({
      environment: 'dev',
      version: '1.2.0',
      drift: 'clean',
    });
    expect(matrix.body.history).toHaveLength(1);

    const versions = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/versions')
      .set('Authorization', alice);
    expect(versions.body.items).toEqual([
      expect.objectContaining({
        version: '1.2.0',
        tests: 'passed',
        policy: 'warned',
        environments: ['dev'],
        changelog: '- GPU pool autoscaling',
      }),
    ]);

    const list = await api
      .get('/api/ml-infra/modules?sort=name')
      .set('Authorization', alice);
    expect(list.body.totalCount).toBe(2);
    expect(list.body.environments).toEqual(['dev', 'staging', 'prod']);
    expect(list.body.items.map((m: any) => m.entityRef)).toEqual([
      'component:default/feature-store',
      REF,
    ]);
    expect(list.body.items[1]).toMatchObject({
      latestVersion: '1.2.0',
      tests: 'passed',
      drift: 'clean',
      goldenPath: 'gpu-training-cluster',
    });
    const byOwner = await api
      .get('/api/ml-infra/modules?owner=data')
      .set('Authorization', alice);
    expect(byOwner.body.items.map((m: any) => m.entityRef)).toEqual([
      'component:default/feature-store',
    ]);
    jest.useRealTimers();
  });

  it('runs the waiver lifecycle: requester cannot approve, waived is not passed, expiry applies at read time', async () => {
    const api = await startBackend();
    await createRelease(api, '2.0.0');
    await reportFailingPolicy(api, '401', '2.0.0');

    const tooLong = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', alice)
      .send({
        entityRef: REF,
        rule: 'MLI-GPU-001',
        justification: 'capacity reservation',
        expiresAt: new Date(Date.now() + 400 * 24 * HOURS).toISOString(),
      });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('90 days');

    const requested = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', alice)
      .send({
        entityRef: REF,
        rule: 'MLI-GPU-001',
        justification: 'p5 capacity reserved until the Q1 migration',
        expiresAt: new Date(Date.now() + 2 * 24 * HOURS).toISOString(),
      });
    expect(requested.status).toBe(201);
    const id = requested.body.id;
    expect(requested.body).toMatchObject({
      status: 'pending',
      requestedBy: 'user:default/alice',
    });

    const self = await api
      .post(`/api/ml-infra/waivers/${id}/approve`)
      .set('Authorization', alice)
      .send({});
    expect(self.status).toBe(403);
    expect(self.body.error.message).toContain('someone else');

    const approved = await api
      .post(`/api/ml-infra/waivers/${id}/approve`)
      .set('Authorization', bob)
      .send({ comment: 'ok until Q1' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/bob',
    });
    const twice = await api
      .post(`/api/ml-infra/waivers/${id}/approve`)
      .set('Authorization', bob)
      .send({});
    expect(twice.status).toBe(409);

    const policy = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/policy')
      .set('Authorization', alice);
    const waived = policy.body.results.find(
      (r: any) => r.rule === 'MLI-GPU-001',
    );
    expect(waived).toMatchObject({
      outcome: 'waived',
      rawOutcome: 'failed',
      waiverId: id,
    });
    expect(policy.body.counts).toMatchObject({ failed: 0, waived: 1 });

    const gate = await api
      .get(
        `/api/ml-infra/gates/promotion?entityRef=${REF}&version=2.0.0&environment=dev`,
      )
      .set('Authorization', ci);
    expect(
      gate.body.reasons.find((r: any) => r.check === 'policy'),
    ).toMatchObject({ ok: true });

    // Three days later the waiver no longer applies, without waiting for the scheduled task.
    fakeDateOnly();
    try {
      jest.setSystemTime(Date.now() + 3 * 24 * HOURS);
      const later = await api
        .get('/api/ml-infra/modules/component/default/gpu-cluster/policy')
        .set('Authorization', alice);
      expect(
        later.body.results.find((r: any) => r.rule === 'MLI-GPU-001'),
      ).toMatchObject({ outcome: 'failed' });
      expect(later.body.waivers[0]).toMatchObject({ id, status: 'expired' });
      const expired = await api
        .get(`/api/ml-infra/waivers?entityRef=${REF}&status=expired`)
        .set('Authorization', alice);
      expect(expired.body.items.map((w: any) => w.id)).toEqual([id]);
    } finally {
      jest.useRealTimers();
    }

    const revoke = await api
      .post(`/api/ml-infra/waivers/${id}/revoke`)
      .set('Authorization', bob)
      .send({});
    expect(revoke.status).toBe(200);
    const audit = await api
      .get(`/api/ml-infra/waivers/${id}/audit`)
      .set('Authorization', alice);
    expect(audit.body.items.map((e: any) => e.action)).toEqual([
      'requested',
      'approved',
      'revoked',
    ]);

    const compliance = await api
      .get('/api/ml-infra/compliance')
      .set('Authorization', alice);
    expect(compliance.status).toBe(200);
    expect(compliance.body.totals).toMatchObject({
      modules: 2,
      failingPolicies: 1,
      untestedReleases: 1,
    });
    expect(
      compliance.body.bySeverity.find((s: any) => s.severity === 'critical'),
    ).toMatchObject({ failed: 1 });
    expect(compliance.body.byRule[0]).toMatchObject({
      rule: 'MLI-GPU-001',
      failed: 1,
      modules: 1,
    });
    expect(compliance.body.trend).toHaveLength(30);
    expect(compliance.body.trend[29]).toMatchObject({ failed: 1, warned: 1 });
  });

  it('lets the requester withdraw a pending request, refuses duplicates and audits every decision', async () => {
    const api = await startBackend();
    await reportFailingPolicy(api, '451', '2.1.0');
    const body = {
      entityRef: REF,
      rule: 'MLI-GPU-001',
      environment: 'dev',
      justification: 'p5 capacity reserved',
      expiresAt: new Date(Date.now() + 5 * 24 * HOURS).toISOString(),
    };
    const first = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', alice)
      .send(body);
    expect(first.status).toBe(201);

    const duplicate = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', bob)
      .send(body);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toContain(first.body.id);
    expect(duplicate.body.error.message).toContain('pending');
    // Another environment is another scope.
    const otherScope = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', bob)
      .send({ ...body, environment: 'staging' });
    expect(otherScope.status).toBe(201);

    const notMine = await api
      .post(`/api/ml-infra/waivers/${first.body.id}/withdraw`)
      .set('Authorization', bob)
      .send({});
    expect(notMine.status).toBe(403);
    expect(notMine.body.error.message).toContain('only the requester');

    const withdrawn = await api
      .post(`/api/ml-infra/waivers/${first.body.id}/withdraw`)
      .set('Authorization', alice)
      .send({ comment: 'filed by mistake' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      status: 'withdrawn',
      decidedBy: 'user:default/alice',
      decisionComment: 'filed by mistake',
    });
    const again = await api
      .post(`/api/ml-infra/waivers/${first.body.id}/withdraw`)
      .set('Authorization', alice)
      .send({});
    expect(again.status).toBe(409);
    const approveWithdrawn = await api
      .post(`/api/ml-infra/waivers/${first.body.id}/approve`)
      .set('Authorization', bob)
      .send({});
    expect(approveWithdrawn.status).toBe(409);

    // Once withdrawn, the same scope may be requested again.
    const renewed = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', alice)
      .send(body);
    expect(renewed.status).toBe(201);
    const rejected = await api
      .post(`/api/ml-infra/waivers/${otherScope.body.id}/reject`)
      .set('Authorization', alice)
      .send({ comment: 'fix it instead' });
    expect(rejected.status).toBe(200);

    const decided = await api
      .get(`/api/ml-infra/waivers?entityRef=${REF}`)
      .set('Authorization', alice);
    expect(
      Object.fromEntries(decided.body.items.map((w: any) => [w.id, w.status])),
    ).toEqual({
      [first.body.id]: 'withdrawn',
      [otherScope.body.id]: 'rejected',
      [renewed.body.id]: 'pending',
    });
    const withdrawnOnly = await api
      .get(`/api/ml-infra/waivers?entityRef=${REF}&status=withdrawn`)
      .set('Authorization', alice);
    expect(withdrawnOnly.body.items.map((w: any) => w.id)).toEqual([
      first.body.id,
    ]);
    const audit = await api
      .get(`/api/ml-infra/waivers/${first.body.id}/audit`)
      .set('Authorization', bob);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'requested',
        actor: 'user:default/alice',
      }),
      expect.objectContaining({
        action: 'withdrawn',
        actor: 'user:default/alice',
        comment: 'filed by mistake',
      }),
    ]);
  });

  it('lists findings one per failing rule and tells modules never reported from healthy ones', async () => {
    const api = await startBackend();
    await createRelease(api, '3.0.0');
    await reportFailingPolicy(api, '471', '3.0.0');
    const compliance = await api
      .get('/api/ml-infra/compliance')
      .set('Authorization', alice);
    expect(compliance.body.findings).toEqual([
      expect.objectContaining({
        entityRef: REF,
        owner: 'group:default/ml-platform',
        version: '3.0.0',
        rule: 'MLI-GPU-001',
        severity: 'critical',
        resource: 'aws_eks_node_group.gpu',
        status: 'failed',
        count: 1,
      }),
    ]);

    const notReported = await api
      .get('/api/ml-infra/modules?status=not-reported')
      .set('Authorization', alice);
    expect(notReported.body.items.map((m: any) => m.entityRef)).toEqual([
      'component:default/feature-store',
    ]);
    const healthy = await api
      .get('/api/ml-infra/modules?status=healthy')
      .set('Authorization', alice);
    // Never reported is not healthy; failing policy is not either.
    expect(healthy.body.items).toEqual([]);
  });

  it('honours promotion gate checks added by modules', async () => {
    const freeze = createBackendModule({
      pluginId: 'ml-infra',
      moduleId: 'change-freeze',
      register(reg) {
        reg.registerInit({
          deps: { gate: mlInfraGateExtensionPoint },
          async init({ gate }) {
            gate.addCheck({
              id: 'change-freeze',
              async evaluate({ environment }) {
                return environment === 'prod'
                  ? { ok: false, message: 'prod is frozen until 2027-01-05' }
                  : { ok: true, message: 'no freeze' };
              },
            });
          },
        });
      },
    });
    const api = await startBackend({}, [freeze]);
    await createRelease(api, '1.0.0');
    const gate = await api
      .get(
        `/api/ml-infra/gates/promotion?entityRef=${REF}&version=1.0.0&environment=dev`,
      )
      .set('Authorization', ci);
    expect(gate.body.reasons).toContainEqual({
      check: 'extension',
      extensionId: 'change-freeze',
      ok: true,
      message: 'no freeze',
    });
  });

  it('schedules the waiver expiry task, whose run records each expiry once', async () => {
    const scheduler = mockServices.scheduler.mock();
    const api = await startBackend({}, [scheduler.factory]);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'ml-infra-waiver-expiry',
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
      }),
    );
    const task = scheduler.scheduleTask.mock.calls[0][0];

    // Waivers are requested for failing rules only.
    await reportFailingPolicy(api, '981', '1.0.0');
    const requested = await api
      .post('/api/ml-infra/waivers')
      .set('Authorization', alice)
      .send({
        entityRef: REF,
        rule: 'MLI-GPU-001',
        justification: 'temporary',
        expiresAt: new Date(Date.now() + HOURS).toISOString(),
      });
    await api
      .post(`/api/ml-infra/waivers/${requested.body.id}/approve`)
      .set('Authorization', bob)
      .send({});

    fakeDateOnly();
    try {
      jest.setSystemTime(Date.now() + 2 * HOURS);
      await task.fn(new AbortController().signal as any);
      await task.fn(new AbortController().signal as any);
    } finally {
      jest.useRealTimers();
    }
    const audit = await api
      .get(`/api/ml-infra/waivers/${requested.body.id}/audit`)
      .set('Authorization', alice);
    expect(audit.body.items.map((e: any) => e.action)).toEqual([
      'requested',
      'approved',
      'expired',
    ]);
    const waivers = await api
      .get(`/api/ml-infra/waivers?entityRef=${REF}`)
      .set('Authorization', alice);
    expect(waivers.body.items[0]).toMatchObject({ status: 'expired' });
  });
});
