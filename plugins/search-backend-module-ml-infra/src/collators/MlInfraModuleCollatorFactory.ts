import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  ANNOTATION_ACCELERATOR,
  ML_INFRA_ENTITY_TABS,
  MlInfraApi,
  MlInfraClient,
  ModuleSummary,
  PolicyResult,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { Readable } from 'node:stream';
import { readMlInfraCollatorConfig } from './config';

/** The search document type of ML Infra module status. */
export const ML_INFRA_MODULE_DOCUMENT_TYPE = 'ml-infra-module';

/** Which part of a module's status a document describes; each links to its own tab. */
export type MlInfraModuleAspect =
  | 'overview'
  | 'versions'
  | 'drift'
  | 'policy'
  | 'tests';

/**
 * One aspect of one module's status. Every document has the same fields (the in-memory engine
 * takes its schema from the first document it sees).
 */
export interface MlInfraModuleDocument extends IndexableDocument {
  entityRef: string;
  aspect: MlInfraModuleAspect;
  owner: string;
  goldenPath: string;
  accelerator: string;
  /** Rule ids and controls the module fails on its latest version, space separated. */
  failingRules: string;
}

/** A golden-path or accelerator name as words ("gpu-training-cluster" → "gpu training cluster"). */
function words(name: string): string {
  return name.replace(/[-_]+/g, ' ');
}

/** Text as a sentence of the result's summary: it ends with a full stop unless it has one. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** A module's accelerator: its title as shown, and the words a search may use for it. */
interface Accelerator {
  title: string;
  searchable: string;
}

/**
 * Fragment of the overview document's location. The catalog collator indexes the entity page itself
 * at the bare entity path, and the in-memory engine keeps one document store for every type keyed
 * by location: a second document at the same location would replace the catalog's (or the other
 * way round), so results of one type would be returned with the other's document and their
 * highlight offsets would land past its text as empty, unrenderable highlight tags.
 */
export const ML_INFRA_OVERVIEW_FRAGMENT = 'ml-infra-status';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${[namespace, kind.toLocaleLowerCase('en-US'), name]
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * Indexes the ML Infra status of every module, read from the ML Infra backend with the search
 * plugin's own service credentials, so "drifted", a rule id such as "ML-ENC-001", a control or an
 * accelerator ("H100") find the modules, and each result opens the tab that shows it.
 */
export class MlInfraModuleCollatorFactory implements DocumentCollatorFactory {
  readonly type = ML_INFRA_MODULE_DOCUMENT_TYPE;
  readonly visibilityPermission = catalogEntityReadPermission;

  private readonly client: MlInfraApi;
  private readonly auth: AuthService;
  private readonly catalog: CatalogService;
  private readonly logger: LoggerService;
  private readonly batchSize: number;
  private readonly acceleratorTitles: Map<string, string>;

  static fromConfig(
    config: Config,
    options: {
      auth: AuthService;
      discovery: DiscoveryService;
      catalog: CatalogService;
      logger: LoggerService;
      /** Replaces the HTTP client of the ML Infra backend (tests). */
      client?: MlInfraApi;
    },
  ): MlInfraModuleCollatorFactory {
    const { auth, discovery } = options;
    const client =
      options.client ??
      new MlInfraClient({
        discoveryApi: discovery,
        fetchApi: {
          // Every request carries a fresh token of the search plugin for the ml-infra plugin.
          fetch: async (input, init) => {
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf: await auth.getOwnServiceCredentials(),
              targetPluginId: 'ml-infra',
            });
            const headers = new Headers(init?.headers);
            headers.set('Authorization', `Bearer ${token}`);
            return fetch(input, { ...init, headers });
          },
        },
      });
    const acceleratorTitles = new Map<string, string>();
    for (const family of config.getOptionalConfigArray(
      'mlInfra.guardrails.acceleratorFamilies',
    ) ?? []) {
      acceleratorTitles.set(
        family.getString('name'),
        family.getOptionalString('title') ?? family.getString('name'),
      );
    }
    return new MlInfraModuleCollatorFactory({
      ...options,
      client,
      batchSize: readMlInfraCollatorConfig(config).batchSize,
      acceleratorTitles,
    });
  }

  private constructor(options: {
    client: MlInfraApi;
    auth: AuthService;
    catalog: CatalogService;
    logger: LoggerService;
    batchSize: number;
    acceleratorTitles: Map<string, string>;
  }) {
    this.client = options.client;
    this.auth = options.auth;
    this.catalog = options.catalog;
    this.logger = options.logger;
    this.batchSize = options.batchSize;
    this.acceleratorTitles = options.acceleratorTitles;
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  private async *execute(): AsyncGenerator<MlInfraModuleDocument> {
    let offset = 0;
    for (;;) {
      const page = await this.client.listModules({
        sort: 'name',
        offset,
        limit: this.batchSize,
      });
      const accelerators = await this.acceleratorsOf(page.items);
      for (const module of page.items) {
        yield* this.documentsOf(module, accelerators.get(module.entityRef));
      }
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.totalCount) {
        return;
      }
    }
  }

  /**
   * Accelerator annotations of the page's modules: the title ("NVIDIA H100") and, for search, the
   * title with the annotation's own words ("NVIDIA H100 nvidia h100").
   */
  private async acceleratorsOf(
    modules: ModuleSummary[],
  ): Promise<Map<string, Accelerator>> {
    const result = new Map<string, Accelerator>();
    if (modules.length === 0) return result;
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: modules.map(m => m.entityRef),
        fields: ['metadata.annotations'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    items.forEach((entity, index) => {
      const name = entity?.metadata.annotations?.[ANNOTATION_ACCELERATOR];
      if (name) {
        const spelled = words(name);
        const title = this.acceleratorTitles.get(name);
        result.set(modules[index].entityRef, {
          title: title ?? spelled,
          searchable: title ? `${title} ${spelled}` : spelled,
        });
      }
    });
    return result;
  }

  private async failingResults(module: ModuleSummary): Promise<PolicyResult[]> {
    if (module.failingPolicies === 0) return [];
    try {
      const policy = await this.client.getPolicy(module.entityRef);
      return policy.results.filter(r => r.outcome === 'failed');
    } catch (error) {
      // One module's policy must not keep every other module out of the index.
      this.logger.warn(
        `Could not read the policy results of ${module.entityRef}; indexing it without them: ${error}`,
      );
      return [];
    }
  }

  private async *documentsOf(
    module: ModuleSummary,
    accelerator?: Accelerator,
  ): AsyncGenerator<MlInfraModuleDocument> {
    const base = entityPath(module.entityRef);
    const title = module.title ?? parseEntityRef(module.entityRef).name;
    const goldenPath = module.goldenPath ? words(module.goldenPath) : '';
    const failing = await this.failingResults(module);
    const failingRules = [
      ...new Set(
        failing.flatMap(r => (r.control ? [r.rule, r.control] : [r.rule])),
      ),
    ].join(' ');
    const common = {
      // Search shows a document only to users who may read the module's entity.
      authorization: { resourceRef: module.entityRef },
      entityRef: module.entityRef,
      owner: module.owner ?? '',
      goldenPath,
      accelerator: accelerator?.searchable ?? '',
      failingRules,
    };
    const running = module.environments
      .filter(e => e.version)
      .map(e => `${e.environment} ${e.version}`)
      .join(', ');
    const drifted = module.environments.filter(e => e.drift === 'drifted');

    yield {
      ...common,
      aspect: 'overview',
      title,
      // The entity's Overview, at a location of its own (see ML_INFRA_OVERVIEW_FRAGMENT).
      location: `${base}#${ML_INFRA_OVERVIEW_FRAGMENT}`,
      text: [
        module.description && sentence(module.description),
        goldenPath && `Golden path: ${goldenPath}.`,
        accelerator && `Accelerator: ${accelerator.title}.`,
        module.latestVersion && `Latest version ${module.latestVersion}.`,
        `Drift: ${module.drift}. Policy: ${module.policy}. Tests: ${module.tests}.`,
      ]
        .filter(Boolean)
        .join(' '),
    };
    yield {
      ...common,
      aspect: 'versions',
      title: `${title}: versions and environments`,
      location: `${base}/${ML_INFRA_ENTITY_TABS.versions}`,
      text: running
        ? `Running ${running}. Latest version ${
            module.latestVersion ?? 'none'
          }.`
        : 'Not deployed to any environment yet.',
    };
    if (drifted.length > 0) {
      yield {
        ...common,
        aspect: 'drift',
        title: `${title}: drifted`,
        location: `${base}/${ML_INFRA_ENTITY_TABS.drift}`,
        text: `Drifted in ${drifted
          .map(e =>
            e.driftedSince
              ? `${e.environment} since ${e.driftedSince.slice(0, 10)}`
              : e.environment,
          )
          .join(', ')}.`,
      };
    }
    if (failing.length > 0) {
      yield {
        ...common,
        aspect: 'policy',
        title: `${title}: failing policy ${[
          ...new Set(failing.map(r => r.rule)),
        ].join(', ')}`,
        location: `${base}/${ML_INFRA_ENTITY_TABS.policy}`,
        text: failing
          .map(r =>
            [
              `${r.rule}${r.control ? ` (control ${r.control})` : ''}, ${
                r.severity
              }`,
              r.environment && `in ${r.environment}`,
              r.message && `: ${r.message}`,
            ]
              .filter(Boolean)
              .join(' '),
          )
          .join('. '),
      };
    }
    if (module.tests === 'failed') {
      yield {
        ...common,
        aspect: 'tests',
        title: `${title}: failing tests`,
        location: `${base}/${ML_INFRA_ENTITY_TABS.tests}`,
        text: `Tests fail on version ${module.latestVersion ?? 'unknown'}.`,
      };
    }
  }
}
