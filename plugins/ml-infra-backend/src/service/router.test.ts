import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mlInfraIngestPermission,
  mlInfraWaiverApprovePermission,
} from '@ml-infra-portal/plugin-ml-infra-common';
import express from 'express';
import request from 'supertest';
import { readMlInfraConfig } from './config';
import { IngestionService } from './IngestionService';
import { ModuleAccess } from './auth/ModuleAccess';
import { ModuleCatalog } from './ModuleCatalog';
import { PromotionGate } from './PromotionGate';
import { createRouter } from './router';
import {
  ComplianceService,
  ModuleListService,
  ModuleTabsService,
} from './types';
import { WaiverService } from './WaiverService';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'gpu-cluster', namespace: 'default' },
  spec: { type: 'terraform-module', owner: 'group:default/ml-platform' },
};

describe('createRouter', () => {
  const permissions = mockServices.permissions.mock();
  const ingestion = {
    ingestTests: jest.fn(),
    ingestPolicy: jest.fn(),
    ingestDrift: jest.fn(),
    recordRun: jest.fn(),
    recordRelease: jest.fn(),
    recordDeployment: jest.fn(),
    registerModule: jest.fn(),
  };
  const moduleList = {
    listModules: jest.fn(),
    getModule: jest.fn(),
  } satisfies ModuleListService;
  const moduleTabs = {
    getVersions: jest.fn(),
    getEnvironments: jest.fn(),
    getDrift: jest.fn(),
    getPolicy: jest.fn(),
    getTests: jest.fn(),
  } satisfies ModuleTabsService;
  const compliance = {
    getCompliance: jest.fn(),
  } satisfies ComplianceService;
  const gate = { decide: jest.fn() };
  const waivers = {
    parseRequest: jest.fn(),
    request: jest.fn(),
    get: jest.fn(),
    list: jest.fn(),
    decide: jest.fn(),
    audit: jest.fn(),
  };
  const catalog = {
    requireEntity: jest.fn(async () => entity),
    listModules: jest.fn(async () => [entity]),
    refresh: jest.fn(),
  };
  const access = {
    requireReadable: jest.fn(async () => entity),
    listReadable: jest.fn(async () => [entity]),
    requireReportable: jest.fn(async () => entity),
    requireUser: jest.fn(),
  };
  let app: express.Express;

  /** The router over the mocked services, with the backend's error handler. */
  async function createApp(
    options: {
      mlInfra?: object;
      httpAuth?: ReturnType<typeof mockServices.httpAuth>;
    } = {},
  ) {
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth:
        options.httpAuth ??
        mockServices.httpAuth({ defaultCredentials: mockCredentials.none() }),
      permissions,
      catalog: catalog as unknown as ModuleCatalog,
      access: access as unknown as ModuleAccess,
      config: readMlInfraConfig(
        mockServices.rootConfig({ data: { mlInfra: options.mlInfra ?? {} } }),
      ),
      ingestion: ingestion as unknown as IngestionService,
      moduleList,
      moduleTabs,
      compliance,
      gate: gate as unknown as PromotionGate,
      waivers: waivers as unknown as WaiverService,
    });
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    return express().use(router).use(middleware.error());
  }

  /** A JSON upload to an ingest route for the module, as CI sends it. */
  function upload(
    target: express.Express,
    route: 'tests' | 'policy' | 'drift',
    { body, authorization }: { body: string; authorization?: string },
  ) {
    const environment = route === 'drift' ? '&environment=dev' : '';
    const post = request(target)
      .post(
        `/ingest/${route}?entityRef=gpu-cluster${environment}&provider=github&runId=1&attempt=1`,
      )
      .set('Content-Type', 'application/json');
    return (
      authorization ? post.set('Authorization', authorization) : post
    ).send(body);
  }

  beforeEach(async () => {
    jest.clearAllMocks();
    permissions.authorize.mockResolvedValue([
      { result: AuthorizeResult.ALLOW },
    ]);
    app = await createApp();
  });

  it('serves health without credentials', async () => {
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok' });
  });

  it.each([
    ['get', '/modules'],
    ['get', '/modules/component/default/gpu-cluster'],
    ['get', '/compliance'],
    ['get', '/waivers'],
    [
      'post',
      '/ingest/tests?entityRef=gpu-cluster&provider=github&runId=1&attempt=1',
    ],
    ['post', '/releases'],
    ['post', '/waivers/abc/approve'],
  ])('rejects unauthenticated %s %s with 401', async (method, path) => {
    // A valid body: in the plugin the auth middleware runs before request validation.
    const response = await (request(app) as any)
      [method](path)
      .set('Content-Type', 'application/json')
      .send(
        path === '/releases'
          ? { entityRef: 'gpu-cluster', version: '1.0.0' }
          : {},
      );
    expect(response.status).toBe(401);
  });

  it('streams an upload to the ingestion service with the caller, without parsing the body', async () => {
    ingestion.ingestTests.mockImplementation(async ({ body }) => {
      let text = '';
      for await (const chunk of body) text += chunk.toString();
      return { id: 'r1', replaced: false, summary: { bytes: text.length } };
    });
    const response = await upload(app, 'tests', {
      authorization: mockCredentials.service.header(),
      body: '{"Action":"start"}\n{"Action":"pass"}\n',
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: 'r1',
      replaced: false,
      summary: { bytes: 37 },
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: mlInfraIngestPermission }],
      expect.objectContaining({ credentials: expect.anything() }),
    );
    expect(ingestion.ingestTests.mock.calls[0][0]).toMatchObject({
      query: {
        entityRef: 'gpu-cluster',
        provider: 'github',
        runId: '1',
        attempt: 1,
      },
      contentType: 'application/json',
    });
  });

  it('answers 413 from a declared Content-Length above the limit', async () => {
    // No Authorization header: the default caller of mockServices.httpAuth() is a user.
    const small = await createApp({
      mlInfra: { ingestion: { maxBodyBytes: 10 } },
      httpAuth: mockServices.httpAuth(),
    });
    const response = await upload(small, 'drift', {
      body: '{"resource_drift": []}',
    });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toContain('10 bytes');
    expect(ingestion.ingestDrift).not.toHaveBeenCalled();
  });

  it('forbids ingestion without the ingest permission', async () => {
    permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
    const response = await upload(app, 'policy', {
      authorization: mockCredentials.user.header(),
      body: '[]',
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('ml-infra.results.ingest');
    expect(ingestion.ingestPolicy).not.toHaveBeenCalled();
  });

  it('asks ModuleAccess whether the caller may read the module before reading its results', async () => {
    moduleTabs.getPolicy.mockResolvedValue({
      counts: {},
      results: [],
      waivers: [],
    });
    const ok = await request(app)
      .get('/modules/component/default/gpu-cluster/policy?version=1.0.0')
      .set('Authorization', mockCredentials.user.header());
    expect(ok.status).toBe(200);
    expect(access.requireReadable).toHaveBeenCalledWith(
      expect.objectContaining({ principal: expect.anything() }),
      'component:default/gpu-cluster',
    );
    expect(moduleTabs.getPolicy).toHaveBeenCalledWith(entity, '1.0.0');

    access.requireReadable.mockRejectedValueOnce(
      new NotAllowedError(
        'Not allowed: ml-infra.results.read on component:default/gpu-cluster',
      ),
    );
    const denied = await request(app)
      .get('/modules/component/default/gpu-cluster/tests')
      .set('Authorization', mockCredentials.user.header());
    expect(denied.status).toBe(403);
    expect(moduleTabs.getTests).not.toHaveBeenCalled();
  });

  it('forbids approving a waiver without the approve permission', async () => {
    permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
    const response = await request(app)
      .post('/waivers/w1/approve')
      .set('Authorization', mockCredentials.user.header())
      .send({ comment: 'fine' });
    expect(response.status).toBe(403);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: mlInfraWaiverApprovePermission }],
      expect.anything(),
    );
    expect(waivers.decide).not.toHaveBeenCalled();
  });

  it('refuses a waiver status the spec does not list before the service sees it', async () => {
    const response = await request(app)
      .get('/waivers?status=broken')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('status');
    expect(waivers.list).not.toHaveBeenCalled();
  });

  it('lists modules with the parsed query and rejects an invalid one', async () => {
    moduleList.listModules.mockResolvedValue({
      items: [],
      totalCount: 0,
      environments: ['dev'],
    });
    const ok = await request(app)
      .get('/modules?status=drifted&limit=10&sort=owner')
      .set('Authorization', mockCredentials.user.header());
    expect(ok.status).toBe(200);
    expect(moduleList.listModules.mock.calls[0][0]).toMatchObject({
      status: 'drifted',
      limit: 10,
      sort: 'owner',
    });
    const bad = await request(app)
      .get('/modules?status=broken')
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
  });
});
