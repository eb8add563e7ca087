import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import BuildIcon from '@material-ui/icons/Build';
import { MlInfraClient } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from './api';
import { rootRouteRef } from './routes';

const mlInfraApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: mlInfraApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new MlInfraClient({ discoveryApi, fetchApi }),
    }),
});

const mlInfraPage = PageBlueprint.make({
  params: {
    path: '/ml-infra',
    title: 'ML Infra',
    icon: <BuildIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () => import('./components/MlInfraPage').then(m => <m.MlInfraPage />),
  },
});

/**
 * The ML Infra frontend plugin (new frontend system).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ml-infra',
  title: 'ML Infra',
  icon: <BuildIcon />,
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [mlInfraApi, mlInfraPage],
});
