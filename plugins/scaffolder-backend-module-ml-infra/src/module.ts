import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

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
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions();
      },
    });
  },
});
