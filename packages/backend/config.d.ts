export interface Config {
  mlInfra?: {
    /** Who governs ML infra compliance (the portal's permission policy). */
    governance?: {
      /**
       * Groups whose members approve, reject and revoke policy waivers, as entity refs.
       * Default: group:default/ml-governance.
       */
      groups?: string[];
      /**
       * Who may read a module's results (`ml-infra.results.read`): `everyone` signed in
       * (default), or `owners` — the module's owners and governance; every list (modules,
       * compliance, waivers, the CSV export) then hides the other modules.
       */
      resultsReadableBy?: 'everyone' | 'owners';
    };
  };
}
