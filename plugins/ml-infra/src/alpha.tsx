import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import BuildIcon from '@material-ui/icons/Build';
import {
  ML_INFRA_ENTITY_TABS,
  MlInfraClient,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from './api';
import { isMlInfraModule } from './isMlInfraModule';
import { rootRouteRef } from './routes';
import {
  displayNameFormField,
  guardrailPickerFormField,
  mlModuleNameFormField,
} from './scaffolder/alpha';

/** @alpha */
export const mlInfraApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: mlInfraApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MlInfraClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const mlInfraPage = PageBlueprint.make({
  params: {
    path: '/ml-infra',
    title: 'ML Infra',
    icon: <BuildIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    // The page renders its own header with the Modules / Governance tabs.
    noHeader: true,
    loader: () =>
      import('./components/MlInfraPage').then(m => <m.MlInfraPage />),
  },
});

/** @alpha */
export const mlInfraOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isMlInfraModule,
    loader: () =>
      import('./components/EntityMlInfraOverviewCard').then(m => (
        <m.EntityMlInfraOverviewCard />
      )),
  },
});

/** @alpha */
export const mlInfraVersionsContent = EntityContentBlueprint.make({
  name: 'versions',
  params: {
    path: ML_INFRA_ENTITY_TABS.versions,
    title: 'Versions & environments',
    filter: isMlInfraModule,
    loader: () =>
      import('./components/EntityMlInfraVersionsContent').then(m => (
        <m.EntityMlInfraVersionsContent />
      )),
  },
});

/** @alpha */
export const mlInfraDriftContent = EntityContentBlueprint.make({
  name: 'drift',
  params: {
    path: ML_INFRA_ENTITY_TABS.drift,
    title: 'Drift',
    filter: isMlInfraModule,
    loader: () =>
      import('./components/EntityMlInfraDriftContent').then(m => (
        <m.EntityMlInfraDriftContent />
      )),
  },
});

/** @alpha */
export const mlInfraPolicyContent = EntityContentBlueprint.make({
  name: 'policy',
  params: {
    path: ML_INFRA_ENTITY_TABS.policy,
    title: 'Policy',
    filter: isMlInfraModule,
    loader: () =>
      import('./components/EntityMlInfraPolicyContent').then(m => (
        <m.EntityMlInfraPolicyContent />
      )),
  },
});

/** @alpha */
export const mlInfraTestsContent = EntityContentBlueprint.make({
  name: 'tests',
  params: {
    path: ML_INFRA_ENTITY_TABS.tests,
    title: 'Tests',
    filter: isMlInfraModule,
    loader: () =>
      import('./components/EntityMlInfraTestsContent').then(m => (
        <m.EntityMlInfraTestsContent />
      )),
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
  extensions: [
    mlInfraApi,
    mlInfraPage,
    mlInfraOverviewCard,
    mlInfraVersionsContent,
    mlInfraDriftContent,
    mlInfraPolicyContent,
    mlInfraTestsContent,
    // Form fields of the "Create ML module" golden paths (ui:field MlModuleName, GuardrailPicker,
    // MlDisplayName)
    mlModuleNameFormField,
    guardrailPickerFormField,
    displayNameFormField,
  ],
});
