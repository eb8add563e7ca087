export interface Config {
  mlInfra?: {
    /**
     * Environments modules are promoted through, in promotion order. The module table falls back
     * to these columns when the backend does not name its environments.
     * @visibility frontend
     */
    environments?: string[];
  };
}
