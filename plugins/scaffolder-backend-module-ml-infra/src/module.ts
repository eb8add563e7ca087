import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createGuardrailsCheckAction,
  createModuleRegisterAction,
  createPolicyCheckAction,
  createPublishLocalAction,
} from './actions';

/**
 * Scaffolder actions of the ML module golden paths.
 *
 * @public
 */
export const scaffolderModuleMlInfra = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ml-infra',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, discovery, auth, catalog }) {
        scaffolder.addActions(
          createGuardrailsCheckAction({ config, catalog }),
          createPolicyCheckAction({ config }),
          createModuleRegisterAction({ discovery, auth }),
          createPublishLocalAction({ config, catalog, auth }),
        );
      },
    });
  },
});
