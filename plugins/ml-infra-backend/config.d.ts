export interface Config {
  /** Configuration of the ML Infra plugins. */
  mlInfra?: {
    /**
     * Environments modules are promoted through, in promotion order.
     * @visibility frontend
     */
    environments?: string[];
  };
}
