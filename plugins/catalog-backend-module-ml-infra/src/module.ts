import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readMlInfraCatalogConfig } from './config';
import { MlInfraStatusProcessor } from './processor/MlInfraStatusProcessor';

/**
 * Surfaces ML Infra status onto module entities.
 *
 * @public
 */
export const catalogModuleMlInfra = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ml-infra',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ catalog, config, discovery, auth, logger }) {
        const settings = readMlInfraCatalogConfig(config);
        if (!settings.enabled) {
          logger.info('ML Infra status on catalog entities is disabled');
          return;
        }
        catalog.addProcessor(
          new MlInfraStatusProcessor({
            discovery,
            auth,
            logger,
            refreshIntervalMs: settings.refreshIntervalMs,
            timeoutMs: settings.timeoutMs,
          }),
        );
      },
    });
  },
});
