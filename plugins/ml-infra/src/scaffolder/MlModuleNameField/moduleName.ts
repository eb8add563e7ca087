import { CatalogApi } from '@backstage/plugin-catalog-react';

// The one rule, shared with the server-side guardrails action and the API.
export { moduleNameProblem } from '@ml-infra-portal/plugin-ml-infra-common';

/** Whether a module (Component) of that name is already in the catalog. */
export async function isModuleNameTaken(
  catalogApi: Pick<CatalogApi, 'getEntityByRef'>,
  name: string,
) {
  const entity = await catalogApi.getEntityByRef({
    kind: 'Component',
    namespace: 'default',
    name,
  });
  return entity !== undefined;
}

export const takenMessage = (name: string) =>
  `'${name}' is already used by a component in the catalog`;
