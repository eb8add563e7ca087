import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorCache,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { ModuleSummary } from '@ml-infra-portal/plugin-ml-infra-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  MlInfraStatusProcessor,
  toLabelValue,
  toVersionLabel,
} from './MlInfraStatusProcessor';

const BASE = 'http://localhost:0/api/ml-infra';
const location: LocationSpec = {
  type: 'url',
  target: 'https://github.com/acme/x/catalog-info.yaml',
};

const moduleEntity = (extra: Partial<Entity['metadata']> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'gpu-cluster', ...extra },
  spec: { type: 'terraform-module', owner: 'team-ml', lifecycle: 'production' },
});

const summary: ModuleSummary = {
  entityRef: 'component:default/gpu-cluster',
  latestVersion: 'v1.4.0',
  environments: [],
  drift: 'drifted',
  policy: 'failed',
  tests: 'passed',
  failingPolicies: 2,
};

function memoryCache(): CatalogProcessorCache {
  const values = new Map<string, any>();
  return {
    get: async key => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

const list = (...items: ModuleSummary[]) =>
  HttpResponse.json({ items, totalCount: items.length, environments: [] });

describe('MlInfraStatusProcessor', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const logger = mockServices.logger.mock();
  let clock = 0;
  let processor: MlInfraStatusProcessor;
  beforeEach(() => {
    jest.clearAllMocks();
    clock = 0;
    processor = new MlInfraStatusProcessor({
      discovery: mockServices.discovery(),
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger,
      refreshIntervalMs: 60_000,
      now: () => clock,
    });
  });
  const run = (entity: Entity, cache = memoryCache()) =>
    processor.preProcessEntity(entity, location, jest.fn(), location, cache);

  it('writes status labels and annotations on terraform-module Components', async () => {
    let authorization: string | null = null;
    server.use(
      http.get(`${BASE}/modules`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return list(summary);
      }),
    );
    const result = await run(
      moduleEntity({
        labels: { team: 'ml' },
        annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
      }),
    );
    expect(result.metadata.labels).toEqual({
      team: 'ml',
      'ml-infra.io/drift': 'drifted',
      'ml-infra.io/policy': 'failed',
      'ml-infra.io/tests': 'passed',
      'ml-infra.io/latest-version': '1.4.0',
    });
    expect(result.metadata.annotations).toEqual({
      'backstage.io/techdocs-ref': 'dir:.',
      'ml-infra.io/drift': 'drifted',
      'ml-infra.io/policy': 'failed',
      'ml-infra.io/tests': 'passed',
      'ml-infra.io/latest-version': 'v1.4.0',
    });
    // A plugin-to-plugin token aimed at ml-infra.
    expect(authorization).toMatch(/^Bearer .*"target":"ml-infra"/);
  });

  it('reads the module list once per refresh interval, not once per entity', async () => {
    const requests: string[] = [];
    server.use(
      http.get(`${BASE}/modules`, ({ request }) => {
        requests.push(new URL(request.url).search);
        return list(summary, {
          ...summary,
          entityRef: 'component:research/other',
        });
      }),
    );
    for (let i = 0; i < 5; i++) {
      await run(moduleEntity());
      await run(moduleEntity({ name: 'other', namespace: 'research' }));
    }
    expect(requests).toEqual(['?offset=0&limit=500']);
    clock = 60_000;
    const again = await run(
      moduleEntity({ name: 'other', namespace: 'research' }),
    );
    expect(again.metadata.labels).toHaveProperty(
      ['ml-infra.io/drift'],
      'drifted',
    );
    expect(requests).toHaveLength(2);
  });

  it('pages through a module list longer than one page', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({
      ...summary,
      entityRef: `component:default/m-${i}`,
    }));
    server.use(
      http.get(`${BASE}/modules`, ({ request }) => {
        const url = new URL(request.url);
        const offset = Number(url.searchParams.get('offset'));
        const limit = Number(url.searchParams.get('limit'));
        return HttpResponse.json({
          items: many.slice(offset, offset + limit),
          totalCount: many.length,
          environments: [],
        });
      }),
    );
    const last = await run(moduleEntity({ name: 'm-500' }));
    expect(last.metadata.labels).toHaveProperty(
      ['ml-infra.io/drift'],
      'drifted',
    );
  });

  it('uses the entity namespace and makes a pre-release version label-safe', async () => {
    server.use(
      http.get(`${BASE}/modules`, () =>
        list({
          ...summary,
          entityRef: 'component:research/gpu-cluster',
          latestVersion: '1.5.0-rc.1+build.7',
          drift: 'unknown',
        }),
      ),
    );
    const result = await run(moduleEntity({ namespace: 'research' }));
    expect(result.metadata.labels).toMatchObject({
      'ml-infra.io/drift': 'unknown',
      'ml-infra.io/latest-version': '1.5.0-rc.1_build.7',
    });
    expect(result.metadata.annotations?.['ml-infra.io/latest-version']).toBe(
      '1.5.0-rc.1+build.7',
    );
  });

  it('leaves a module without a released version without a version label', async () => {
    server.use(
      http.get(`${BASE}/modules`, () =>
        list({ ...summary, latestVersion: undefined }),
      ),
    );
    const result = await run(moduleEntity());
    expect(result.metadata.labels).not.toHaveProperty([
      'ml-infra.io/latest-version',
    ]);
    expect(result.metadata.labels).toHaveProperty(
      ['ml-infra.io/drift'],
      'drifted',
    );
  });

  it('ignores entities that are not terraform-module Components', async () => {
    const api: Entity = {
      ...moduleEntity(),
      kind: 'API',
      spec: { type: 'terraform-module' },
    };
    const service: Entity = { ...moduleEntity(), spec: { type: 'service' } };
    // No handler is registered: any request would fail the test.
    await expect(run(api)).resolves.toBe(api);
    await expect(run(service)).resolves.toBe(service);
  });

  it('leaves a module the backend does not list as is', async () => {
    server.use(http.get(`${BASE}/modules`, () => list()));
    const entity = moduleEntity();
    await expect(run(entity)).resolves.toBe(entity);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each([
    [
      'a 500',
      () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'db down' } },
          { status: 500 },
        ),
    ],
    ['a network error', () => HttpResponse.error()],
    [
      'a body that is not a module list',
      () => HttpResponse.json({ drift: 'clean' }),
    ],
  ])('keeps the entity and warns on %s', async (_name, resolver) => {
    server.use(http.get(`${BASE}/modules`, resolver));
    const entity = moduleEntity();
    await expect(run(entity)).resolves.toBe(entity);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not read ML Infra status of component:default/gpu-cluster',
      ),
    );
  });

  it('gives up on a backend that does not answer within the timeout', async () => {
    const hanging = new MlInfraStatusProcessor({
      discovery: mockServices.discovery(),
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger,
      timeoutMs: 50,
    });
    // Answers only once the client has given up, so the test waits for the abort, not a clock.
    server.use(
      http.get(
        `${BASE}/modules`,
        ({ request }) =>
          new Promise(resolve =>
            request.signal.addEventListener('abort', () =>
              resolve(list(summary)),
            ),
          ),
      ),
    );
    const entity = moduleEntity();
    await expect(
      hanging.preProcessEntity(
        entity,
        location,
        jest.fn(),
        location,
        memoryCache(),
      ),
    ).resolves.toBe(entity);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/abort|timeout/i),
    );
  });

  it('keeps the last known status when the backend is down', async () => {
    const cache = memoryCache();
    server.use(
      http.get(`${BASE}/modules`, () => list(summary), { once: true }),
      http.get(
        `${BASE}/modules`,
        () => new HttpResponse(null, { status: 503 }),
      ),
    );
    const first = await run(moduleEntity(), cache);
    clock = 60_000;
    const second = await run(moduleEntity(), cache);
    expect(second.metadata.labels).toEqual(first.metadata.labels);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('keeping the last known status'),
    );
  });
});

describe('label values', () => {
  it.each([
    ['1.4.0', '1.4.0'],
    ['v1.4.0', '1.4.0'],
    ['1.5.0-rc.1+build.7', '1.5.0-rc.1_build.7'],
    ['version-2', 'version-2'],
    ['+++', undefined],
  ])('toVersionLabel(%s) = %s', (version, label) => {
    expect(toVersionLabel(version)).toBe(label);
  });

  it('caps label values at 63 characters ending alphanumeric', () => {
    const value = toLabelValue(`${'a'.repeat(62)}-b`);
    expect(value).toBe('a'.repeat(62));
  });
});
