import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { readMlInfraCollatorConfig } from './collators/config';
import { MlInfraModuleCollatorFactory } from './collators/MlInfraModuleCollatorFactory';

/**
 * Adds the ML Infra module status to search, re-indexed on the schedule at
 * `search.collators.mlInfra.schedule`.
 *
 * @public
 */
export const searchModuleMlInfraCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'ml-infra-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        config,
        auth,
        discovery,
        logger,
        scheduler,
        catalog,
        indexRegistry,
      }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readMlInfraCollatorConfig(config).schedule,
          ),
          factory: MlInfraModuleCollatorFactory.fromConfig(config, {
            auth,
            discovery,
            catalog,
            logger,
          }),
        });
      },
    });
  },
});
