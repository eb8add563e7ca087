import { ConfigReader } from '@backstage/config';
import { readMlInfraCatalogConfig } from './config';

const section = (statusProcessor: object) =>
  new ConfigReader({ mlInfra: { catalog: { statusProcessor } } });

describe('readMlInfraCatalogConfig', () => {
  it('is enabled by default, refreshing every minute with a 30 s timeout', () => {
    const defaults = {
      enabled: true,
      refreshIntervalMs: 60_000,
      timeoutMs: 30_000,
    };
    expect(readMlInfraCatalogConfig(new ConfigReader({}))).toEqual(defaults);
    expect(readMlInfraCatalogConfig(section({}))).toEqual(defaults);
  });

  it('reads enabled, refreshInterval and timeout', () => {
    expect(
      readMlInfraCatalogConfig(
        section({
          enabled: false,
          refreshInterval: { minutes: 5 },
          timeout: '10s',
        }),
      ),
    ).toEqual({
      enabled: false,
      refreshIntervalMs: 300_000,
      timeoutMs: 10_000,
    });
  });

  it('rejects a non-boolean enabled', () => {
    expect(() =>
      readMlInfraCatalogConfig(section({ enabled: 'yes please' })),
    ).toThrow(/enabled/);
  });

  it('names the new place of the old catalog.providers.mlInfra keys', () => {
    expect(() =>
      readMlInfraCatalogConfig(
        new ConfigReader({
          catalog: { providers: { mlInfra: { enabled: false } } },
        }),
      ),
    ).toThrow(
      'catalog.providers.mlInfra is no longer read; move its keys to mlInfra.catalog.statusProcessor',
    );
  });
});
