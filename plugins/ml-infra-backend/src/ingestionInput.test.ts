/*
 * Ingestion and waiver input is checked once: the validated router holds every request to
 * openapi.yaml (a field no schema has included), the services add only what the spec cannot say
 * (catalog, configured environments, semver, a waiver's expiry). Each bad input gets a 400 that
 * names the field or parameter at fault.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  apiBaseUrl,
  moduleEntity,
  startMlInfraBackend,
} from './__testUtils__/backend';

jest.setTimeout(120_000);

const REF = 'component:default/gpu-cluster';
const RUN = {
  entityRef: REF,
  provider: 'github',
  runId: '7',
  attempt: 1,
  workflow: 'release',
  status: 'completed',
};
const IDENTITY = { provider: 'github', runId: '7', attempt: 1 };
const UPLOAD = `entityRef=${REF}&provider=github&runId=7&attempt=1&environment=dev`;
const PLAN = JSON.stringify({ format_version: '1.2', resource_changes: [] });
const DAY = 86_400_000;
/**
 * A field no schema has. The validator says where (the body, or the object in it); Backstage's
 * validated router keeps only that sentence of ajv's, not the name of the field.
 */
const EXTRA_FIELD = /request\/body must NOT have additional properties/;
const WAIVER = {
  entityRef: REF,
  rule: 'S3_ENCRYPTION',
  justification: 'key rotation next sprint',
  expiresAt: new Date(Date.now() + 7 * DAY).toISOString(),
};

describe('ingestion input', () => {
  let baseUrl: string;

  beforeAll(async () => {
    const server = await startMlInfraBackend({
      entities: [moduleEntity('gpu-cluster')],
      ciGrant: { owners: ['group:default/ml-platform'] },
    });
    baseUrl = apiBaseUrl(server);
  });

  const post = (path: string, body: string) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: mockCredentials.service.header(),
      },
      body,
    });

  it.each<[string, string, unknown, RegExp]>([
    [
      '/runs',
      'missing workflow',
      { ...RUN, workflow: undefined },
      /'workflow'/,
    ],
    ['/runs', 'empty workflow', { ...RUN, workflow: '' }, /workflow/],
    ['/runs', 'attempt 0', { ...RUN, attempt: 0 }, /attempt must be >= 1/],
    ['/runs', 'attempt as text', { ...RUN, attempt: '1' }, /attempt/],
    ['/runs', 'blank runId', { ...RUN, runId: '   ' }, /runId/],
    ['/runs', 'leg with a newline', { ...RUN, leg: 'a\nb' }, /leg/],
    [
      '/runs',
      'a javascript: url',
      // eslint-disable-next-line no-script-url -- the hostile input under test
      { ...RUN, url: 'javascript:alert(1)' },
      /url/,
    ],
    ['/runs', 'gitSha over 64', { ...RUN, gitSha: 'a'.repeat(65) }, /gitSha/],
    [
      '/runs',
      'startedAt not a time',
      { ...RUN, startedAt: 'noon' },
      /startedAt/,
    ],
    [
      '/releases',
      'provider with a space in the run',
      {
        entityRef: REF,
        version: '1.0.0',
        run: { ...IDENTITY, provider: 'a b' },
      },
      /run\/provider/,
    ],
    ['/releases', 'empty version', { entityRef: REF, version: '' }, /version/],
    [
      '/releases',
      'version not semver',
      { entityRef: REF, version: 'latest' },
      /Invalid version 'latest'/,
    ],
    [
      '/deployments',
      'deployedBy over 255',
      {
        entityRef: REF,
        version: '1.0.0',
        environment: 'dev',
        deployedBy: 'x'.repeat(256),
      },
      /deployedBy/,
    ],
    [
      '/deployments',
      'unknown environment',
      { entityRef: REF, version: '1.0.0', environment: 'perf' },
      /Unknown environment 'perf'/,
    ],
    [
      '/modules',
      'an empty environment',
      { entityRef: REF, environments: [''] },
      /environments\/0/,
    ],
    [
      '/modules',
      'a field no schema has',
      { entityRef: REF, version: '1.0.0' },
      EXTRA_FIELD,
    ],
    ['/runs', 'a field no schema has', { ...RUN, branch: 'main' }, EXTRA_FIELD],
    [
      '/releases',
      'a field no schema has in the run',
      { entityRef: REF, version: '1.0.0', run: { ...IDENTITY, workflow: 'x' } },
      /request\/body\/run must NOT have additional properties/,
    ],
    [
      '/waivers',
      'no justification',
      { ...WAIVER, justification: undefined },
      /'justification'/,
    ],
    [
      '/waivers',
      'a blank justification',
      { ...WAIVER, justification: ' \n ' },
      /justification/,
    ],
    [
      '/waivers',
      'a justification over 10,000',
      { ...WAIVER, justification: 'x'.repeat(10_001) },
      /justification/,
    ],
    [
      '/waivers',
      'an empty entityRef',
      { ...WAIVER, entityRef: '' },
      /entityRef/,
    ],
    [
      '/waivers',
      'a rule over 255',
      { ...WAIVER, rule: 'r'.repeat(256) },
      /rule/,
    ],
    [
      '/waivers',
      'an empty environment',
      { ...WAIVER, environment: '' },
      /environment/,
    ],
    [
      '/waivers',
      'a resource over 2,000',
      { ...WAIVER, resource: 'r'.repeat(2001) },
      /resource/,
    ],
    [
      '/waivers',
      'expiresAt not a time',
      { ...WAIVER, expiresAt: 'friday' },
      /expiresAt/,
    ],
    [
      '/waivers',
      'a field no schema has',
      { ...WAIVER, owner: 'me' },
      EXTRA_FIELD,
    ],
    [
      '/waivers',
      'expiresAt in the past',
      { ...WAIVER, expiresAt: new Date(Date.now() - DAY).toISOString() },
      /expiresAt .* is not in the future/,
    ],
    [
      '/waivers',
      'expiresAt beyond the configured maximum',
      { ...WAIVER, expiresAt: new Date(Date.now() + 400 * DAY).toISOString() },
      /expiresAt .* is too far away: waivers last at most 90 days/,
    ],
    [
      '/waivers',
      'an unknown environment',
      { ...WAIVER, environment: 'perf' },
      /Unknown environment 'perf'/,
    ],
    [
      '/waivers',
      'a version not semver',
      { ...WAIVER, version: 'latest' },
      /Invalid version 'latest'/,
    ],
    [
      '/waivers/w-1/approve',
      'a comment over 10,000',
      { comment: 'c'.repeat(10_001) },
      /comment/,
    ],
    [
      '/waivers/w-1/reject',
      'a comment that is a number',
      { comment: 1 },
      /comment/,
    ],
    [
      '/waivers/w-1/withdraw',
      'a field no schema has',
      { reason: 'x' },
      EXTRA_FIELD,
    ],
  ])('POST %s refuses %s, naming it', async (path, _case, body, message) => {
    const response = await post(path, JSON.stringify(body));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(message);
  });

  it.each<[string, string, RegExp]>([
    ['no environment', UPLOAD.replace('&environment=dev', ''), /'environment'/],
    ['a blank runId', UPLOAD.replace('runId=7', 'runId=%20'), /runId/],
    ['a leg with a newline', `${UPLOAD}&leg=a%0Ab`, /leg/],
    ['attempt 0', UPLOAD.replace('attempt=1', 'attempt=0'), /attempt/],
    ['reportedAt not a time', `${UPLOAD}&reportedAt=2024-01-01`, /reportedAt/],
    ['an unknown environment', UPLOAD.replace('dev', 'perf'), /'perf'/],
  ])(
    'POST /ingest/drift refuses %s, naming it',
    async (_case, query, message) => {
      const response = await post(`/ingest/drift?${query}`, PLAN);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    },
  );

  it('stores the run identity trimmed, attempt as a number and a blank leg left out', async () => {
    const goTest = JSON.stringify({
      Action: 'pass',
      Package: 'example.com/m/test',
      Test: 'TestPlan',
      Elapsed: 1,
    });
    const query = UPLOAD.replace('runId=7', 'runId=%20run%208%20');
    const upload = await post(`/ingest/tests?${query}&leg=%20`, goTest);
    expect(upload.status).toBe(201);
    const tests = await fetch(
      `${baseUrl}/modules/component/default/gpu-cluster/tests`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    expect(
      (await tests.json()).runs.map((r: { run: unknown }) => r.run),
    ).toEqual([{ provider: 'github', runId: 'run 8', attempt: 1 }]);
  });
});
