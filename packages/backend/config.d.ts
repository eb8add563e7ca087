export interface Config {
  mlInfra?: {
    /** Who governs ML infra compliance (the portal's permission policy). */
    governance?: {
      /**
       * Groups whose members approve, reject and revoke policy waivers, as entity refs.
       * Default: group:default/ml-governance.
       */
      groups?: string[];
    };
  };
}
