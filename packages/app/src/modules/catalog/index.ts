import { createFrontendModule } from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { isMlInfraModule } from '@ml-infra-portal/plugin-ml-infra';

/**
 * The Labels card, left off an ML module's Overview: its labels are the ML Infra status the
 * catalog processor writes (`ml-infra.io/drift`, ...), which the ML Infra card above shows with
 * its evidence. Other entities keep the card as the catalog defines it.
 */
export const labelsCardWithoutMlModules = catalogPlugin
  .getExtension('entity-card:catalog/labels')
  .override({
    params: {
      filter: entity =>
        Object.keys(entity.metadata.labels ?? {}).length > 0 &&
        !isMlInfraModule(entity),
    },
  });

/** Catalog entity pages as this portal lays them out. */
export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [labelsCardWithoutMlModules],
});
