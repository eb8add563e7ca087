import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/** The entity ref of the module entity on the current entity page. */
export function useModuleEntityRef(): string {
  const { entity } = useEntity();
  return stringifyEntityRef(entity);
}
