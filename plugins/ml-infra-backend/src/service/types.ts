import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import type {
  MlInfraApiComponents,
  ModuleListQuery,
  Severity,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { MlInfraStore, PolicyFindings } from '../database/MlInfraStore';
import { ModuleAccess } from './auth/ModuleAccess';
import { MlInfraConfig } from './config';

/*
 * The read side of the API, one service per page a user opens. The router holds these
 * interfaces; `plugin.ts` creates the `Default*` implementations.
 */

/** What the read services answer: the OpenAPI document's schemas, so they cannot drift from it. */
type Schema = MlInfraApiComponents['schemas'];

/** What the services are made of; each takes the part it needs. */
export interface ServiceDependencies {
  store: MlInfraStore;
  config: MlInfraConfig;
  /** Which modules the caller may read: lists and compliance cover only those. */
  access: ModuleAccess;
  policy: PolicyEvaluator;
  /** The clock, for tests; the system clock by default. */
  now?: () => Date;
}

/** The ML Infra table: modules the caller may read, filtered, sorted and paged, with status. */
export interface ModuleListService {
  listModules(
    query: ModuleListQuery,
    credentials: BackstageCredentials,
  ): Promise<Schema['ModuleListResponse']>;
  /** One module's row of the table (the card on its Overview). */
  getModule(entity: Entity): Promise<Schema['ModuleSummary']>;
}

/** The tabs of one module's page. */
export interface ModuleTabsService {
  getVersions(entity: Entity): Promise<Array<Schema['ModuleVersion']>>;
  getEnvironments(entity: Entity): Promise<Schema['EnvironmentMatrix']>;
  getDrift(entity: Entity): Promise<Schema['ModuleDrift']>;
  /** Results of the latest policy run per environment of a version (default: the latest). */
  getPolicy(entity: Entity, version?: string): Promise<Schema['ModulePolicy']>;
  /** Recent test runs, of one version or of all. */
  getTests(entity: Entity, version?: string): Promise<Schema['ModuleTests']>;
}

/** The governance page: its tiles and tables, the CSV findings and the 30-day trend. */
export interface ComplianceService {
  getCompliance(
    credentials: BackstageCredentials,
  ): Promise<Schema['ComplianceOverview']>;
}

/** A failed policy result after waivers were applied. */
export interface EvaluatedFailure {
  rule: string;
  control?: string;
  severity: Severity;
  /** The environment of the run that reported it (none: reported for no environment). */
  environment?: string;
  resource?: string;
  count: number;
  /** The live waiver covering it; absent while it fails. */
  waiverId?: string;
}

export interface PolicyEvaluation {
  counts: Schema['PolicyCounts'];
  /** The runs have at least one result of any outcome. */
  anyResults: boolean;
  failures: EvaluatedFailure[];
  warnedBySeverity: Map<string, number>;
}

/** Policy runs whose results count together, all of one module. */
export interface PolicyRunGroup {
  entityRef: string;
  runs: Array<{ id: string; environment?: string; version?: string }>;
}

/**
 * The one place that decides which policy rules fail for a module, a version and an
 * environment, and which of those failures a live waiver covers. The module list, the module
 * tabs, compliance, the promotion gate and waiver requests all ask it.
 */
export interface PolicyEvaluator {
  /**
   * Evaluates groups of runs (a run may be in several groups). Passed checks are counted only
   * with `countPassed`; otherwise `counts.passed` stays 0 and `anyResults` tells a run with
   * only passed checks from one without results.
   */
  evaluate<K extends string>(
    groups: Map<K, PolicyRunGroup>,
    options: {
      waivers: Waiver[];
      /** Where the failures count for waivers: the environment a promotion goes to; else each run's. */
      targetEnvironment?: string;
      countPassed?: boolean;
      /**
       * The runs' findings, when the caller has them (the status projection keeps them); read
       * from the store otherwise. Each run's findings once; passed checks are not counted.
       */
      findings?: PolicyFindings;
    },
  ): Promise<Map<K, PolicyEvaluation>>;

  /**
   * A version of a module (default: its latest) as it counts for an environment: the latest
   * policy run of the version per environment, with the module's approved waivers applied.
   * This is the question the promotion gate asks, and a waiver request must answer.
   */
  evaluateVersion(
    entityRef: string,
    scope: { version?: string; environment?: string },
  ): Promise<{ version?: string; evaluation: PolicyEvaluation }>;

  /** The live waiver that covers one failed result of a run, if any. */
  waiverFor(
    waivers: Waiver[],
    entityRef: string,
    failure: { rule: string; control?: string; resource?: string },
    run: { environment?: string; version?: string },
  ): Waiver | undefined;
}
