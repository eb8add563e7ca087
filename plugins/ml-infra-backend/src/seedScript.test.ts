/*
 * The demo seed script (scripts/seed-demo-data.mjs) sends everything through the generated
 * typed client; this runs it, unchanged, against the real validated router.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMlInfraApiClient } from '@ml-infra-portal/plugin-ml-infra-common';
import { execFile } from 'child_process';
import path from 'path';
import { promisify } from 'util';
import { mlInfraPlugin } from './plugin';

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
  const { server } = await startTestBackend({
    features: [
      mlInfraPlugin,
      catalogServiceMock.factory({
        entities: MODULES.map(name => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name, namespace: 'default' },
          spec: {
            type: 'terraform-module',
            owner: 'group:default/ml-platform',
            lifecycle: 'production',
          },
        })),
      }),
      mockServices.rootConfig.factory({
        data: {
          mlInfra: {
            ci: {
              staticTokens: [
                {
                  subject: 'external:test-service',
                  owners: ['group:default/ml-platform'],
                },
              ],
            },
          },
        },
      }),
    ],
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
    baseUrl: `http://localhost:${server.port()}/api/ml-infra`,
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
});
