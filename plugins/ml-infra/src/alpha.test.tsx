import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  coreExtensionData,
  ExtensionDefinition,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MlInfraClient } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from './api';
import mlInfraPlugin, {
  mlInfraDriftContent,
  mlInfraOverviewCard,
  mlInfraPage,
  mlInfraPolicyContent,
  mlInfraTestsContent,
  mlInfraVersionsContent,
} from './alpha';
import {
  API_BASE,
  compliance,
  drift,
  moduleEntity,
  moduleList,
  moduleSummary,
  setupMlInfraApi,
} from './__testUtils__';

const client = new MlInfraClient({
  discoveryApi: { getBaseUrl: async () => API_BASE },
  fetchApi: { fetch: (...args) => fetch(...args) },
});
const apis = [
  [mlInfraApiRef, client],
  [permissionApiRef, mockApis.permission()],
  // The module table names owners from the catalog.
  [catalogApiRef, catalogApiMock()],
] as const;
const MODULE_URL = `${API_BASE}/modules/component/default/gpu-training-cluster`;

describe('ml-infra alpha plugin', () => {
  const { server, respond } = setupMlInfraApi();

  it('bundles the api, page, card, four entity contents and the form fields', () => {
    expect(mlInfraPlugin.id).toBe('ml-infra');
    for (const id of [
      'api:ml-infra',
      'page:ml-infra',
      'entity-card:ml-infra/overview',
      'entity-content:ml-infra/versions',
      'entity-content:ml-infra/drift',
      'entity-content:ml-infra/policy',
      'entity-content:ml-infra/tests',
      'scaffolder-form-field:ml-infra/ml-module-name',
      'scaffolder-form-field:ml-infra/guardrail-picker',
    ] as const) {
      expect(mlInfraPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('renders the ML Infra page at /ml-infra', async () => {
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.get(`${API_BASE}/modules`, () => HttpResponse.json(moduleList)),
    );
    const tester = createExtensionTester(mlInfraPage, { apis });
    expect(tester.get(coreExtensionData.routePath)).toBe('/ml-infra');
    expect(tester.get(coreExtensionData.title)).toBe('ML Infra');

    renderInTestApp(tester.reactElement(), {
      apis,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('GPU training cluster')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Governance' })).toBeInTheDocument();
  });

  it.each<[ExtensionDefinition<any>, string, string]>([
    [mlInfraVersionsContent, 'ml-infra-versions', 'Versions & environments'],
    [mlInfraDriftContent, 'ml-infra-drift', 'Drift'],
    [mlInfraPolicyContent, 'ml-infra-policy', 'Policy'],
    [mlInfraTestsContent, 'ml-infra-tests', 'Tests'],
  ])('declares entity content at %#', (extension, path, title) => {
    const tester = createExtensionTester(extension, { apis });
    expect(tester.get(coreExtensionData.routePath)).toBe(path);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as ((entity: Entity) => boolean) | undefined;
    expect(filter?.(moduleEntity)).toBe(true);
    expect(
      filter?.({
        ...moduleEntity,
        spec: { ...moduleEntity.spec, type: 'service' },
      }),
    ).toBe(false);
  });

  it('renders the drift content for a module entity', async () => {
    respond(`${MODULE_URL}/drift`, drift);
    const tester = createExtensionTester(mlInfraDriftContent, { apis });
    renderInTestApp(
      <EntityProvider entity={moduleEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis },
    );
    const staging = await screen.findByTestId('drift-env-staging');
    expect(within(staging).getByText('Drifted')).toBeInTheDocument();
  });

  it('renders the overview card only for module entities', async () => {
    respond(MODULE_URL, moduleSummary);
    const tester = createExtensionTester(mlInfraOverviewCard, { apis });
    expect(
      tester.get(EntityCardBlueprint.dataRefs.filterFunction)?.(moduleEntity),
    ).toBe(true);
    renderInTestApp(
      <EntityProvider entity={moduleEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis },
    );
    expect(await screen.findByTestId('latest-version')).toHaveTextContent(
      '1.4.0',
    );
  });
});
