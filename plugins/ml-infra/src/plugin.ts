import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MlInfraClient } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from './api';
import { rootRouteRef } from './routes';

/** The ML Infra frontend plugin (legacy frontend system). */
export const mlInfraPlugin = createPlugin({
  id: 'ml-infra',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: mlInfraApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new MlInfraClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The ML Infra page: module catalog and governance. */
export const MlInfraPage = mlInfraPlugin.provide(
  createRoutableExtension({
    name: 'MlInfraPage',
    component: () => import('./components/MlInfraPage').then(m => m.MlInfraPage),
    mountPoint: rootRouteRef,
  }),
);
