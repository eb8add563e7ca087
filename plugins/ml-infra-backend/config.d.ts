import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the ML Infra plugins. */
  mlInfra?: {
    /** Limits of the ingestion API (`/api/ml-infra/ingest/*`). */
    ingestion?: {
      /** Largest accepted upload body, in bytes; larger ones get 413. Default 104857600 (100 MiB). */
      maxBodyBytes?: number;
      /** Longest accepted line of a line-oriented format (go test -json), in bytes. Default 8 MiB. */
      maxLineBytes?: number;
      /** Most test cases accepted in one report. Default 100000. */
      maxTestCases?: number;
      /** Output kept per failed test, head and tail together, in bytes. Default 16384. */
      outputCapBytes?: number;
      /** Deepest XML element nesting accepted in JUnit reports. Default 64. */
      maxXmlDepth?: number;
      /** Most attributes accepted on one XML element. Default 256. */
      maxXmlAttributes?: number;
      /** Most policy results or plan resources accepted in one report. Default 200000. */
      maxResults?: number;
    };

    /** Rules of the promotion gate (`/api/ml-infra/gates/promotion`). */
    gate?: {
      /**
       * Severities whose failing policy results block promotion unless waived.
       * Default: critical, high.
       */
      mandatorySeverities?: Array<
        'critical' | 'high' | 'medium' | 'low' | 'info'
      >;
      /**
       * Hours a version must have run in the previous environment before it may be promoted.
       * 0 disables the soak check. Default 24.
       */
      minSoakHours?: number;
    };

    /** Waivers of policy results. */
    waivers?: {
      /** Longest a waiver may last, in days from its request. Default 90. */
      maxDurationDays?: number;
      /**
       * How often the scheduled task `ml-infra-waiver-expiry` marks approved waivers past their
       * expiry as expired and audits it. It runs once per interval across all backend replicas.
       * A duration object (`{ minutes: 5 }`), an ISO 8601 duration (`PT5M`) or a string such as
       * `5m`. Default 5 minutes.
       */
      expiryCheckFrequency?: HumanDuration | string;
    };
  };
}
