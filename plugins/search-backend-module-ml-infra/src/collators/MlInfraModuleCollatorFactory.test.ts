import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  LunrSearchEngine,
  TestPipeline,
} from '@backstage/plugin-search-backend-node';
import {
  ModuleSummary,
  PolicyResult,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Readable } from 'node:stream';
import {
  MlInfraModuleCollatorFactory,
  MlInfraModuleDocument,
} from './MlInfraModuleCollatorFactory';

const BASE = 'http://localhost:0/api/ml-infra';

const run = { provider: 'github-actions', runId: '1', attempt: 1 };

const modules: ModuleSummary[] = [
  {
    entityRef: 'component:default/feature-store',
    title: 'Feature store',
    description: 'Online and offline feature groups',
    owner: 'group:default/data-platform',
    goldenPath: 'feature-store',
    latestVersion: '1.0.0',
    environments: [
      { environment: 'dev', version: '1.0.0', drift: 'clean' },
      { environment: 'prod', version: '0.9.0', drift: 'clean' },
    ],
    drift: 'clean',
    policy: 'failed',
    tests: 'passed',
    failingPolicies: 1,
  },
  {
    entityRef: 'component:default/gpu-training-cluster',
    title: 'GPU training cluster',
    owner: 'group:default/ml-platform',
    goldenPath: 'gpu-training-cluster',
    latestVersion: '1.3.0',
    environments: [
      { environment: 'dev', version: '1.3.0', drift: 'clean' },
      {
        environment: 'prod',
        version: '1.2.0',
        drift: 'drifted',
        driftedSince: '2026-11-20T08:00:00.000Z',
      },
    ],
    drift: 'drifted',
    policy: 'passed',
    tests: 'failed',
    failingPolicies: 0,
  },
];

const encryption: PolicyResult = {
  rule: 'ML-ENC-001',
  control: 'SC-28',
  severity: 'critical',
  outcome: 'failed',
  rawOutcome: 'failed',
  message: 'bucket is not encrypted with a customer managed KMS key',
  environment: 'prod',
  run,
  reportedAt: '2026-11-30T08:00:00.000Z',
};
const waivedTags: PolicyResult = {
  ...encryption,
  rule: 'ML-TAG-001',
  control: 'CC-6.1',
  outcome: 'waived',
  message: 'resource is missing mandatory tags',
};

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'terraform-module', owner: 'group:default/ml-platform' },
});

const config = mockServices.rootConfig({
  data: {
    search: { collators: { mlInfra: { batchSize: 1 } } },
    mlInfra: {
      guardrails: {
        acceleratorFamilies: [
          {
            name: 'nvidia-h100',
            title: 'NVIDIA H100',
            instanceFamilies: ['p5'],
          },
        ],
      },
    },
  },
});

describe('MlInfraModuleCollatorFactory', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const authorizations: string[] = [];
  const pages: string[] = [];

  beforeEach(() => {
    authorizations.length = 0;
    pages.length = 0;
    server.use(
      http.get(`${BASE}/modules`, ({ request }) => {
        const url = new URL(request.url);
        authorizations.push(request.headers.get('authorization') ?? '');
        pages.push(url.search);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        return HttpResponse.json({
          items: modules.slice(offset, offset + limit),
          totalCount: modules.length,
          environments: ['dev', 'staging', 'prod'],
        });
      }),
      http.get(
        `${BASE}/modules/component/default/feature-store/policy`,
        ({ request }) => {
          authorizations.push(request.headers.get('authorization') ?? '');
          return HttpResponse.json({
            version: '1.0.0',
            counts: { passed: 3, warned: 0, failed: 1, waived: 1 },
            results: [encryption, waivedTags],
            waivers: [],
          });
        },
      ),
    );
  });

  const factory = () =>
    MlInfraModuleCollatorFactory.fromConfig(config, {
      auth: mockServices.auth({ pluginId: 'search' }),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
      catalog: catalogServiceMock({
        entities: [
          entity('gpu-training-cluster', {
            'ml-infra.io/accelerator': 'nvidia-h100',
          }),
          entity('feature-store', {}),
        ],
      }),
    });

  async function collect(): Promise<MlInfraModuleDocument[]> {
    const { documents, error } = await TestPipeline.fromCollator(
      await factory().getCollator(),
    ).execute();
    if (error) throw error;
    return documents as MlInfraModuleDocument[];
  }

  it('reads every page of modules with a service token of the search plugin', async () => {
    await collect();
    expect(pages).toEqual([
      '?sort=name&offset=0&limit=1',
      '?sort=name&offset=1&limit=1',
    ]);
    expect(authorizations.length).toBeGreaterThan(0);
    for (const header of authorizations) {
      expect(header).toMatch(
        /^Bearer mock-service-token:.*"sub":"plugin:search".*"target":"ml-infra"/,
      );
    }
  });

  it('describes each module in documents that link to the tab showing it', async () => {
    const documents = await collect();
    const byLocation = new Map(documents.map(d => [d.location, d]));

    expect([...byLocation.keys()].sort()).toEqual([
      '/catalog/default/component/feature-store#ml-infra-status',
      '/catalog/default/component/feature-store/ml-infra-policy',
      '/catalog/default/component/feature-store/ml-infra-versions',
      '/catalog/default/component/gpu-training-cluster#ml-infra-status',
      '/catalog/default/component/gpu-training-cluster/ml-infra-drift',
      '/catalog/default/component/gpu-training-cluster/ml-infra-tests',
      '/catalog/default/component/gpu-training-cluster/ml-infra-versions',
    ]);

    const gpu = byLocation.get(
      '/catalog/default/component/gpu-training-cluster#ml-infra-status',
    )!;
    expect(gpu).toMatchObject({
      title: 'GPU training cluster',
      entityRef: 'component:default/gpu-training-cluster',
      goldenPath: 'gpu training cluster',
      accelerator: 'NVIDIA H100 nvidia h100',
      failingRules: '',
      authorization: { resourceRef: 'component:default/gpu-training-cluster' },
    });
    // The summary reads as sentences: the description ends with its own full stop, and the
    // accelerator is named once, by its title (the annotation's words stay in its field).
    expect(
      byLocation.get(
        '/catalog/default/component/feature-store#ml-infra-status',
      )!.text,
    ).toMatch(
      /^Online and offline feature groups\. Golden path: feature store\. /,
    );
    expect(gpu.text).toMatch(
      /^Golden path: gpu training cluster\. Accelerator: NVIDIA H100\. /,
    );
    expect(gpu.text).not.toMatch(/nvidia h100/);
    expect(
      byLocation.get(
        '/catalog/default/component/gpu-training-cluster/ml-infra-drift',
      )!.text,
    ).toBe('Drifted in prod since 2026-11-20.');
    expect(
      byLocation.get(
        '/catalog/default/component/gpu-training-cluster/ml-infra-versions',
      )!.text,
    ).toBe('Running dev 1.3.0, prod 1.2.0. Latest version 1.3.0.');

    // A waived result is not a failing one.
    const policy = byLocation.get(
      '/catalog/default/component/feature-store/ml-infra-policy',
    )!;
    expect(policy.title).toBe('Feature store: failing policy ML-ENC-001');
    expect(policy.failingRules).toBe('ML-ENC-001 SC-28');
    expect(policy.text).not.toContain('ML-TAG-001');
  });

  it('makes status, rule ids and accelerators findable with the in-memory engine', async () => {
    const engine = new LunrSearchEngine({ logger: mockServices.logger.mock() });
    const indexer = await engine.getIndexer('ml-infra-module');
    await TestPipeline.fromCollator(await factory().getCollator())
      .withIndexer(indexer)
      .execute();
    const top = async (term: string) =>
      (await engine.query({ term, types: ['ml-infra-module'] })).results[0]
        ?.document.location;

    expect(await top('ML-ENC-001')).toBe(
      '/catalog/default/component/feature-store/ml-infra-policy',
    );
    expect(await top('SC-28')).toBe(
      '/catalog/default/component/feature-store/ml-infra-policy',
    );
    expect(await top('drifted')).toBe(
      '/catalog/default/component/gpu-training-cluster/ml-infra-drift',
    );
    expect(await top('H100')).toBe(
      '/catalog/default/component/gpu-training-cluster#ml-infra-status',
    );
  });

  it('keeps its documents apart from the catalog entity documents, so highlights match the text they mark', async () => {
    // The in-memory engine keeps one document store for all types, keyed by location; the catalog
    // collator's document of an entity sits at the entity's path.
    const engine = new LunrSearchEngine({ logger: mockServices.logger.mock() });
    await TestPipeline.fromCollator(await factory().getCollator())
      .withIndexer(await engine.getIndexer('ml-infra-module'))
      .execute();
    const catalogDocument = {
      title: 'GPU training cluster',
      text: 'GPU cluster',
      location: '/catalog/default/component/gpu-training-cluster',
      kind: 'Component',
      namespace: 'default',
      type: 'terraform-module',
      lifecycle: 'production',
      owner: 'group:default/ml-platform',
      authorization: { resourceRef: 'component:default/gpu-training-cluster' },
    };
    await TestPipeline.fromCollator(Readable.from([catalogDocument]))
      .withIndexer(await engine.getIndexer('software-catalog'))
      .execute();

    const { results } = await engine.query({ term: 'drifted H100 cluster' });
    const overview = results.find(r => r.type === 'ml-infra-module');
    const catalog = results.find(r => r.type === 'software-catalog');
    expect(catalog?.document).toEqual(catalogDocument);
    expect(overview?.document.location).toBe(
      '/catalog/default/component/gpu-training-cluster#ml-infra-status',
    );
    for (const { document, highlight } of results) {
      const { preTag, postTag } = highlight!;
      for (const [field, marked] of Object.entries(highlight!.fields)) {
        // Every mark encloses text, and without its marks the field is the document's own.
        expect(marked).not.toContain(`${preTag}${postTag}`);
        expect(marked.split(preTag).join('').split(postTag).join('')).toBe(
          String((document as unknown as Record<string, unknown>)[field]),
        );
      }
    }
  });

  it('indexes a module without its policy results when they cannot be read', async () => {
    server.use(
      http.get(`${BASE}/modules/component/default/feature-store/policy`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        ),
      ),
    );
    const documents = await collect();
    expect(documents.map(d => d.location)).toContain(
      '/catalog/default/component/feature-store#ml-infra-status',
    );
    expect(documents.map(d => d.location)).not.toContain(
      '/catalog/default/component/feature-store/ml-infra-policy',
    );
  });

  it('fails the run when the module list cannot be read, so the last index is kept', async () => {
    server.use(
      http.get(`${BASE}/modules`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'down' } },
          { status: 503 },
        ),
      ),
    );
    await expect(collect()).rejects.toThrow(/503/);
  });
});
