import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { MlInfraModuleCollatorFactory } from './collators/MlInfraModuleCollatorFactory';
import { searchModuleMlInfraCollator } from './module';

describe('searchModuleMlInfraCollator', () => {
  it('registers the ML Infra collator on its configured schedule', async () => {
    const addCollator = jest.fn();
    const createScheduledTaskRunner = jest
      .fn()
      .mockReturnValue({ run: jest.fn() });
    await startTestBackend({
      extensionPoints: [
        [
          searchIndexRegistryExtensionPoint,
          { addCollator, addDecorator: jest.fn() },
        ],
      ],
      features: [
        searchModuleMlInfraCollator,
        catalogServiceMock.factory(),
        mockServices.scheduler.mock({ createScheduledTaskRunner }).factory,
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                mlInfra: {
                  schedule: {
                    frequency: { seconds: 20 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    expect(createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { seconds: 20 },
      timeout: { minutes: 1 },
    });
    expect(addCollator).toHaveBeenCalledWith({
      schedule: expect.anything(),
      factory: expect.any(MlInfraModuleCollatorFactory),
    });
    expect(addCollator.mock.calls[0][0].factory.type).toBe('ml-infra-module');
  });

  it('refuses a batch size the module list API does not serve, naming the key', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [
            searchIndexRegistryExtensionPoint,
            { addCollator: jest.fn(), addDecorator: jest.fn() },
          ],
        ],
        features: [
          searchModuleMlInfraCollator,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: { search: { collators: { mlInfra: { batchSize: 1000 } } } },
          }),
        ],
      }),
    ).rejects.toThrow(/search\.collators\.mlInfra\.batchSize 1000/);
  });
});
