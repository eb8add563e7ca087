import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { mlInfraGateExtensionPoint, PromotionGateCheck } from './extensions';

describe('mlInfraGateExtensionPoint', () => {
  it('lets a module add a promotion gate check to the ml-infra plugin', async () => {
    const checks: PromotionGateCheck[] = [];
    // A fake ml-infra plugin: only the extension point, as the real plugin registers it.
    const fakePlugin = createBackendPlugin({
      pluginId: 'ml-infra',
      register(env) {
        env.registerExtensionPoint(mlInfraGateExtensionPoint, {
          addCheck: check => checks.push(check),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const changeFreeze = createBackendModule({
      pluginId: 'ml-infra',
      moduleId: 'change-freeze',
      register(reg) {
        reg.registerInit({
          deps: { gate: mlInfraGateExtensionPoint },
          async init({ gate }) {
            gate.addCheck({
              id: 'change-freeze',
              async evaluate({ environment }) {
                return {
                  ok: environment !== 'prod',
                  message: `freeze checked for ${environment}`,
                };
              },
            });
          },
        });
      },
    });

    await startTestBackend({ features: [fakePlugin, changeFreeze] });

    expect(checks.map(c => c.id)).toEqual(['change-freeze']);
    await expect(
      checks[0].evaluate({
        entityRef: 'component:default/a',
        version: '1.0.0',
        environment: 'prod',
      }),
    ).resolves.toEqual({ ok: false, message: 'freeze checked for prod' });
  });
});
