import {
  createApiFactory,
  createComponentExtension,
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
      factory: ({ discoveryApi, fetchApi }) =>
        new MlInfraClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The ML Infra page: module catalog at its root, governance under `/compliance`. */
export const MlInfraPage = mlInfraPlugin.provide(
  createRoutableExtension({
    name: 'MlInfraPage',
    component: () =>
      import('./components/MlInfraPage').then(m => m.MlInfraPage),
    mountPoint: rootRouteRef,
  }),
);

/** Entity overview card of a module: latest version, per-environment version and health. */
export const EntityMlInfraOverviewCard = mlInfraPlugin.provide(
  createComponentExtension({
    name: 'EntityMlInfraOverviewCard',
    component: {
      lazy: () =>
        import('./components/EntityMlInfraOverviewCard').then(
          m => m.EntityMlInfraOverviewCard,
        ),
    },
  }),
);

/** Entity tab "Versions & environments". */
export const EntityMlInfraVersionsContent = mlInfraPlugin.provide(
  createComponentExtension({
    name: 'EntityMlInfraVersionsContent',
    component: {
      lazy: () =>
        import('./components/EntityMlInfraVersionsContent').then(
          m => m.EntityMlInfraVersionsContent,
        ),
    },
  }),
);

/** Entity tab "Drift". */
export const EntityMlInfraDriftContent = mlInfraPlugin.provide(
  createComponentExtension({
    name: 'EntityMlInfraDriftContent',
    component: {
      lazy: () =>
        import('./components/EntityMlInfraDriftContent').then(
          m => m.EntityMlInfraDriftContent,
        ),
    },
  }),
);

/** Entity tab "Policy". */
export const EntityMlInfraPolicyContent = mlInfraPlugin.provide(
  createComponentExtension({
    name: 'EntityMlInfraPolicyContent',
    component: {
      lazy: () =>
        import('./components/EntityMlInfraPolicyContent').then(
          m => m.EntityMlInfraPolicyContent,
        ),
    },
  }),
);

/** Entity tab "Tests". */
export const EntityMlInfraTestsContent = mlInfraPlugin.provide(
  createComponentExtension({
    name: 'EntityMlInfraTestsContent',
    component: {
      lazy: () =>
        import('./components/EntityMlInfraTestsContent').then(
          m => m.EntityMlInfraTestsContent,
        ),
    },
  }),
);
