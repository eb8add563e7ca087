/**
 * Auth matrix (issue 6): every route of the plugin (taken from its OpenAPI document, so a new
 * route cannot be forgotten, plus /health and the validator's /openapi.json) × every kind of
 * caller → the expected status, with Backstage's REAL auth and httpAuth services:
 *
 * - CI callers use static tokens from `backend.auth.externalAccess`, one restricted to this
 *   plugin, one restricted to the catalog.
 * - Users send real Backstage user tokens (ES256 JWTs, typ `vnd.backstage.user`), verified by the
 *   real auth service against the JWKS of a stand-in `auth` plugin served by the same test
 *   backend (the mock tokens of `mockCredentials` are only understood by the mock auth service).
 * - Permissions: a permissions service answering as the app's MlInfraPermissionPolicy does
 *   (packages/backend cannot be imported from a plugin): services may ingest, users may not;
 *   governance approves and revokes; owners and services request waivers; results are readable
 *   to whoever may read the module's entity, where `guest` stands for a user the catalog rules
 *   hide the module from.
 *
 * Every log line written during the whole matrix is captured and searched for the secrets.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
  PermissionsService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mlInfraIngestPermission,
  mlInfraResultsReadPermission,
  mlInfraWaiverApprovePermission,
  mlInfraWaiverCreatePermission,
  mlInfraWaiverRevokePermission,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { generateKeyPairSync, KeyObject, randomUUID, sign } from 'crypto';
import express from 'express';
import request from 'supertest';
import { mlInfraPlugin } from '../plugin';
import { spec } from '../schema/openapi.generated';

jest.setTimeout(60_000);

const REF = 'component:default/gpu-cluster';
const CI_TOKEN = `ci-${randomUUID()}`;
const CATALOG_TOKEN = `catalog-${randomUUID()}`;
const GOVERNANCE = 'group:default/ml-governance';

const OWNERSHIP: Record<string, string[]> = {
  'user:default/guest': ['user:default/guest'],
  'user:default/gov': ['user:default/gov', GOVERNANCE],
};

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'gpu-cluster', namespace: 'default' },
  spec: {
    type: 'terraform-module',
    owner: 'group:default/ml-platform',
    lifecycle: 'production',
  },
};

// Real user tokens --------------------------------------------------------------------------

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KID = randomUUID();
const b64url = (value: Buffer | string) =>
  Buffer.from(value).toString('base64url');

function userToken(userEntityRef: string, key: KeyObject = keys.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(
    JSON.stringify({ alg: 'ES256', kid: KID, typ: 'vnd.backstage.user' }),
  );
  const payload = b64url(
    JSON.stringify({
      iss: 'test',
      sub: userEntityRef,
      ent: OWNERSHIP[userEntityRef] ?? [userEntityRef],
      aud: 'backstage',
      iat: now,
      exp: now + 3600,
    }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${b64url(signature)}`;
}

/** Stand-in for the auth backend: serves the JWKS the real auth service verifies user tokens with. */
const fakeAuthPlugin = createBackendPlugin({
  pluginId: 'auth',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get('/.well-known/jwks.json', (_req, res) => {
          res.json({
            keys: [
              {
                ...keys.publicKey.export({ format: 'jwk' }),
                kid: KID,
                alg: 'ES256',
                use: 'sig',
              },
            ],
          });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({
          path: '/.well-known/jwks.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

// Permissions as the app's policy decides them -------------------------------------------------

function policyPermissions(): PermissionsService {
  const decide = (
    permission: { name: string },
    credentials: BackstageCredentials,
    resourceRef?: string,
  ) => {
    const user =
      credentials.principal && (credentials.principal as any).type === 'user'
        ? (credentials.principal as BackstageUserPrincipal).userEntityRef
        : undefined;
    const claims = user ? OWNERSHIP[user] ?? [user] : [];
    const governance = claims.includes(GOVERNANCE);
    const p = permission as any;
    let allow: boolean;
    if (isPermission(p, mlInfraIngestPermission)) {
      allow = !user;
    } else if (
      isPermission(p, mlInfraWaiverApprovePermission) ||
      isPermission(p, mlInfraWaiverRevokePermission)
    ) {
      allow = governance;
    } else if (isPermission(p, mlInfraWaiverCreatePermission)) {
      allow =
        !user ||
        governance ||
        (resourceRef === REF && claims.includes('group:default/ml-platform'));
    } else if (isPermission(p, mlInfraResultsReadPermission)) {
      // The catalog's read rules: guest may not see the module.
      allow = user !== 'user:default/guest';
    } else {
      allow = true;
    }
    return { result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  };
  return {
    async authorize(requests, options) {
      return requests.map(r =>
        decide(r.permission, options.credentials, (r as any).resourceRef),
      ) as any;
    },
    async authorizeConditional(requests) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any;
    },
  };
}

// Log capture ------------------------------------------------------------------------------

const logged: string[] = [];

function serialize(value: unknown): string {
  if (value instanceof Error) {
    return JSON.stringify({
      name: value.name,
      message: value.message,
      stack: value.stack,
      ...(value as any),
    });
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function recordingLogger(
  meta: Record<string, unknown> = {},
): RootLoggerService {
  const write =
    (level: string) => (message: string, extra?: Error | object) => {
      logged.push(`${level} ${message} ${serialize(meta)} ${serialize(extra)}`);
    };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (more: Record<string, unknown>) =>
      recordingLogger({ ...meta, ...more }) as LoggerService,
  };
}

const loggerFactories = [
  createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => recordingLogger({ root: true }),
  }),
  createServiceFactory({
    service: coreServices.logger,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => recordingLogger({ plugin: plugin.getId() }),
  }),
];

// The matrix -------------------------------------------------------------------------------

type Caller =
  | 'none'
  | 'userWithout'
  | 'userWith'
  | 'ciToken'
  | 'otherPluginToken';
const CALLERS: Caller[] = [
  'none',
  'userWithout',
  'userWith',
  'ciToken',
  'otherPluginToken',
];

interface RouteCase {
  method: 'get' | 'post';
  /** Concrete path under /api/ml-infra. */
  path: (ids: Ids) => string;
  body?: (caller: Caller) => { type: string; data: string | object };
  expected: Record<Caller, number>;
}

interface Ids {
  pendingForApprove: string;
  pendingForReject: string;
  approvedForRevoke: string;
  /** Requested by the CI token, which alone may withdraw it. */
  pendingForWithdraw?: string;
}

const run = (kind: string) => `provider=github&runId=${kind}&attempt=1`;

const GO_TEST = [
  { Action: 'run', Package: 'p', Test: 'TestA' },
  { Action: 'pass', Package: 'p', Test: 'TestA', Elapsed: 1 },
]
  .map(e => JSON.stringify(e))
  .join('\n');

// The statuses, per caller: none, user without the permission, user with it (governance, which
// is also the user with the most rights), CI token for ml-infra, CI token for the catalog.
const read = {
  none: 401,
  userWithout: 403,
  userWith: 200,
  ciToken: 200,
  otherPluginToken: 403,
};
const open = {
  none: 401,
  userWithout: 200,
  userWith: 200,
  ciToken: 200,
  otherPluginToken: 403,
};
const ingest201 = {
  none: 401,
  userWithout: 403,
  userWith: 403,
  ciToken: 201,
  otherPluginToken: 403,
};
const ingest200 = { ...ingest201, ciToken: 200 };
const decide = {
  none: 401,
  userWithout: 403,
  userWith: 200,
  ciToken: 403,
  otherPluginToken: 403,
};

/** Keyed by operationId: the test fails when the OpenAPI document has one that is not here. */
const ROUTES: Record<string, RouteCase> = {
  Health: {
    method: 'get',
    path: () => '/health',
    expected: {
      none: 200,
      userWithout: 200,
      userWith: 200,
      ciToken: 200,
      otherPluginToken: 200,
    },
  },
  IngestTests: {
    method: 'post',
    path: () => `/ingest/tests?entityRef=${REF}&${run('tests')}`,
    body: () => ({ type: 'application/x-ndjson', data: GO_TEST }),
    expected: ingest201,
  },
  IngestPolicy: {
    method: 'post',
    path: () => `/ingest/policy?entityRef=${REF}&${run('policy')}`,
    body: () => ({
      type: 'application/json',
      data: JSON.stringify([
        { filename: 'plan.json', namespace: 'main', successes: 1 },
      ]),
    }),
    expected: ingest201,
  },
  IngestDrift: {
    method: 'post',
    path: () =>
      `/ingest/drift?entityRef=${REF}&environment=dev&${run('drift')}`,
    body: () => ({
      type: 'application/json',
      data: JSON.stringify({ format_version: '1.2', resource_changes: [] }),
    }),
    expected: ingest201,
  },
  RecordRun: {
    method: 'post',
    path: () => '/runs',
    body: () => ({
      type: 'application/json',
      data: {
        entityRef: REF,
        provider: 'github',
        runId: 'ci-run',
        attempt: 1,
        workflow: 'ci',
        status: 'completed',
      },
    }),
    expected: ingest201,
  },
  RecordRelease: {
    method: 'post',
    path: () => '/releases',
    body: () => ({
      type: 'application/json',
      data: { entityRef: REF, version: '2.0.0' },
    }),
    expected: ingest201,
  },
  RecordDeployment: {
    method: 'post',
    path: () => '/deployments',
    body: () => ({
      type: 'application/json',
      data: { entityRef: REF, version: '1.0.0', environment: 'dev' },
    }),
    expected: ingest201,
  },
  ListModules: { method: 'get', path: () => '/modules', expected: open },
  RegisterModule: {
    method: 'post',
    path: () => '/modules',
    body: () => ({ type: 'application/json', data: { entityRef: REF } }),
    // Seeding registered it already: registering again answers 200 (created: false).
    expected: ingest200,
  },
  GetModule: {
    method: 'get',
    path: () => `/modules/component/default/gpu-cluster`,
    expected: read,
  },
  GetVersions: {
    method: 'get',
    path: () => `/modules/component/default/gpu-cluster/versions`,
    expected: read,
  },
  GetEnvironments: {
    method: 'get',
    path: () => `/modules/component/default/gpu-cluster/environments`,
    expected: read,
  },
  GetDrift: {
    method: 'get',
    path: () => `/modules/component/default/gpu-cluster/drift`,
    expected: read,
  },
  GetPolicy: {
    method: 'get',
    path: () => `/modules/component/default/gpu-cluster/policy`,
    expected: read,
  },
  GetTests: {
    method: 'get',
    path: () => `/modules/component/default/gpu-cluster/tests`,
    expected: read,
  },
  GetCompliance: { method: 'get', path: () => '/compliance', expected: open },
  GetPromotionGate: {
    method: 'get',
    path: () =>
      `/gates/promotion?entityRef=${REF}&version=1.0.0&environment=dev`,
    expected: read,
  },
  ListWaivers: {
    method: 'get',
    path: () => `/waivers?entityRef=${REF}`,
    expected: read,
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
    expected: {
      none: 401,
      userWithout: 403,
      userWith: 201,
      ciToken: 201,
      otherPluginToken: 403,
    },
  },
  ApproveWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.pendingForApprove}/approve`,
    body: () => ({ type: 'application/json', data: {} }),
    expected: decide,
  },
  RejectWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.pendingForReject}/reject`,
    body: () => ({ type: 'application/json', data: {} }),
    expected: decide,
  },
  RevokeWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.approvedForRevoke}/revoke`,
    body: () => ({ type: 'application/json', data: {} }),
    expected: decide,
  },
  WithdrawWaiver: {
    method: 'post',
    path: ids => `/waivers/${ids.pendingForWithdraw}/withdraw`,
    body: () => ({ type: 'application/json', data: {} }),
    // Only the requester withdraws: governance may decide, not take back someone's request.
    expected: {
      none: 401,
      userWithout: 403,
      userWith: 403,
      ciToken: 200,
      otherPluginToken: 403,
    },
  },
  GetWaiverAudit: {
    method: 'get',
    path: ids => `/waivers/${ids.pendingForApprove}/audit`,
    expected: read,
  },
  // Not in the document: the OpenAPI router serves the document itself.
  OpenApiSpec: { method: 'get', path: () => '/openapi.json', expected: open },
};

describe('auth matrix', () => {
  let api: ReturnType<typeof request>;
  let ids: Ids;
  const tokens: Record<Caller | 'forged', string | undefined> = {
    forged: undefined,
    none: undefined,
    userWithout: userToken('user:default/guest'),
    userWith: userToken('user:default/gov'),
    ciToken: CI_TOKEN,
    otherPluginToken: CATALOG_TOKEN,
  };
  const results: Record<string, Record<Caller, number>> = {};

  function call(route: RouteCase, caller: Caller) {
    let req =
      route.method === 'get'
        ? api.get(`/api/ml-infra${route.path(ids)}`)
        : api.post(`/api/ml-infra${route.path(ids)}`);
    if (tokens[caller]) {
      req = req.set('Authorization', `Bearer ${tokens[caller]}`);
    }
    const body = route.body?.(caller);
    if (body) {
      req = req.set('Content-Type', body.type).send(body.data as any);
    }
    return req;
  }

  beforeAll(async () => {
    const { server } = await startTestBackend({
      features: [
        mlInfraPlugin,
        fakeAuthPlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        ...loggerFactories,
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () => policyPermissions(),
        }),
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: CI_TOKEN, subject: 'ci-pipelines' },
                    accessRestrictions: [{ plugin: 'ml-infra' }],
                  },
                  {
                    type: 'static',
                    options: { token: CATALOG_TOKEN, subject: 'other' },
                    accessRestrictions: [{ plugin: 'catalog' }],
                  },
                ],
              },
            },
            mlInfra: { gate: { minSoakHours: 0 } },
          },
        }),
      ],
    });
    api = request(server);

    // Fixtures the routes act on, made through the API by the allowed callers.
    const ci = `Bearer ${CI_TOKEN}`;
    const gov = `Bearer ${tokens.userWith}`;
    const ok = (res: request.Response, status: number) => {
      expect({ status: res.status, body: res.body }).toMatchObject({ status });
      return res.body;
    };
    ok(
      await api
        .post('/api/ml-infra/releases')
        .set('Authorization', ci)
        .send({ entityRef: REF, version: '1.0.0' }),
      201,
    );
    const waiver = async (rule: string) =>
      ok(
        await api
          .post('/api/ml-infra/waivers')
          .set('Authorization', ci)
          .send({
            entityRef: REF,
            rule,
            justification: 'fixture',
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          }),
        201,
      ).id as string;
    ids = {
      pendingForApprove: await waiver('MLI-A'),
      pendingForReject: await waiver('MLI-B'),
      approvedForRevoke: await waiver('MLI-C'),
      pendingForWithdraw: await waiver('MLI-D'),
    };
    ok(
      await api
        .post(`/api/ml-infra/waivers/${ids.approvedForRevoke}/approve`)
        .set('Authorization', gov)
        .send({}),
      200,
    );
  });

  it('covers every operation of the OpenAPI document', () => {
    const operations = Object.values(spec.paths).flatMap(item =>
      Object.values(item as Record<string, { operationId?: string }>)
        .map(op => op.operationId)
        .filter((id): id is string => Boolean(id)),
    );
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.filter(id => !ROUTES[id])).toEqual([]);
    // And each case calls the method and path the document gives for its operation.
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(
        item as Record<string, { operationId: string }>,
      )) {
        const route = ROUTES[op.operationId];
        expect({ id: op.operationId, method: route.method }).toEqual({
          id: op.operationId,
          method,
        });
        const pattern = new RegExp(
          `^${path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?|$)`,
        );
        expect(
          route.path({
            pendingForApprove: 'w1',
            pendingForReject: 'w2',
            approvedForRevoke: 'w3',
          }),
        ).toMatch(pattern);
      }
    }
  });

  describe.each(Object.entries(ROUTES))('%s', (id, route) => {
    it.each(CALLERS)(`${route.method.toUpperCase()} as %s`, async caller => {
      const res = await call(route, caller);
      (results[id] ??= {} as Record<Caller, number>)[caller] = res.status;
      // An error answer carries Backstage's JSON error body.
      const expected = route.expected[caller];
      expect({
        status: res.status,
        error: res.status >= 400 ? typeof res.body?.error?.name : 'none',
      }).toEqual({
        status: expected,
        error: expected >= 400 ? 'string' : 'none',
      });
    });
  });

  it('answers 401 to a user token signed by an unknown key (and logs the failure)', async () => {
    const forged = userToken(
      'user:default/gov',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    );
    tokens.forged = forged;
    const res = await api
      .get('/api/ml-infra/modules')
      .set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(logged.join('\n')).toContain('Failed to verify incoming user token');
  });

  it('wrote no secret to the logs, in any form', () => {
    const secrets: Record<string, string> = {};
    for (const [caller, token] of Object.entries(tokens)) {
      if (!token) continue;
      secrets[caller] = token;
      secrets[`${caller} (base64)`] = Buffer.from(token).toString('base64');
      secrets[`${caller} (base64url)`] = b64url(token);
      secrets[`${caller} (Bearer, base64)`] = Buffer.from(
        `Bearer ${token}`,
      ).toString('base64');
      if (token.split('.').length === 3) {
        secrets[`${caller} (JWT signature)`] = token.split('.')[2];
      }
    }
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join('\n');
    const leaked = Object.entries(secrets)
      .filter(([, secret]) => all.includes(secret))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
  });

  afterAll(() => {
    // The table, for the report.
    const rows = Object.entries(results).map(
      ([id, byCaller]) =>
        `${id.padEnd(18)} ${CALLERS.map(c =>
          String(byCaller[c] ?? '-').padEnd(7),
        ).join(' ')}`,
    );
    // eslint-disable-next-line no-console
    console.log(
      [
        `${''.padEnd(18)} ${CALLERS.map(c => c.slice(0, 7).padEnd(7)).join(
          ' ',
        )}`,
        ...rows,
      ].join('\n'),
    );
  });
});
