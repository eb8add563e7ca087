/**
 * The rules that keep the portal's answers honest (issue 10), through the real router, services
 * and store: missing evidence fails the gate, the server's clock decides, links are http(s), a
 * waiver is requested only for a failing rule and covers only the version and environments it
 * names, and a request nobody decided in time expires.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { startMlInfraBackend } from '../__testUtils__/backend';
import { fakeDateOnly } from '../__testUtils__/clock';
import { conftestOutput } from '../__testUtils__/reports';

jest.setTimeout(120_000);

const REF = 'component:default/gpu-cluster';
const HOURS = 3_600_000;
const ci = mockCredentials.service.header();
const owner = mockCredentials.user.header('user:default/olly');
const reviewer = mockCredentials.user.header('user:default/gina');

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'gpu-cluster', namespace: 'default' },
  spec: { type: 'terraform-module', owner: 'group:default/ml-platform' },
};

function conftest(failing: boolean) {
  return conftestOutput({
    namespace: 'main',
    successes: 3,
    failures: failing
      ? [
          {
            msg: 'bucket is public',
            metadata: { id: 'MLI-S3-001', severity: 'critical' },
          },
        ]
      : [],
  });
}

const PASSING_TESTS = [
  { Action: 'run', Package: 'p', Test: 'TestPlan' },
  { Action: 'pass', Package: 'p', Test: 'TestPlan', Elapsed: 1 },
]
  .map(e => JSON.stringify(e))
  .join('\n');

const CLEAN_PLAN = JSON.stringify({
  format_version: '1.2',
  resource_changes: [],
});

async function startBackend(mlInfra: object = {}) {
  const server = await startMlInfraBackend({
    entities: [entity],
    ciGrant: { entityRefs: [REF] },
    mlInfra: { gate: { minSoakHours: 24 }, ...mlInfra },
  });
  return request(server);
}

type Api = Awaited<ReturnType<typeof startBackend>>;

let uploads = 0;
function upload(api: Api, route: string, query: string, body: string) {
  uploads += 1;
  return api
    .post(
      `/api/ml-infra/ingest/${route}?entityRef=${REF}&provider=github&runId=r${uploads}&attempt=1&${query}`,
    )
    .set('Authorization', ci)
    .set('Content-Type', 'application/json')
    .send(body);
}

async function release(api: Api, version: string) {
  const res = await api
    .post('/api/ml-infra/releases')
    .set('Authorization', ci)
    .send({ entityRef: REF, version });
  expect(res.status).toBe(201);
}

/** CI reports that 1.0.0 went to dev. */
function deployToDev(api: Api, fields: object = {}) {
  return api
    .post('/api/ml-infra/deployments')
    .set('Authorization', ci)
    .send({ entityRef: REF, version: '1.0.0', environment: 'dev', ...fields });
}

/** CI reports a completed workflow run. */
function reportRun(api: Api, fields: Record<string, unknown>) {
  return api
    .post('/api/ml-infra/runs')
    .set('Authorization', ci)
    .send({
      entityRef: REF,
      provider: 'github',
      attempt: 1,
      workflow: 'ci',
      status: 'completed',
      ...fields,
    });
}

async function gate(api: Api, version: string, environment: string) {
  const res = await api
    .get(
      `/api/ml-infra/gates/promotion?entityRef=${REF}&version=${version}&environment=${environment}`,
    )
    .set('Authorization', ci);
  expect(res.status).toBe(200);
  return res.body as {
    allowed: boolean;
    reasons: Array<{ check: string; ok: boolean; message: string }>;
  };
}

const reason = (body: Awaited<ReturnType<typeof gate>>, check: string) =>
  body.reasons.find(r => r.check === check)!;

function fakeClock(at: number) {
  // Only Date moves: the backend's own timers must keep running.
  fakeDateOnly();
  jest.setSystemTime(at);
}

afterEach(() => {
  jest.useRealTimers();
});

describe('fail-closed promotion gate', () => {
  /** 1.0.0 released, its tests passed, deployed to dev: only policy and drift evidence lack. */
  async function testedInDev(api: Api) {
    await release(api, '1.0.0');
    await upload(api, 'tests', 'version=1.0.0', PASSING_TESTS);
    await deployToDev(api);
  }

  it('fails on missing policy evidence and a previous environment never checked for drift', async () => {
    const api = await startBackend({ gate: { minSoakHours: 0 } });
    await testedInDev(api);

    const closed = await gate(api, '1.0.0', 'staging');
    expect(closed.allowed).toBe(false);
    expect(reason(closed, 'policy')).toMatchObject({
      ok: false,
      message: expect.stringContaining('No policy results reported for 1.0.0'),
    });
    expect(reason(closed, 'drift')).toMatchObject({
      ok: false,
      message: expect.stringContaining('dev has no drift check yet'),
    });

    await upload(api, 'policy', 'version=1.0.0', conftest(false));
    await upload(api, 'drift', 'environment=dev', CLEAN_PLAN);
    expect(await gate(api, '1.0.0', 'staging')).toMatchObject({
      allowed: true,
    });
  });

  it('answers ok for unchecked evidence only when mlInfra.gate.requireEvidence is false', async () => {
    const api = await startBackend({
      gate: { minSoakHours: 0, requireEvidence: false },
    });
    await testedInDev(api);
    const open = await gate(api, '1.0.0', 'staging');
    expect(reason(open, 'policy').ok).toBe(true);
    expect(reason(open, 'drift').ok).toBe(true);
  });
});

describe("the server's clock decides", () => {
  it('counts soak from arrival, not from a backdated deployedAt, and a replay keeps the arrival time', async () => {
    const api = await startBackend();
    const start = Date.now();
    await release(api, '1.0.0');
    const deploy = () =>
      deployToDev(api, {
        deployedAt: new Date(start - 30 * 24 * HOURS).toISOString(),
        run: { provider: 'github', runId: 'deploy-1', attempt: 1 },
      });
    expect((await deploy()).status).toBe(201);
    const soak = reason(await gate(api, '1.0.0', 'staging'), 'soak');
    expect(soak).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ran in dev for 0\.\d h; 24 h required/),
    });

    fakeClock(start + 25 * HOURS);
    expect((await deploy()).status).toBe(200);
    expect(reason(await gate(api, '1.0.0', 'staging'), 'soak').ok).toBe(true);

    const history = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/environments')
      .set('Authorization', owner);
    expect(history.body.history).toEqual([
      expect.objectContaining({
        reportedDeployedAt: new Date(start - 30 * 24 * HOURS).toISOString(),
        reportedBy: 'external:test-service',
      }),
    ]);
    expect(
      Date.parse(history.body.history[0].deployedAt),
    ).toBeGreaterThanOrEqual(start);
    expect(Date.parse(history.body.history[0].deployedAt)).toBeLessThan(
      start + HOURS,
    );
  });

  it('refuses a reportedAt or completedAt beyond the clock skew with 400, and accepts the past', async () => {
    const api = await startBackend();
    const future = new Date(Date.now() + 2 * HOURS).toISOString();
    const tests = await upload(
      api,
      'tests',
      `reportedAt=${future}`,
      PASSING_TESTS,
    );
    expect(tests.status).toBe(400);
    expect(tests.body.error.message).toMatch(/reportedAt .* is in the future/);
    const run = await reportRun(api, { runId: 'future', completedAt: future });
    expect(run.status).toBe(400);
    expect(run.body.error.message).toMatch(/completedAt .* is in the future/);
    const past = new Date(Date.now() - 2 * HOURS).toISOString();
    expect(
      (await upload(api, 'tests', `reportedAt=${past}`, PASSING_TESTS)).status,
    ).toBe(201);
    const skewed = new Date(Date.now() + 60_000).toISOString();
    expect(
      (await upload(api, 'tests', `reportedAt=${skewed}`, PASSING_TESTS))
        .status,
    ).toBe(201);
  });
});

describe('links', () => {
  it.each([
    // eslint-disable-next-line no-script-url -- the hostile input under test
    'javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'ftp://ci.example.com/1',
  ])('refuses %s as a run or deployment URL with 400', async url => {
    const api = await startBackend();
    await release(api, '1.0.0');
    const deployment = await deployToDev(api, { runUrl: url });
    expect(deployment.status).toBe(400);
    expect(deployment.body.error.message).toContain('runUrl');
    const run = await reportRun(api, { runId: 'x', url });
    expect(run.status).toBe(400);
    expect(run.body.error.message).toContain('url');
    const history = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/environments')
      .set('Authorization', owner);
    expect(history.body.history).toEqual([]);
  });

  it("keeps a CI client's deployedBy as a claim next to the principal that reported it", async () => {
    const api = await startBackend();
    await release(api, '1.0.0');
    await deployToDev(api, {
      deployedBy: 'user:default/ceo',
      runUrl: 'https://ci.example.com/runs/1',
    });
    const history = await api
      .get('/api/ml-infra/modules/component/default/gpu-cluster/environments')
      .set('Authorization', owner);
    expect(history.body.history[0]).toMatchObject({
      deployedBy: 'user:default/ceo',
      reportedBy: 'external:test-service',
      runUrl: 'https://ci.example.com/runs/1',
    });
  });
});

/** Asks for a waiver of the failing rule of `conftest(true)` as the module's owner. */
function requestWaiver(api: Api, scope: object = {}) {
  return api
    .post('/api/ml-infra/waivers')
    .set('Authorization', owner)
    .send({
      entityRef: REF,
      rule: 'MLI-S3-001',
      justification: 'public bucket for the model card site',
      expiresAt: new Date(Date.now() + 7 * 24 * HOURS).toISOString(),
      ...scope,
    });
}

/** A waiver requested by the owner and approved by the reviewer. */
async function approvedWaiver(api: Api, scope: object) {
  const requested = await requestWaiver(api, scope);
  expect(requested.status).toBe(201);
  const approved = await api
    .post(`/api/ml-infra/waivers/${requested.body.id}/approve`)
    .set('Authorization', reviewer)
    .send({});
  expect(approved.status).toBe(200);
  return requested.body;
}

describe('waiver requests', () => {
  it('refuses a waiver for a rule that is not failing, naming the rule and the environment', async () => {
    const api = await startBackend();
    const refusal = async (scope: object) => {
      const response = await requestWaiver(api, scope);
      expect(response.status).toBe(400);
      return response.body.error.message;
    };
    expect(await refusal({ environment: 'staging' })).toBe(
      `Rule MLI-S3-001 is not failing for ${REF} in staging (no policy results reported for the module); request a waiver only for a failing rule`,
    );

    await release(api, '1.0.0');
    await upload(api, 'policy', 'version=1.0.0', conftest(true));
    await release(api, '1.1.0');
    await upload(api, 'policy', 'version=1.1.0', conftest(false));
    // Fixed in the latest version: a waiver without a version would cover nothing that fails.
    expect(await refusal({ environment: 'staging' })).toContain(
      `Rule MLI-S3-001 is not failing for ${REF} 1.1.0 in staging (the latest policy results of 1.1.0 do not fail it)`,
    );
    expect(await refusal({ rule: 'MLI-S3-404', version: '1.0.0' })).toContain(
      `Rule MLI-S3-404 is not failing for ${REF} 1.0.0 in any environment`,
    );
    expect(
      await refusal({ version: '1.0.0', resource: 'aws_s3_bucket.other' }),
    ).toContain('Rule MLI-S3-001 on aws_s3_bucket.other is not failing');
    const listed = await api
      .get(`/api/ml-infra/waivers?entityRef=${REF}`)
      .set('Authorization', owner);
    expect(listed.body.items).toEqual([]);

    // Still failing in 1.0.0, in every environment the gate would count it for.
    const old = await requestWaiver(api, {
      version: '1.0.0',
      environment: 'prod',
    });
    expect(old.status).toBe(201);
  });

  it('accepts a waiver on the control of a failing rule, and one for a failure already waived elsewhere', async () => {
    const api = await startBackend();
    await release(api, '2.0.0');
    await upload(
      api,
      'policy',
      'version=2.0.0&environment=dev',
      JSON.stringify([
        {
          filename: 'plan.json',
          namespace: 'main',
          successes: 1,
          failures: [
            {
              msg: 'bucket is public',
              metadata: {
                id: 'MLI-S3-001',
                control: 'CIS-2.1.5',
                severity: 'critical',
                resource: 'aws_s3_bucket.site',
              },
            },
          ],
        },
      ]),
    );
    await approvedWaiver(api, {
      rule: 'CIS-2.1.5',
      environment: 'dev',
      resource: 'aws_s3_bucket.site',
    });
    // The dev result counts for a promotion to prod, where the dev waiver does not reach.
    const prod = await requestWaiver(api, { environment: 'prod' });
    expect(prod.status).toBe(201);
  });
});

describe('waiver scope and expiry', () => {
  async function failingVersions(api: Api) {
    await release(api, '1.0.0');
    await release(api, '1.1.0');
    for (const version of ['1.0.0', '1.1.0']) {
      await upload(api, 'policy', `version=${version}`, conftest(true));
    }
  }

  it('covers only the version it names', async () => {
    const api = await startBackend();
    await failingVersions(api);
    const waiver = await approvedWaiver(api, { version: 'v1.1.0' });
    expect(waiver.version).toBe('1.1.0');
    expect(reason(await gate(api, '1.1.0', 'staging'), 'policy').ok).toBe(true);
    expect(reason(await gate(api, '1.0.0', 'staging'), 'policy').ok).toBe(
      false,
    );
  });

  it('covers prod only when it names prod', async () => {
    const api = await startBackend();
    await failingVersions(api);
    await approvedWaiver(api, {});
    expect(reason(await gate(api, '1.1.0', 'staging'), 'policy').ok).toBe(true);
    const prod = reason(await gate(api, '1.1.0', 'prod'), 'policy');
    expect(prod).toMatchObject({
      ok: false,
      message: expect.stringContaining('MLI-S3-001'),
    });

    await approvedWaiver(api, { environment: 'prod' });
    expect(reason(await gate(api, '1.1.0', 'prod'), 'policy').ok).toBe(true);
  });

  it('expires a request nobody decided by its expiry: it can no longer be approved', async () => {
    const api = await startBackend();
    await failingVersions(api);
    const start = Date.now();
    const requested = await requestWaiver(api, {
      justification: 'short-lived',
      expiresAt: new Date(start + HOURS).toISOString(),
    });
    expect(requested.status).toBe(201);
    fakeClock(start + 2 * HOURS);
    const listed = await api
      .get(`/api/ml-infra/waivers?entityRef=${REF}`)
      .set('Authorization', owner);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: requested.body.id, status: 'expired' }),
    ]);
    const approve = await api
      .post(`/api/ml-infra/waivers/${requested.body.id}/approve`)
      .set('Authorization', reviewer)
      .send({});
    expect(approve.status).toBe(409);
  });
});
