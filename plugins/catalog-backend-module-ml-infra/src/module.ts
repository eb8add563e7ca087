import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

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
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('ML Infra catalog module ready');
      },
    });
  },
});
