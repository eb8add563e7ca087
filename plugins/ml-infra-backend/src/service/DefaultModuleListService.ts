import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DriftStatus,
  isReported,
  ModuleListQuery,
  ModuleListResponse,
  ModuleSummary,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  combineDrift,
  compareVersionsDesc,
  driftStatusOf,
  environmentSummaries,
  maxIso,
  policyStatusOf,
  testStatusOf,
} from './model';
import { entityRefOf } from './ModuleCatalog';
import { EntityFields, entityFields, environmentsOf } from './moduleEntity';
import { driftKey, readStatusSnapshot } from './statusSnapshot';
import { ModuleListService, ServiceDependencies } from './types';

const MAX_LIST_LIMIT = 500;

/** `localeCompare`'s order, with one collator instead of one per comparison. */
const collator = new Intl.Collator();

type Row = Partial<ModuleSummary> & EntityFields;

type Options = Pick<
  ServiceDependencies,
  'store' | 'access' | 'config' | 'policy'
>;

export class DefaultModuleListService implements ModuleListService {
  static create(options: Options): ModuleListService {
    return new DefaultModuleListService(options);
  }

  private constructor(private readonly options: Options) {}

  async listModules(
    query: ModuleListQuery,
    credentials: BackstageCredentials,
  ): Promise<ModuleListResponse> {
    const entities = await this.options.access.listReadable(credentials);
    const search = query.search?.toLocaleLowerCase('en-US');
    // Filters on catalog fields first: they need no stored status.
    const candidates = entities
      .map(entity => ({ entity, fields: entityFields(entity) }))
      .filter(({ fields: s }) => {
        if (query.owner && !ownerMatches(s.owner, query.owner)) return false;
        if (query.goldenPath && s.goldenPath !== query.goldenPath) return false;
        if (search) {
          const text = [s.entityRef, s.title, s.description]
            .filter(Boolean)
            .join(' ')
            .toLocaleLowerCase('en-US');
          if (!text.includes(search)) return false;
        }
        return true;
      });
    const sort = query.sort ?? 'name';
    const compare = comparator(sort, query.order === 'desc' ? -1 : 1);
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.min(MAX_LIST_LIMIT, Math.max(1, query.limit ?? 50));
    const environments = this.options.config.environments;

    if (
      !query.status &&
      !query.environment &&
      (sort === 'name' || sort === 'owner')
    ) {
      // Order and count come from the catalog: only the page needs stored status.
      const page = candidates
        .sort((a, b) => compare(a.fields, b.fields))
        .slice(offset, offset + limit);
      return {
        items: await this.summarize(page.map(c => c.entity)),
        totalCount: candidates.length,
        environments,
      };
    }

    const summaries = await this.summarize(candidates.map(c => c.entity));
    const items = summaries.filter(s => matchesStatus(s, query)).sort(compare);
    return {
      items: items.slice(offset, offset + limit),
      totalCount: items.length,
      environments,
    };
  }

  async getModule(entity: Entity): Promise<ModuleSummary> {
    const [summary] = await this.summarize([entity]);
    return summary;
  }

  /** Summaries of the given catalog entities joined with their stored status. */
  private async summarize(entities: Entity[]): Promise<ModuleSummary[]> {
    if (entities.length === 0) {
      return [];
    }
    const refs = entities.map(entityRefOf);
    const snapshot = await readStatusSnapshot(this.options.store, refs);
    const evaluations = await this.options.policy.evaluate(
      new Map(
        refs.map(ref => [
          ref,
          { entityRef: ref, runs: snapshot.policyRuns.get(ref) ?? [] },
        ]),
      ),
      { waivers: snapshot.waivers, findings: snapshot.findings },
    );
    return entities.map(entity => {
      const fields = entityFields(entity);
      const ref = fields.entityRef;
      const deployments = snapshot.deployments.get(ref) ?? [];
      const checks = snapshot.latestChecks.get(ref) ?? [];
      const drift = new Map<
        string,
        { status: DriftStatus; driftedSince?: string }
      >(
        checks.map(c => [
          c.environment,
          {
            status: driftStatusOf(c),
            driftedSince:
              c.driftedResources > 0
                ? snapshot.driftedSince.get(driftKey(ref, c.environment)) ??
                  c.checkedAt
                : undefined,
          },
        ]),
      );
      const evaluation = evaluations.get(ref)!;
      return {
        ...fields,
        latestVersion: snapshot.latest.get(ref),
        latestReleasedAt: snapshot.latestReleasedAt.get(ref),
        environments: environmentSummaries(
          environmentsOf(
            this.options.config.environments,
            entity,
            snapshot.registered.get(ref),
          ),
          deployments,
          drift,
        ),
        drift: combineDrift(checks.map(driftStatusOf)),
        policy: policyStatusOf(evaluation.counts, evaluation.anyResults),
        tests: testStatusOf(snapshot.testRun.get(ref)),
        failingPolicies: evaluation.failures
          .filter(f => !f.waiverId)
          .reduce((sum, f) => sum + f.count, 0),
        updatedAt: maxIso([
          snapshot.lastReported.get(ref),
          maxIso(checks.map(c => c.checkedAt)),
          deployments.at(-1)?.deployedAt,
          snapshot.lastReleasedAt.get(ref),
        ]),
      };
    });
  }
}

/** Sort order of the table; ties are broken by entity ref. */
function comparator(
  sort: NonNullable<ModuleListQuery['sort']>,
  direction: number,
): (a: Row, b: Row) => number {
  const key = (s: Row): string =>
    (sort === 'name' ? s.entityRef : s[sort]) ?? '';
  return (a, b) => {
    if (sort === 'latestVersion' && a.latestVersion && b.latestVersion) {
      return -compareVersionsDesc(a.latestVersion, b.latestVersion) * direction;
    }
    return (
      (collator.compare(key(a), key(b)) ||
        collator.compare(a.entityRef, b.entityRef)) * direction
    );
  };
}

/** The environment and status filters; status applies to the selected environment's drift. */
function matchesStatus(s: ModuleSummary, query: ModuleListQuery): boolean {
  if (
    query.environment &&
    !s.environments.some(e => e.environment === query.environment && e.version)
  ) {
    return false;
  }
  const envDrift = query.environment
    ? s.environments.find(e => e.environment === query.environment)?.drift ??
      'unknown'
    : s.drift;
  const reported = isReported(s);
  switch (query.status) {
    case 'not-reported':
      return !reported;
    case 'drifted':
      return envDrift === 'drifted';
    case 'policy-failed':
      return s.policy === 'failed';
    case 'tests-failed':
      return s.tests === 'failed';
    case 'healthy':
      return (
        reported &&
        envDrift !== 'drifted' &&
        s.policy !== 'failed' &&
        s.tests !== 'failed'
      );
    default:
      return true;
  }
}

/** `team-a`, `group:team-a` and `group:default/team-a` name the same owner. */
function ownerMatches(owner: string | undefined, wanted: string): boolean {
  if (!owner) return false;
  const simplify = (value: string) =>
    value
      .toLocaleLowerCase('en-US')
      .replace(/^group:/, '')
      .replace(/^default\//, '');
  return simplify(owner) === simplify(wanted);
}
