import { ConfigReader } from '@backstage/config';
import { readMlInfraCatalogConfig } from './config';

describe('readMlInfraCatalogConfig', () => {
  it('is enabled by default', () => {
    expect(readMlInfraCatalogConfig(new ConfigReader({}))).toEqual({ enabled: true });
    expect(
      readMlInfraCatalogConfig(new ConfigReader({ catalog: { providers: { mlInfra: {} } } })),
    ).toEqual({ enabled: true });
  });

  it('reads enabled', () => {
    expect(
      readMlInfraCatalogConfig(
        new ConfigReader({ catalog: { providers: { mlInfra: { enabled: false } } } }),
      ),
    ).toEqual({ enabled: false });
  });

  it('rejects a non-boolean enabled', () => {
    expect(() =>
      readMlInfraCatalogConfig(
        new ConfigReader({ catalog: { providers: { mlInfra: { enabled: 'yes please' } } } }),
      ),
    ).toThrow(/enabled/);
  });
});
