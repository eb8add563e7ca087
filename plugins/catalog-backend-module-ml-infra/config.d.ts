export interface Config {
  catalog?: {
    providers?: {
      /** ML Infra status on catalog entities (catalog-backend-module-ml-infra). */
      mlInfra?: {
        /**
         * Whether the catalog writes ML Infra status (drift, policy, tests, latest version) as
         * labels and annotations onto `terraform-module` Components. Defaults to true.
         */
        enabled?: boolean;
      };
    };
  };
}
