import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'ml-infra' });

export const complianceRouteRef = createSubRouteRef({
  id: 'ml-infra/compliance',
  parent: rootRouteRef,
  path: '/compliance',
});
