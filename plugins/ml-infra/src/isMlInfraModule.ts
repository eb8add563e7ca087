import type { Entity } from '@backstage/catalog-model';
import { ML_INFRA_MODULE_TYPE } from '@ml-infra-portal/plugin-ml-infra-common';

/** True for the catalog entities the ML Infra entity card and tabs apply to. */
export function isMlInfraModule(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    entity.spec?.type === ML_INFRA_MODULE_TYPE
  );
}
