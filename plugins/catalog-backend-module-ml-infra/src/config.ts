import { Config } from '@backstage/config';

/** What the ML Infra catalog module reads from `catalog.providers.mlInfra`. */
export interface MlInfraCatalogConfig {
  /** Whether status is written onto module entities. */
  enabled: boolean;
}

/** Reads `catalog.providers.mlInfra`; every key is optional. */
export function readMlInfraCatalogConfig(config: Config): MlInfraCatalogConfig {
  const section = config.getOptionalConfig('catalog.providers.mlInfra');
  return {
    enabled: section?.getOptionalBoolean('enabled') ?? true,
  };
}
