/**
 * Auth matrix: every route of the ML Infra API (read from its OpenAPI document, so a new route
 * cannot be forgotten) × every kind of caller → the expected status, on the real thing:
 *
 * - Backstage's real auth, httpAuth, httpRouter, userInfo and permissions services;
 * - the real permission backend with the portal's own policy module (resultsReadableBy: owners,
 *   so reads are conditional decisions the real catalog evaluates);
 * - the real catalog backend, reading the module entities from a file location;
 * - user tokens and GitHub Actions OIDC tokens signed with real keys (jose), their JWKS served
 *   on loopback; static CI tokens and a real plugin-to-plugin token.
 *
 * Before issue 10 the shared CI token approved, rejected and revoked waivers (Backstage's
 * permission client allows a service principal whatever its accessRestrictions do not exclude,
 * so the policy was never asked), reported for every module, and list routes ignored
 * ml-infra.results.read. Each of those is a red cell here.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  AuthService,
  coreServices,
  createBackendPlugin,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mlInfraWaiverApprovePermission } from '@ml-infra-portal/plugin-ml-infra-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import YAML from 'yaml';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import mlInfraPlugin from '@ml-infra-portal/plugin-ml-infra-backend';
import policyModule from '../modules/permissionPolicy';
import {
  githubToken,
  serveJwks,
  signingKey,
  SigningKey,
  identityProviderPlugin,
  userToken,
} from './__testUtils__/identities';

jest.setTimeout(300_000);

const REF = 'component:default/gpu-cluster';
const REPO = 'acme/terraform-gpu-cluster';
const OTHER_REPO = 'acme/terraform-feature-store';
const GOVERNANCE = 'group:default/ml-governance';
const CI_PERMISSIONS = [
  'ml-infra.results.ingest',
  'ml-infra.results.read',
  'ml-infra.waiver.create',
];

const CALLERS = [
  'anonymous',
  'userWithout',
  'owner',
  'governance',
  'otherUser',
  'ciModule',
  'ciOther',
  'githubModule',
  'githubOther',
  'otherPlugin',
] as const;
type Caller = (typeof CALLERS)[number];

const USERS: Record<string, { ref: string; ownership: string[] }> = {
  userWithout: {
    ref: 'user:default/nobody',
    ownership: ['user:default/nobody'],
  },
  owner: {
    ref: 'user:default/olly',
    ownership: ['user:default/olly', 'group:default/ml-platform'],
  },
  governance: {
    ref: 'user:default/gina',
    ownership: ['user:default/gina', GOVERNANCE],
  },
  otherUser: {
    ref: 'user:default/dana',
    ownership: ['user:default/dana', 'group:default/data-platform'],
  },
};

const ENTITIES = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: gpu-cluster
  annotations:
    github.com/project-slug: ${REPO}
spec: { type: terraform-module, owner: group:default/ml-platform, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: feature-store
  annotations:
    github.com/project-slug: ${OTHER_REPO}
spec: { type: terraform-module, owner: group:default/data-platform, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: twin-a
  annotations:
    github.com/project-slug: acme/monorepo
spec: { type: terraform-module, owner: group:default/ml-platform, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: twin-b
  annotations:
    github.com/project-slug: acme/monorepo
spec: { type: terraform-module, owner: group:default/ml-platform, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: portal-website
  annotations:
    github.com/project-slug: acme/portal-website
spec: { type: website, owner: group:default/ml-platform, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: ml-platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: data-platform }
spec: { type: team, children: [] }
`;

// Expected statuses --------------------------------------------------------------------------

type Row = Record<Caller, number>;

function row(defaults: number, overrides: Partial<Row>): Row {
  return Object.fromEntries(
    CALLERS.map(c => [c, overrides[c] ?? defaults]),
  ) as Row;
}

/** Reading one module's results: its owners, governance, its own CI and other plugins. */
const read = row(403, {
  anonymous: 401,
  owner: 200,
  governance: 200,
  ciModule: 200,
  githubModule: 200,
  otherPlugin: 200,
});
/** Lists answer everyone signed in, showing only what each may read (see `visible`). */
const list = row(200, { anonymous: 401 });
const visible: Record<Caller, boolean> = {
  ...(Object.fromEntries(CALLERS.map(c => [c, read[c] === 200])) as Record<
    Caller,
    boolean
  >),
};
/** Reporting CI results: the module's own CI identities only. */
const ingest = row(403, { anonymous: 401, ciModule: 201, githubModule: 201 });
/** Registering the (already registered) module: its CI, and the scaffolder (another plugin). */
const register = row(403, {
  anonymous: 401,
  ciModule: 200,
  githubModule: 200,
  otherPlugin: 200,
});
/** Requesting a waiver: owners, governance, the module's own CI. */
const requestWaiver = row(403, {
  anonymous: 401,
  owner: 201,
  governance: 201,
  ciModule: 201,
  githubModule: 201,
});
/** Deciding a waiver: people in governance, never a service. */
const decide = row(403, { anonymous: 401, governance: 200 });
/** Withdrawing: only the requester (the owner made the fixtures). */
const withdraw = row(403, { anonymous: 401, owner: 200 });

interface Ids {
  pendingForApprove: string;
  pendingForReject: string;
  approvedForRevoke: string;
  pendingForWithdraw: string;
}

interface RouteCase {
  method: 'get' | 'post';
  path: (ids: Ids, caller: Caller) => string;
  body?: (caller: Caller) => { type: string; data: string | object };
  expected: Row;
  /** List routes: whether the module appears in the answer, per caller. */
  shows?: Record<Caller, boolean>;
}

const run = (kind: string, caller: Caller) =>
  `provider=github&runId=${kind}-${caller}&attempt=1`;
const GO_TEST = [
  { Action: 'run', Package: 'p', Test: 'TestA' },
  { Action: 'pass', Package: 'p', Test: 'TestA', Elapsed: 1 },
]
  .map(e => JSON.stringify(e))
  .join('\n');
const FAILING_RULES = [
  'MLI-A',
  'MLI-B',
  'MLI-C',
  'MLI-D',
  ...CALLERS.map(c => `MLI-${c}`),
];
const CONFTEST = JSON.stringify([
  {
    filename: 'plan.json',
    namespace: 'main',
    successes: 1,
    failures: FAILING_RULES.map(id => ({
      msg: `${id} failed`,
      metadata: { id, severity: 'high', resource: 'aws_s3_bucket.data' },
    })),
  },
]);
const json = (data: object) => () => ({ type: 'application/json', data });

/** Keyed by operationId: the matrix fails when the OpenAPI document has one that is not here. */
const ROUTES: Record<string, RouteCase> = {
  Health: { method: 'get', path: () => '/health', expected: row(200, {}) },
  IngestTests: {
    method: 'post',
    path: (_ids, caller) =>
      `/ingest/tests?entityRef=${REF}&${run('tests', caller)}`,
    body: () => ({ type: 'application/x-ndjson', data: GO_TEST }),
    expected: ingest,
  },
  IngestPolicy: {
    method: 'post',
    path: (_ids, caller) =>
      `/ingest/policy?entityRef=${REF}&version=1.0.0&${run('policy', caller)}`,
    body: () => ({ type: 'application/json', data: CONFTEST }),
    expected: ingest,
  },
  IngestDrift: {
    method: 'post',
    path: (_ids, caller) =>
      `/ingest/drift?entityRef=${REF}&environment=dev&${run('drift', caller)}`,
    body: () => ({
      type: 'application/json',
      data: JSON.stringify({ format_version: '1.2', resource_changes: [] }),
    }),
    expected: ingest,
  },
  RecordRun: {
    method: 'post',
    path: () => '/runs',
    body: caller => ({
      type: 'application/json',
      data: {
        entityRef: REF,
        provider: 'github',
        runId: `ci-run-${caller}`,
        attempt: 1,
        workflow: 'ci',
        status: 'completed',
      },
    }),
    expected: ingest,
  },
  RecordRelease: {
    method: 'post',
    path: () => '/releases',
    body: caller => ({
      type: 'application/json',
      // Below 1.0.0, so 1.0.0 (with its policy results) stays the latest version.
      data: { entityRef: REF, version: `0.9.${CALLERS.indexOf(caller)}` },
    }),
    expected: ingest,
  },
  RecordDeployment: {
    method: 'post',
    path: () => '/deployments',
    body: json({ entityRef: REF, version: '1.0.0', environment: 'dev' }),
    expected: ingest,
  },
  ListModules: {
    method: 'get',
    path: () => '/modules',
    expected: list,
    shows: visible,
  },
  RegisterModule: {
    method: 'post',
    path: () => '/modules',
    body: json({ entityRef: REF }),
    expected: register,
  },
  GetModule: {
    method: 'get',
    path: () => '/modules/component/default/gpu-cluster',
    expected: read,
  },
  GetVersions: {
    method: 'get',
    path: () => '/modules/component/default/gpu-cluster/versions',
    expected: read,
  },
  GetEnvironments: {
    method: 'get',
    path: () => '/modules/component/default/gpu-cluster/environments',
    expected: read,
  },
  GetDrift: {
    method: 'get',
    path: () => '/modules/component/default/gpu-cluster/drift',
    expected: read,
  },
  GetPolicy: {
    method: 'get',
    path: () => '/modules/component/default/gpu-cluster/policy',
    expected: read,
  },
  GetTests: {
    method: 'get',
    path: () => '/modules/component/default/gpu-cluster/tests',
    expected: read,
  },
  GetCompliance: {
    method: 'get',
    path: () => '/compliance',
    expected: list,
    shows: visible,
  },
  GetPromotionGate: {
    method: 'get',
    path: () =>
      `/gates/promotion?entityRef=${REF}&version=1.0.0&environment=dev`,
    expected: read,
  },
  ListWaivers: {
    method: 'get',
    path: () => '/waivers',
    expected: list,
    shows: visible,
  },
  RequestWaiver: {
    method: 'post',
    path: () => '/waivers',
    body: caller => ({
      type: 'application/json',
      data: {
        entityRef: REF,
        rule: `MLI-${caller}`,
        justification: 'capacity reserved',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
    expected: requestWaiver,
  },
  ApproveWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.pendingForApprove}/approve`,
    body: json({}),
    expected: decide,
  },
  RejectWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.pendingForReject}/reject`,
    body: json({}),
    expected: decide,
  },
  RevokeWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.approvedForRevoke}/revoke`,
    body: json({}),
    expected: decide,
  },
  WithdrawWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.pendingForWithdraw}/withdraw`,
    body: json({}),
    expected: withdraw,
  },
  GetWaiverAudit: {
    method: 'get',
    path: ids => `/waivers/${ids.pendingForApprove}/audit`,
    expected: read,
  },
};
/** Served by the OpenAPI router itself, not an operation of the document. */
const EXTRA: Record<string, RouteCase> = {
  OpenApiSpec: {
    method: 'get',
    path: () => '/openapi.json',
    expected: row(200, { anonymous: 401 }),
  },
};

function operations(): Array<{ id: string; method: string; path: string }> {
  const file = path.join(
    path.dirname(
      require.resolve('@ml-infra-portal/plugin-ml-infra-backend/package.json'),
    ),
    'src/schema/openapi.yaml',
  );
  const spec = YAML.parse(fs.readFileSync(file, 'utf8'));
  return Object.entries(
    spec.paths as Record<string, Record<string, any>>,
  ).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([, op]) => op && typeof op === 'object' && op.operationId)
      .map(([method, op]) => ({
        id: op.operationId as string,
        method,
        path: p,
      })),
  );
}

// The backend ------------------------------------------------------------------------------

interface Probe {
  auth: AuthService;
  permissions: PermissionsService;
}

describe('auth matrix (real permission backend, the portal policy, the real catalog)', () => {
  const OPERATIONS = operations();
  const results: Record<string, Partial<Row>> = {};
  const tokens: Partial<Record<Caller, string>> = {};
  const ciModuleToken = `ci-gpu-${randomUUID()}`;
  const ciOtherToken = `ci-feature-${randomUUID()}`;
  let api: ReturnType<typeof request>;
  let ids: Ids;
  let githubKey: SigningKey;
  let probe: Probe;
  let jwks: { url: string; close(): Promise<void> };
  let tmp: string;

  const probePlugin = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: {
          auth: coreServices.auth,
          permissions: coreServices.permissions,
        },
        async init(deps) {
          probe = deps;
        },
      });
    },
  });

  function call(route: RouteCase, caller: Caller, token = tokens[caller]) {
    const url = `/api/ml-infra${route.path(ids, caller)}`;
    let req = route.method === 'get' ? api.get(url) : api.post(url);
    if (token) {
      req = req.set('Authorization', `Bearer ${token}`);
    }
    const body = route.body?.(caller);
    if (body) {
      req = req.set('Content-Type', body.type).send(body.data as any);
    }
    return req;
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-infra-auth-matrix-'));
    const entitiesFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(entitiesFile, ENTITIES);
    const userKey = await signingKey('ES256');
    githubKey = await signingKey('RS256');
    jwks = await serveJwks([githubKey.jwk]);
    const restricted = [{ plugin: 'ml-infra', permission: CI_PERMISSIONS }];

    const { server } = await startTestBackend({
      features: [
        mlInfraPlugin,
        permissionBackend,
        policyModule,
        catalogBackend,
        identityProviderPlugin(
          userKey,
          Object.fromEntries(
            Object.values(USERS).map(u => [u.ref, u.ownership]),
          ),
        ),
        probePlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        httpRouterServiceFactory,
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        userInfoServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: ciModuleToken, subject: 'ci-gpu' },
                    accessRestrictions: restricted,
                  },
                  {
                    type: 'static',
                    options: { token: ciOtherToken, subject: 'ci-feature' },
                    accessRestrictions: restricted,
                  },
                  {
                    type: 'jwks',
                    options: {
                      url: jwks.url,
                      issuer: 'https://token.actions.githubusercontent.com',
                      audience: 'ml-infra-portal',
                      algorithm: 'RS256',
                      subjectPrefix: 'github-actions',
                    },
                    accessRestrictions: restricted,
                  },
                ],
              },
            },
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'Location'] }],
              locations: [{ type: 'file', target: entitiesFile }],
            },
            mlInfra: {
              governance: { groups: [GOVERNANCE], resultsReadableBy: 'owners' },
              gate: { minSoakHours: 0 },
              ci: {
                staticTokens: [
                  { subject: 'ci-gpu', entityRefs: [REF] },
                  {
                    subject: 'ci-feature',
                    owners: ['group:default/data-platform'],
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    api = request(server);

    for (const [caller, user] of Object.entries(USERS)) {
      tokens[caller as Caller] = await userToken(
        userKey,
        user.ref,
        user.ownership,
      );
    }
    tokens.ciModule = ciModuleToken;
    tokens.ciOther = ciOtherToken;
    tokens.githubModule = await githubToken(githubKey, REPO);
    tokens.githubOther = await githubToken(githubKey, OTHER_REPO);
    tokens.otherPlugin = (
      await probe.auth.getPluginRequestToken({
        onBehalfOf: await probe.auth.getOwnServiceCredentials(),
        targetPluginId: 'ml-infra',
      })
    ).token;

    // The catalog processes the file location in the background: wait for the modules.
    const catalogToken = (
      await probe.auth.getPluginRequestToken({
        onBehalfOf: await probe.auth.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      })
    ).token;
    const deadline = Date.now() + 240_000;
    for (;;) {
      const res = await api
        .get('/api/catalog/entities/by-query?filter=kind=component')
        .set('Authorization', `Bearer ${catalogToken}`);
      if (res.status === 200 && res.body.items?.length === 5) break;
      if (Date.now() > deadline) {
        throw new Error(`catalog never held the 5 components: ${res.status}`);
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }

    // Fixtures, made through the API by the callers allowed to.
    const ok = async (req: request.Test, status: number) => {
      const res = await req;
      // The body is shown only when the status is wrong: it says why.
      expect({
        status: res.status,
        body: res.status === status ? 'ok' : res.body,
      }).toEqual({
        status,
        body: 'ok',
      });
      return res.body;
    };
    const as = (caller: Caller) => `Bearer ${tokens[caller]}`;
    await ok(
      api
        .post('/api/ml-infra/releases')
        .set('Authorization', as('ciModule'))
        .send({ entityRef: REF, version: '1.0.0' }),
      201,
    );
    await ok(
      api
        .post(
          `/api/ml-infra/ingest/policy?entityRef=${REF}&version=1.0.0&${run(
            'fixture',
            'ciModule',
          )}`,
        )
        .set('Authorization', as('ciModule'))
        .set('Content-Type', 'application/json')
        .send(CONFTEST),
      201,
    );
    const waiver = async (rule: string) =>
      (
        await ok(
          api
            .post('/api/ml-infra/waivers')
            .set('Authorization', as('owner'))
            .send({
              entityRef: REF,
              rule,
              justification: 'fixture',
              expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
            }),
          201,
        )
      ).id as string;
    ids = {
      pendingForApprove: await waiver('MLI-A'),
      pendingForReject: await waiver('MLI-B'),
      approvedForRevoke: await waiver('MLI-C'),
      pendingForWithdraw: await waiver('MLI-D'),
    };
    await ok(
      api
        .post(`/api/ml-infra/waivers/${ids.approvedForRevoke}/approve`)
        .set('Authorization', as('governance'))
        .send({}),
      200,
    );
  });

  afterAll(async () => {
    await jwks?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    const header = `${''.padEnd(18)} ${CALLERS.map(c =>
      c.slice(0, 8).padEnd(8),
    ).join(' ')}`;
    const lines = Object.entries(results).map(
      ([id, byCaller]) =>
        `${id.padEnd(18)} ${CALLERS.map(c =>
          String(byCaller[c] ?? '-').padEnd(8),
        ).join(' ')}`,
    );
    // eslint-disable-next-line no-console
    console.log([header, ...lines].join('\n'));
  });

  it('covers every operation of the OpenAPI document, with its method and path', () => {
    expect(OPERATIONS.length).toBeGreaterThan(20);
    expect(OPERATIONS.filter(op => !ROUTES[op.id]).map(op => op.id)).toEqual(
      [],
    );
    const sample: Ids = {
      pendingForApprove: 'w1',
      pendingForReject: 'w2',
      approvedForRevoke: 'w3',
      pendingForWithdraw: 'w4',
    };
    for (const op of OPERATIONS) {
      const route = ROUTES[op.id];
      expect({ id: op.id, method: route.method }).toEqual({
        id: op.id,
        method: op.method,
      });
      const pattern = new RegExp(
        `^${op.path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?|$)`,
      );
      expect(route.path(sample, 'governance')).toMatch(pattern);
    }
  });

  const cases = [
    ...operations().map(op => [op.id, ROUTES[op.id]] as const),
    ...Object.entries(EXTRA),
  ].filter((entry): entry is readonly [string, RouteCase] => Boolean(entry[1]));

  describe.each(cases)('%s', (id, route) => {
    it.each(CALLERS)(`${route.method.toUpperCase()} as %s`, async caller => {
      const res = await call(route, caller);
      (results[id] ??= {})[caller] = res.status;
      const expected = route.expected[caller];
      const outcome: Record<string, unknown> = {
        status: res.status,
        error: res.status >= 400 ? typeof res.body?.error?.message : 'none',
      };
      const want: Record<string, unknown> = {
        status: expected,
        error: expected >= 400 ? 'string' : 'none',
      };
      if (route.shows && res.status === 200) {
        outcome.showsModule = JSON.stringify(res.body).includes(REF);
        want.showsModule = route.shows[caller];
      }
      expect(outcome).toEqual(want);
    });
  });

  describe('GitHub Actions OIDC tokens', () => {
    const upload = (token: string) =>
      api
        .post('/api/ml-infra/runs')
        .set('Authorization', `Bearer ${token}`)
        .send({
          entityRef: REF,
          provider: 'github',
          runId: `oidc-${randomUUID()}`,
          attempt: 1,
          workflow: 'ci',
          status: 'completed',
        });

    it.each([
      ['a wrong issuer', { issuer: 'https://token.actions.example.com' }],
      ['a wrong audience', { audience: 'someone-else' }],
      ['an expired token', { expiresAt: Math.floor(Date.now() / 1000) - 120 }],
    ])('refuses %s with 401', async (_name, overrides) => {
      const res = await upload(await githubToken(githubKey, REPO, overrides));
      expect(res.status).toBe(401);
    });

    it('refuses a token signed by a key not in the JWKS with 401', async () => {
      const res = await upload(
        await githubToken(await signingKey('RS256'), REPO),
      );
      expect(res.status).toBe(401);
    });

    it("refuses another repository's token replayed for this module with 403", async () => {
      const res = await upload(await githubToken(githubKey, OTHER_REPO));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(OTHER_REPO);
    });

    it.each([
      ['a pull request', `repo:${REPO}:pull_request`],
      ['an unprotected branch', `repo:${REPO}:ref:refs/heads/feature-x`],
    ])(
      "refuses the module repository's token from %s with 403",
      async (_name, subject) => {
        const res = await upload(
          await githubToken(githubKey, REPO, { subject }),
        );
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('trustedContexts');
      },
    );

    it('accepts the module repository from main, and refuses a repository two modules claim', async () => {
      expect((await upload(await githubToken(githubKey, REPO))).status).toBe(
        201,
      );
      const twin = await api
        .post('/api/ml-infra/releases')
        .set(
          'Authorization',
          `Bearer ${await githubToken(githubKey, 'acme/monorepo')}`,
        )
        .send({ entityRef: 'component:default/twin-a', version: '1.0.0' });
      expect(twin.status).toBe(403);
    });

    it('refuses a subject that names no repository (customised sub claim) with 403', async () => {
      const res = await upload(
        await githubToken(githubKey, REPO, {
          subject: 'repository_owner:acme:ref:main',
        }),
      );
      expect(res.status).toBe(403);
    });
  });

  it('404s an entity that is not a terraform-module Component, for reads and writes', async () => {
    const gov = `Bearer ${tokens.governance}`;
    for (const ref of [
      'component:default/portal-website',
      'group:default/ml-platform',
    ]) {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      const readRes = await api
        .get(`/api/ml-infra/modules/${kind}/${namespace}/${name}`)
        .set('Authorization', gov);
      expect({ ref, status: readRes.status }).toEqual({ ref, status: 404 });
      const writeRes = await api
        .post('/api/ml-infra/releases')
        .set('Authorization', `Bearer ${tokens.ciModule}`)
        .send({ entityRef: ref, version: '1.0.0' });
      expect({ ref, status: writeRes.status }).toEqual({ ref, status: 404 });
    }
  });

  it('shows why decisions must refuse services themselves: the permission client allows them', async () => {
    // A plugin token carries no accessRestrictions, so Backstage's permission client answers
    // ALLOW without asking the policy; only the backend's "people decide waivers" rule stops it.
    const [decision] = await probe.permissions.authorize(
      [{ permission: mlInfraWaiverApprovePermission }],
      { credentials: await probe.auth.getOwnServiceCredentials() },
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
    const res = await api
      .post(`/api/ml-infra/waivers/${ids.pendingForApprove}/approve`)
      .set('Authorization', `Bearer ${tokens.otherPlugin}`)
      .send({});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/signed-in user/);
  });
});
