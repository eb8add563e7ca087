/*
 * The API contract proven by its two real parties: the generated client (MlInfraClient and the
 * typed openapi-fetch client of ml-infra-common) against this plugin's validated router, over
 * HTTP, in an in-process backend. Nothing in between is mocked; only the catalog and the
 * credentials are test doubles of Backstage's own services.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { createFetchApi, FetchMiddlewares } from '@backstage/core-app-api';
import {
  createMlInfraApiClient,
  MlInfraApiClient,
  MlInfraClient,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  apiBaseUrl,
  moduleEntity as testModuleEntity,
  startMlInfraBackend,
} from './__testUtils__/backend';
import { conftestOutput } from './__testUtils__/reports';
import { spec } from './schema/openapi.generated';

jest.setTimeout(120_000);

const GPU = 'component:default/gpu-training-cluster';
const STORE = 'component:default/feature-store';
// Environment names are configuration: one with a space, a '+' and a non-ASCII letter.
const ENVIRONMENTS = ['dev', 'qa eu+1 ü', 'prod'];

const moduleEntity = (name: string, title: string, owner: string) =>
  testModuleEntity(name, {
    owner,
    title,
    annotations: { 'ml-infra.io/golden-path': `${name}-path` },
  });

const PKG = 'github.com/acme/terraform-aws-gpu-training-cluster/test';
const goTestJson = [
  { Action: 'run', Package: PKG, Test: 'TestPlan' },
  { Action: 'pass', Package: PKG, Test: 'TestPlan', Elapsed: 1.2 },
  { Action: 'pass', Package: PKG, Elapsed: 1.3 },
]
  .map(e => JSON.stringify(e))
  .join('\n');
const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="${PKG}" tests="1"><testcase classname="test" name="TestPlan" time="1.0"/></testsuite></testsuites>`;
const conftest = (rules: string[]) =>
  conftestOutput({
    namespace: 'ml_infra',
    successes: 3,
    failures: rules.map(id => ({
      msg: `${id} failed`,
      metadata: { id, severity: 'critical' },
    })),
  });
const PLAN = JSON.stringify({
  format_version: '1.2',
  terraform_version: '1.8.5',
  resource_drift: [],
  resource_changes: [],
});

/** `METHOD /template` of a request URL under the plugin, or `UNDOCUMENTED ...`. */
const templates = Object.keys(spec.paths).map(template => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));
function operationOf(method: string, url: URL) {
  const path = url.pathname.replace(/^\/api\/ml-infra/, '');
  const match = templates.find(t => t.pattern.test(path));
  return `${method.toLowerCase()} ${
    match ? match.template : `UNDOCUMENTED ${path}`
  }`;
}

const specOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.keys(item).map(method => `${method} ${path}`),
);

function specQueryParameters(operation: string): string[] {
  const [method, path] = operation.split(' ');
  const item = (spec.paths as Record<string, any>)[path];
  const refs: any[] = [
    ...(item.parameters ?? []),
    ...(item[method].parameters ?? []),
  ];
  return refs
    .map(p =>
      p.$ref
        ? (spec.components.parameters as Record<string, any>)[
            p.$ref.split('/').pop()
          ]
        : p,
    )
    .filter(p => p.in === 'query')
    .map(p => p.name)
    .sort();
}

describe('API contract: generated client against the validated router', () => {
  let baseUrl: string;
  /** Every request the clients sent: operation, and the raw query string as it went out. */
  const sent: { operation: string; rawQuery: string; params: string[] }[] = [];

  /** A fetch that records what the client sends and adds the caller's credentials. */
  const recordingFetch =
    (authorization: string) =>
    async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      sent.push({
        operation: operationOf(request.method, url),
        rawQuery: url.search,
        params: [...new Set(url.searchParams.keys())],
      });
      request.headers.set('Authorization', authorization);
      return fetch(request);
    };

  const discoveryApi = { getBaseUrl: async () => baseUrl };
  /**
   * The frontend's client goes through Backstage's own fetchApi, with the middlewares an app
   * installs (plugin:// resolution, the signed-in user's token), as in the browser: those
   * middlewares rebuild the request, which a POST must survive.
   */
  const clientFor = (authorization: string) => {
    const token = authorization.replace(/^Bearer /, '');
    const identityApi = {
      getCredentials: async () => ({ token }),
      getBackstageIdentity: async () => {
        throw new Error('not used');
      },
      getProfileInfo: async () => ({}),
      signOut: async () => {},
    };
    return new MlInfraClient({
      discoveryApi,
      fetchApi: createFetchApi({
        baseImplementation: recordingFetch(authorization),
        middleware: [
          FetchMiddlewares.resolvePluginProtocol({ discoveryApi }),
          FetchMiddlewares.injectIdentityAuth({
            identityApi,
            allowUrl: () => true,
          }),
        ],
      }),
    });
  };
  const alice = () =>
    clientFor(mockCredentials.user.header('user:default/alice'));
  const bob = () => clientFor(mockCredentials.user.header('user:default/bob'));
  let ci: MlInfraApiClient;

  beforeAll(async () => {
    const server = await startMlInfraBackend({
      entities: [
        moduleEntity(
          'gpu-training-cluster',
          'GPU training cluster',
          'group:default/ml-platform',
        ),
        moduleEntity(
          'feature-store',
          'Feature store (Ünïcode)',
          'group:default/data',
        ),
      ],
      ciGrant: { owners: ['group:default/ml-platform', 'group:default/data'] },
      mlInfra: { environments: ENVIRONMENTS },
    });
    baseUrl = apiBaseUrl(server);
    ci = createMlInfraApiClient({
      baseUrl,
      fetch: recordingFetch(mockCredentials.service.header()),
    });
  });

  const raw = (body: string, contentType: string) => ({
    body,
    bodySerializer: (b: string) => b,
    headers: { 'Content-Type': contentType },
  });
  // Reserved and non-ASCII characters in every free-form identity value.
  const identity = (runId: string) => ({
    provider: 'github',
    runId,
    attempt: 1,
    ...(specQueryParameters('post /ingest/tests').includes('leg')
      ? { leg: "matrix (eu+us) 100% ü!*'" }
      : {}),
  });

  it('answers health and registers modules (a JSON body with an array)', async () => {
    expect((await ci.GET('/health')).data).toEqual({ status: 'ok' });
    for (const entityRef of [GPU, STORE]) {
      const { data } = await ci.POST('/modules', {
        body: { entityRef, environments: ENVIRONMENTS },
      });
      expect(data).toMatchObject({ entityRef, environments: ENVIRONMENTS });
    }
  });

  it('records runs, releases and deployments whose values carry reserved characters', async () => {
    const run = await ci.POST('/runs', {
      body: {
        entityRef: GPU,
        workflow: 'Test & release (matrix: eu+us)',
        status: 'completed',
        conclusion: 'success',
        version: '1.2.0+build.7',
        url: 'https://ci.example.com/runs/1?attempt=1&x=%20',
        ...identity('run 1+2%3 ü😀'),
      },
    });
    expect(run.response.status).toBe(201);
    for (const version of ['1.0.0', '1.2.0+build.7']) {
      const release = await ci.POST('/releases', {
        body: {
          entityRef: GPU,
          version,
          changelog: '## 1.2.0\n- 100% more GPUs & +2 regions',
          run: identity(`release ${version}`),
        },
      });
      expect(release.response.ok).toBe(true);
    }
    const deployment = await ci.POST('/deployments', {
      body: {
        entityRef: GPU,
        version: '1.2.0+build.7',
        environment: 'qa eu+1 ü',
        action: 'deploy',
        run: identity('deploy qa eu+1 ü'),
      },
    });
    expect(deployment.response.status).toBe(201);
  });

  it('ingests raw tool output with every query parameter, reserved characters intact', async () => {
    const runId = 'tests 1+1=2 100% ü😀';
    const query = {
      entityRef: GPU,
      version: '1.2.0+build.7',
      environment: 'qa eu+1 ü',
      reportedAt: '2026-01-02T03:04:05+02:00',
      ...identity(runId),
    };
    const first = await ci.POST('/ingest/tests', {
      params: { query: { ...query, format: 'go-test-json' } },
      ...raw(goTestJson, 'application/x-ndjson'),
    });
    expect(first.response.status).toBe(201);
    // The same identity decoded the same way: a replay replaces, never adds.
    const replay = await ci.POST('/ingest/tests', {
      params: { query: { ...query, format: 'junit' } },
      ...raw(JUNIT, 'application/xml'),
    });
    expect(replay.data).toMatchObject({ replaced: true });

    const tests = await alice().getTests(GPU, { version: '1.2.0+build.7' });
    expect(tests.runs).toHaveLength(1);
    expect(tests.runs[0].run).toMatchObject({ provider: 'github', runId });

    const policy = await ci.POST('/ingest/policy', {
      params: {
        query: { ...query, runId: 'policy +%ü', format: 'conftest' },
      },
      ...raw(conftest(['ML-1', 'ML-2', 'ML-3', 'ML-4']), 'application/json'),
    });
    expect(policy.response.status).toBe(201);
    const drift = await ci.POST('/ingest/drift', {
      params: { query: { ...query, runId: 'drift +%ü' } },
      ...raw(PLAN, 'application/json'),
    });
    expect(drift.response.status).toBe(201);
  });

  it('takes the tool outputs teams send: go test -v text, old and buggy conftest, a whole OPA package; refuses TAP', async () => {
    const query = { entityRef: STORE, ...identity('formats') };
    const goTestV = await ci.POST('/ingest/tests', {
      params: { query },
      ...raw(
        '=== RUN   TestPlan\n    plan_test.go:9: no GPU quota\n--- FAIL: TestPlan (0.20s)\nFAIL\nFAIL\tgithub.com/acme/fs/test\t0.21s\n',
        'text/plain',
      ),
    });
    expect(goTestV.data?.summary).toMatchObject({
      format: 'go-test',
      status: 'failed',
      failed: 1,
    });

    const tap = await ci
      .POST('/ingest/tests', {
        params: { query: { ...query, runId: 'tap' } },
        ...raw('TAP version 13\n1..1\nok 1 - plan\n', 'text/plain'),
      })
      .catch(error => error);
    expect(tap.response.status).toBe(400);
    expect(tap.cause.message).toMatch(
      /accepted: go test -json .*plain go test -v output .*JUnit XML/,
    );

    const conftestOld = await ci.POST('/ingest/policy', {
      params: {
        query: { ...query, runId: 'conftest-old', format: 'conftest' },
      },
      ...raw(
        JSON.stringify([
          { filename: 'a.json', namespace: 'main', successes: [{ msg: '' }] },
          { filename: 'b.json', namespace: 'main', successes: -1 },
        ]),
        'application/json',
      ),
    });
    expect(conftestOld.data?.summary).toMatchObject({
      passed: 1,
      negativeSuccessCountsStoredAsZero: 1,
    });

    const opaPackage = await ci.POST('/ingest/policy', {
      params: { query: { ...query, runId: 'opa-package', format: 'opa-eval' } },
      ...raw(
        JSON.stringify({
          result: [
            {
              expressions: [
                {
                  text: 'data.main',
                  value: {
                    allow: false,
                    deny: ['public bucket'],
                    warn: ['no tag'],
                  },
                },
              ],
            },
          ],
        }),
        'application/json',
      ),
    });
    expect(opaPackage.data?.summary).toMatchObject({ failed: 1, warned: 1 });
  });

  it('lists modules with every filter; a search with a space finds the GPU training cluster', async () => {
    const api = alice();
    const found = await api.listModules({ search: 'training cluster' });
    expect(found.items.map(m => m.entityRef)).toEqual([GPU]);
    // Sent percent-encoded, as the validator requires of a reserved character.
    expect(sent[sent.length - 1].rawQuery).toBe('?search=training%20cluster');

    expect(
      (await api.listModules({ search: 'ünïcode' })).items.map(
        m => m.entityRef,
      ),
    ).toEqual([STORE]);
    expect(
      (await api.listModules({ search: "(c++) 100% ü!*'" })).items,
    ).toEqual([]);

    const all = await api.listModules({
      owner: 'group:default/ml-platform',
      status: 'healthy',
      environment: 'qa eu+1 ü',
      goldenPath: 'gpu-training-cluster-path',
      search: 'gpu',
      sort: 'updatedAt',
      order: 'desc',
      offset: 0,
      limit: 500,
    });
    expect(all.environments).toEqual(ENVIRONMENTS);
    const paged = await api.listModules({
      sort: 'name',
      order: 'asc',
      offset: 1,
      limit: 1,
    });
    expect(paged).toMatchObject({ totalCount: 2 });
    expect(paged.items.map(m => m.entityRef)).toEqual([GPU]);
  });

  it('accepts a search as browsers and curl form-encode it (space as +), meaning the same', async () => {
    const authorization = mockCredentials.user.header('user:default/alice');
    for (const query of [
      'search=training+cluster',
      new URLSearchParams({ search: 'training cluster' }).toString(),
      'search=training%20cluster',
    ]) {
      const response = await fetch(`${baseUrl}/modules?${query}`, {
        headers: { Authorization: authorization },
      });
      expect({ query, status: response.status }).toEqual({
        query,
        status: 200,
      });
      const body = await response.json();
      expect(body.items.map((m: { entityRef: string }) => m.entityRef)).toEqual(
        [GPU],
      );
    }
  });

  it('refuses a scalar parameter sent as an array, and values outside the spec, naming them', async () => {
    const authorization = mockCredentials.user.header('user:default/alice');
    for (const [query, name] of [
      ['status=healthy&status=drifted', 'status'],
      ['status=green', 'status'],
      ['limit=501', 'limit'],
      ['offset=-1', 'offset'],
      ['sort=size', 'sort'],
    ]) {
      const response = await fetch(`${baseUrl}/modules?${query}`, {
        headers: { Authorization: authorization },
      });
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toContain(name);
    }
  });

  it('reads every module tab with path and query parameters', async () => {
    const api = alice();
    // Build metadata is not part of a version's identity (semver): stored as 1.2.0.
    expect(await api.getModule(GPU)).toMatchObject({
      entityRef: GPU,
      latestVersion: '1.2.0',
    });
    expect((await api.getVersions(GPU)).map(v => v.version)).toEqual([
      '1.2.0',
      '1.0.0',
    ]);
    expect((await api.getEnvironments(GPU)).environments).toEqual(ENVIRONMENTS);
    expect(await api.getDrift(GPU)).toHaveProperty('environments');
    const policy = await api.getPolicy(GPU, { version: '1.2.0+build.7' });
    expect(policy.results.map(r => r.rule)).toEqual(
      expect.arrayContaining(['ML-1', 'ML-2', 'ML-3', 'ML-4']),
    );
    expect(await api.getTests(GPU)).toHaveProperty('runs');
    const gate = await api.getPromotionGate(GPU, '1.2.0+build.7', 'qa eu+1 ü');
    expect(typeof gate.allowed).toBe('boolean');
    expect(await api.getCompliance()).toHaveProperty('bySeverity');
  });

  it('requests, decides, lists and audits waivers', async () => {
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const request = (rule: string) =>
      alice().requestWaiver({
        entityRef: GPU,
        rule,
        environment: 'dev',
        justification: 'Migrating to the new key: 100% done by Q3 (+2 weeks) ü',
        expiresAt,
      });
    const approved = await bob().approveWaiver(
      (
        await request('ML-1')
      ).id,
      'ok & +1',
    );
    expect(approved.status).toBe('approved');
    expect((await bob().revokeWaiver(approved.id)).status).toBe('revoked');
    expect(
      (await bob().rejectWaiver((await request('ML-2')).id, 'no')).status,
    ).toBe('rejected');
    expect(
      (await alice().withdrawWaiver((await request('ML-3')).id)).status,
    ).toBe('withdrawn');

    const listed = await alice().listWaivers({
      entityRef: GPU,
      status: 'rejected',
    });
    expect(listed.map(w => w.rule)).toEqual(['ML-2']);
    expect((await alice().listWaivers()).length).toBeGreaterThanOrEqual(3);
    const audit = await alice().getWaiverAudit(approved.id);
    expect(audit.map(e => e.action)).toEqual([
      'requested',
      'approved',
      'revoked',
    ]);
  });

  it('turns an error answer into a ResponseError with the status and the server message', async () => {
    await expect(
      alice().getModule('component:default/no-such-module'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      response: expect.objectContaining({ status: 404 }),
    });
  });

  // Last: what the tests above sent, against the document.
  it('called every operation of the spec with every query parameter, and nothing outside it', () => {
    const called = [...new Set(sent.map(s => s.operation))].sort();
    expect(called).toEqual([...specOperations].sort());
    for (const operation of specOperations) {
      const used = new Set(
        sent.filter(s => s.operation === operation).flatMap(s => s.params),
      );
      expect({ operation, params: [...used].sort() }).toEqual({
        operation,
        params: specQueryParameters(operation),
      });
    }
  });
});
