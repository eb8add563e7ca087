export interface Config {
  /**
   * Configuration shared by the ML Infra frontend and backend plugins. Backend-only keys
   * (ingestion limits, gate rules, waivers, local publishing) are documented by the packages
   * that read them.
   */
  mlInfra?: {
    /**
     * Environments modules are promoted through, in promotion order. Default: dev, staging, prod.
     * @visibility frontend
     */
    environments?: string[];

    /**
     * Guardrails of the "Create ML module" golden paths. The form offers only these choices
     * and the `ml-infra:guardrails:check` / `ml-infra:policy:check` actions enforce them again
     * server-side. Rendered into every generated module's conftest policies.
     */
    guardrails?: {
      /**
       * Cloud providers a module may target.
       * @visibility frontend
       */
      clouds?: string[];
      /**
       * Regions a module may be deployed to, e.g. `us-east-1`.
       * @visibility frontend
       */
      regions?: string[];
      /**
       * Accelerator families a module may use, each with the instance families that carry it.
       * @visibility frontend
       */
      acceleratorFamilies?: Array<{
        /**
         * Identifier, e.g. `nvidia-a100`.
         * @visibility frontend
         */
        name: string;
        /**
         * Human readable label shown in the form.
         * @visibility frontend
         */
        title?: string;
        /**
         * Instance families that carry this accelerator, e.g. `p4d`.
         * @visibility frontend
         */
        instanceFamilies: string[];
        /**
         * Instance type the generated module defaults to, e.g. `p4d.24xlarge`.
         * @visibility frontend
         */
        defaultInstanceType?: string;
      }>;
      /**
       * Tags every taggable resource must carry. A plain string is a known tag whose value comes
       * from the form (`owner`, `cost-center`, `data-classification`, `environment`, `module`,
       * `golden-path`, `managed-by`); an object sets a fixed value.
       * @visibility frontend
       */
      mandatoryTags?: Array<
        | string
        | {
            /** @visibility frontend */
            key: string;
            /** @visibility frontend */
            value: string;
          }
      >;
      /**
       * Data classifications a module may declare.
       * @visibility frontend
       */
      dataClassifications?: string[];
    };
  };
}
