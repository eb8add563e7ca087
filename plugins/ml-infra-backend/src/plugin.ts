import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { mlInfraPermissions } from '@ml-infra-portal/plugin-ml-infra-common';
import {
  mlInfraGateExtensionPoint,
  PromotionGateCheck,
} from '@ml-infra-portal/plugin-ml-infra-node';
import { DatabaseMlInfraStore } from './database/DatabaseMlInfraStore';
import * as parsers from './parsers';
import { CiIdentity } from './service/auth/CiIdentity';
import { readCiIdentityConfig } from './service/auth/ciIdentityConfig';
import { ModuleAccess } from './service/auth/ModuleAccess';
import { readMlInfraConfig } from './service/config';
import { DefaultComplianceService } from './service/DefaultComplianceService';
import { DefaultModuleListService } from './service/DefaultModuleListService';
import { DefaultModuleTabsService } from './service/DefaultModuleTabsService';
import { DefaultPolicyEvaluator } from './service/DefaultPolicyEvaluator';
import { IngestionService } from './service/IngestionService';
import { ModuleCatalog } from './service/ModuleCatalog';
import { PromotionGate } from './service/PromotionGate';
import { createRouter } from './service/router';
import { WaiverService } from './service/WaiverService';

/**
 * The ML Infra backend plugin: ingestion of CI results, their history, waivers and promotion gates.
 *
 * @public
 */
export const mlInfraPlugin = createBackendPlugin({
  pluginId: 'ml-infra',
  register(env) {
    const extraChecks: PromotionGateCheck[] = [];
    env.registerExtensionPoint(mlInfraGateExtensionPoint, {
      addCheck(check) {
        extraChecks.push(check);
      },
    });

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalogService: catalogServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        logger,
        config: rootConfig,
        database,
        scheduler,
        catalogService,
      }) {
        const config = readMlInfraConfig(rootConfig);
        const store = await DatabaseMlInfraStore.create({ database });
        const catalog = new ModuleCatalog(catalogService, auth, logger, {
          permissions,
          cacheTtlMs: config.catalog.moduleCacheTtlMs,
        });
        const access = new ModuleAccess({
          auth,
          permissions,
          catalog,
          ci: new CiIdentity(readCiIdentityConfig(rootConfig)),
        });
        // One policy evaluator: the list, the tabs, compliance, the gate and waivers agree.
        const policy = DefaultPolicyEvaluator.create({ store, config });
        const waivers = WaiverService.create({ store, config, logger, policy });

        permissionsRegistry.addPermissions(mlInfraPermissions);

        await scheduler.scheduleTask({
          id: 'ml-infra-waiver-expiry',
          frequency: config.waivers.expiryCheckFrequency,
          timeout: { minutes: 2 },
          fn: async () => {
            await waivers.expireDueWaivers();
          },
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalog,
            access,
            config,
            ingestion: new IngestionService({
              store,
              catalog,
              access,
              config,
              parsers,
              logger,
            }),
            moduleList: DefaultModuleListService.create({
              store,
              access,
              config,
              policy,
            }),
            moduleTabs: DefaultModuleTabsService.create({
              store,
              config,
              policy,
            }),
            compliance: DefaultComplianceService.create({
              store,
              access,
              config,
              policy,
            }),
            gate: new PromotionGate({ store, policy, config, extraChecks }),
            waivers,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
