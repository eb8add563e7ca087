/**
 * The backend under test, run as a child process of the benchmark driver so that its RSS is
 * measured on its own and client work does not share its event loop.
 *
 * In-process test backend (`startTestBackend`) with the real `mlInfraPlugin`, the real database
 * service (SQLite file or PostgreSQL database from config), an in-memory catalog holding the
 * benchmark's module entities, and mocked auth: every request is a service principal and every
 * permission is allowed, so the benchmark measures the plugin rather than auth.
 *
 * IPC: sends `{ type: 'ready', port }`; answers `{ type: 'gc' }` with `{ type: 'gc-done', rss }`
 * and stops on `{ type: 'stop' }`.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { mlInfraPlugin } from '../../plugins/ml-infra-backend/src/plugin';
import { moduleEntities, OWNER_GROUPS, ownerOf } from './modules';

interface ServerOptions {
  database: JsonObject;
  modules: number;
  mlInfra?: JsonObject;
}

async function main() {
  const options: ServerOptions = JSON.parse(process.env.ML_INFRA_BENCH_SERVER!);
  const backend = await startTestBackend({
    features: [
      mlInfraPlugin,
      catalogServiceMock.factory({ entities: moduleEntities(options.modules) }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: options.database },
          mlInfra: {
            // The mocked service principal is a static token scoped to every owner's modules.
            ci: {
              staticTokens: [
                {
                  subject: mockCredentials.service().principal.subject,
                  owners: Array.from({ length: OWNER_GROUPS }, (_, i) =>
                    ownerOf(i),
                  ),
                },
              ],
            },
            ...options.mlInfra,
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.service(),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const address = backend.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  process.on('message', async (message: { type: string }) => {
    if (message.type === 'gc') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ type: 'gc-done', rss: process.memoryUsage().rss });
    } else if (message.type === 'stop') {
      try {
        await backend.stop();
      } finally {
        process.exit(0);
      }
    }
  });
  process.send!({ type: 'ready', port });
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error('bench server failed to start:', error);
  process.exit(1);
});
