import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the ML Infra plugins. */
  mlInfra?: {
    /** Limits of the ingestion API (`/api/ml-infra/ingest/*`). */
    ingestion?: {
      /** Largest accepted upload body, in bytes; larger ones get 413. Default 2147483648 (2 GiB). */
      maxBodyBytes?: number;
      /** Longest accepted line of a line-oriented format (go test -json), in bytes. Default 8 MiB. */
      maxLineBytes?: number;
      /**
       * Most test cases accepted in one report. Default 500000. Cases are spooled to a temp
       * file (the OS temp dir) between parsing and the database write, not held in memory.
       */
      maxTestCases?: number;
      /** Output kept per failed test, head and tail together, in bytes. Default 16384. */
      outputCapBytes?: number;
      /** Deepest XML element nesting accepted in JUnit reports. Default 64. */
      maxXmlDepth?: number;
      /** Most attributes accepted on one XML element. Default 256. */
      maxXmlAttributes?: number;
      /** Most policy results or plan resources accepted in one report. Default 200000. */
      maxResults?: number;
      /**
       * Largest JSON document parsed whole (conftest, `opa eval`, SARIF), in bytes; plans and
       * line-oriented formats are streamed instead. Default 67108864 (64 MiB).
       */
      maxDocumentBytes?: number;
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
      /**
       * Whether missing evidence fails the gate: no policy results reported for the version, or
       * a previous environment that never had a drift check. Default true; false answers "ok"
       * for what was never checked, and is meant only for adopting the portal on old modules.
       */
      requireEvidence?: boolean;
    };

    /** Who CI is, per module (see docs/governance.md, "CI identities"). */
    ci?: {
      /**
       * The modules each static token of `backend.auth.externalAccess` may report for and read,
       * keyed by the `subject` of its entry. A static token not listed here reports for nothing.
       * (GitHub Actions OIDC tokens need no entry: the repository in the token's subject names
       * the one module whose `github.com/project-slug` annotation is that repository.)
       */
      staticTokens?: Array<{
        /** The `options.subject` of the token's `backend.auth.externalAccess` entry. */
        subject: string;
        /**
         * Module entity refs (`component:default/name`, or just `name`): a list, or one string of
         * comma-separated refs (so it can come from an environment variable).
         */
        entityRefs?: string[] | string;
        /** Owners (`group:default/team`, or just `team`) whose modules are in scope; as entityRefs. */
        owners?: string[] | string;
      }>;
      /** GitHub Actions OIDC tokens. */
      github?: {
        /**
         * The contexts of a token's `sub` claim (after `repo:OWNER/REPO:`) that may report;
         * `*` matches any run of characters. Default: `ref:refs/heads/main`, `ref:refs/tags/*`,
         * `environment:*`. `pull_request` is refused at start: anyone who can push a branch can
         * run a pull-request workflow.
         */
        trustedContexts?: string[];
      };
    };

    /** Waivers of policy results. */
    waivers?: {
      /**
       * Longest a waiver may last, in days from its request. Default 90. The request form caps
       * its date picker with it.
       * @visibility frontend
       */
      maxDurationDays?: number;
      /**
       * How often the scheduled task `ml-infra-waiver-expiry` marks approved waivers past their
       * expiry as expired and audits it. It runs once per interval across all backend replicas.
       * A duration object (`{ minutes: 5 }`), an ISO 8601 duration (`PT5M`) or a string such as
       * `5m`. Default 5 minutes.
       */
      expiryCheckFrequency?: HumanDuration | string;
    };

    /** How the backend reads module entities from the catalog. */
    catalog?: {
      /**
       * How long each replica reuses the list of module entities it read from the catalog for
       * the module list, compliance and waiver pages. A lookup of one module that shows the
       * list is out of date (a new or deleted module) drops it sooner. A duration object
       * (`{ seconds: 30 }`), an ISO 8601 duration or a string such as `30s`. Default 30 seconds.
       */
      moduleCacheTtl?: HumanDuration | string;
    };
  };
}
