/*
 * The demo seed script (scripts/seed-demo-data.mjs) sends everything through the generated
 * typed client; this runs it, unchanged, against the real validated router.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMlInfraApiClient } from '@ml-infra-portal/plugin-ml-infra-common';
import { execFile } from 'child_process';
import path from 'path';
import { promisify } from 'util';
import {
  apiBaseUrl,
  moduleEntity,
  startMlInfraBackend,
} from './__testUtils__/backend';

jest.setTimeout(300_000);

const MODULES = [
  'gpu-training-cluster',
  'model-serving-endpoint',
  'feature-store',
  'dataset-artifact-store',
  'experiment-tracking',
  'inference-gpu-pool',
];

it('seeds the demo data through the validated router', async () => {
  const server = await startMlInfraBackend({
    entities: MODULES.map(name => moduleEntity(name)),
    ciGrant: { owners: ['group:default/ml-platform'] },
    requireCredentials: false,
  });
  const script = path.resolve(__dirname, '../../../scripts/seed-demo-data.mjs');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [script, '--base-url', `http://localhost:${server.port()}`],
    {
      env: {
        ...process.env,
        ML_INFRA_TOKEN: mockCredentials.service.token(),
      },
    },
  );
  expect(stdout).toContain('[seed] demo data loaded');
  const reader = createMlInfraApiClient({
    baseUrl: apiBaseUrl(server),
    fetch: request => {
      request.headers.set('Authorization', mockCredentials.user.header());
      return fetch(request);
    },
  });
  const { data } = await reader.GET('/modules');
  expect(data!.items.map(m => [m.entityRef, Boolean(m.latestVersion)])).toEqual(
    expect.arrayContaining(
      MODULES.map(name => [`component:default/${name}`, true]),
    ),
  );
  // Each test run and each deployment is linked to the CI run it names, as the generated
  // workflows record them.
  const gpuCluster = {
    params: {
      path: {
        kind: 'component',
        namespace: 'default',
        name: 'gpu-training-cluster',
      },
    },
  };
  const runUrl = (runId?: string) =>
    `https://github.com/example/terraform-aws-gpu-training-cluster/actions/runs/${runId}`;
  const { data: tests } = await reader.GET(
    '/modules/{kind}/{namespace}/{name}/tests',
    gpuCluster,
  );
  expect(tests!.runs.length).toBeGreaterThan(0);
  for (const run of tests!.runs) {
    expect(run.url).toBe(runUrl(run.run.runId));
  }
  const { data: environments } = await reader.GET(
    '/modules/{kind}/{namespace}/{name}/environments',
    gpuCluster,
  );
  const deploys = environments!.history.filter(d => d.action === 'deploy');
  expect(deploys.length).toBeGreaterThan(0);
  for (const deployment of deploys) {
    expect(deployment.runUrl).toBe(runUrl(deployment.run?.runId));
  }
});
