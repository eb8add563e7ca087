import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The ML Infra collator (search-backend-module-ml-infra): module status in search. */
      mlInfra?: {
        /**
         * How often the module status is re-indexed. Results arrive from CI at any time, so the
         * default is every 2 minutes, starting 15 seconds after the backend starts.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Modules read per request from the ML Infra backend (1-500). Defaults to 100. */
        batchSize?: number;
      };
    };
  };
}
