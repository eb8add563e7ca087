import { CatalogApi } from '@backstage/plugin-catalog-react';

/** Same rule the server-side guardrails action applies: a lowercase DNS label of 3-40 characters. */
export const MODULE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Why `name` is not a valid module name, or undefined when it is. */
export function moduleNameProblem(name: string): string | undefined {
  if (name.includes('/') || name.includes('\\')) {
    return 'Must not contain path separators';
  }
  if (name.includes('..')) {
    return "Must not contain '..'";
  }
  if (name !== name.toLowerCase()) {
    return 'Must be lowercase';
  }
  if (!MODULE_NAME_PATTERN.test(name)) {
    return "3-40 characters: lowercase letters, digits and '-', starting with a letter, not ending with '-'";
  }
  return undefined;
}

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
