import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { MlInfraPermissionPolicy } from './MlInfraPermissionPolicy';

/** Installs the portal's permission policy into the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'ml-infra-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          MlInfraPermissionPolicy.fromConfig(config, { userInfo }),
        );
      },
    });
  },
});
