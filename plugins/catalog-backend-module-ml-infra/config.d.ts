import type { HumanDuration } from '@backstage/types';

export interface Config {
  mlInfra?: {
    catalog?: {
      /** ML Infra status on catalog entities (catalog-backend-module-ml-infra). */
      statusProcessor?: {
        /**
         * Whether the catalog writes ML Infra status (drift, policy, tests, latest version) as
         * labels and annotations onto `terraform-module` Components. Defaults to true.
         */
        enabled?: boolean;
        /**
         * How long one read of every module's status from the ML Infra backend is reused by the
         * catalog's processing loop (one paged list call per interval, not one call per entity).
         * Defaults to 1 minute.
         */
        refreshInterval?: HumanDuration | string;
        /** How long one call to the ML Infra backend may take. Defaults to 30 seconds. */
        timeout?: HumanDuration | string;
      };
    };
  };
}
