import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { MlInfraClient } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../api';
import { rootRouteRef } from '../routes';

// AuthorizeResult lives in plugin-permission-common, which this package does not depend on;
// its values are the strings ALLOW and DENY.
type Decision = Exclude<
  NonNullable<
    NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
  >,
  Function
>;
const decision = (allowed: boolean) =>
  (allowed ? 'ALLOW' : 'DENY') as unknown as Decision;

export const API_BASE = 'http://localhost:7007/api/ml-infra';

export interface RenderOptions {
  entity?: Entity;
  /** Whether the permission API allows every request (default) or denies all. */
  allowed?: boolean;
  routeEntries?: string[];
  /** Catalog entities the catalog API knows, e.g. owner groups with display names. */
  catalogEntities?: Entity[];
}

/** Renders with the real client against msw, a permission mock and the catalog entity route. */
export function renderWithMlInfra(
  element: ReactElement,
  options: RenderOptions = {},
) {
  const client = new MlInfraClient({
    discoveryApi: { getBaseUrl: async () => API_BASE },
    fetchApi: { fetch: (...args) => fetch(...args) },
  });
  const wrapped = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mlInfraApiRef, client],
        [catalogApiRef, catalogApiMock({ entities: options.catalogEntities })],
        [
          permissionApiRef,
          mockApis.permission({ authorize: decision(options.allowed ?? true) }),
        ],
        [
          configApiRef,
          mockApis.config({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              mlInfra: { environments: ['dev', 'staging', 'prod'] },
            },
          }),
        ],
      ]}
    >
      {wrapped}
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/ml-infra': rootRouteRef,
      },
    },
  );
}
