export interface Config {
  mlInfra?: {
    scaffolder?: {
      /**
       * Folder under which `ml-infra:publish:local` creates module repositories (one folder per
       * module). Relative paths resolve against the repository root. Defaults to `.data/repos`.
       */
      localPublishDir?: string;
    };
  };
}
