import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleMlInfra } from './module';
import { MlInfraStatusProcessor } from './processor/MlInfraStatusProcessor';

describe('catalogModuleMlInfra', () => {
  const extensionPoint = () => ({
    addProcessor: jest.fn(),
    addEntityProvider: jest.fn(),
    addPlaceholderResolver: jest.fn(),
    setOnProcessingErrorHandler: jest.fn(),
  });

  it('adds the status processor', async () => {
    const catalog = extensionPoint();
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, catalog]],
      features: [catalogModuleMlInfra],
    });
    expect(catalog.addProcessor).toHaveBeenCalledTimes(1);
    expect(catalog.addProcessor).toHaveBeenCalledWith(
      expect.any(MlInfraStatusProcessor),
    );
  });

  it('adds nothing when disabled in config', async () => {
    const catalog = extensionPoint();
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, catalog]],
      features: [
        catalogModuleMlInfra,
        mockServices.rootConfig.factory({
          data: {
            mlInfra: { catalog: { statusProcessor: { enabled: false } } },
          },
        }),
      ],
    });
    expect(catalog.addProcessor).not.toHaveBeenCalled();
  });
});
