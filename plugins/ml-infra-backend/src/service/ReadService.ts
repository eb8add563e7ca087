import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_GOLDEN_PATH,
  ComplianceOverview,
  DriftStatus,
  EnvironmentMatrix,
  isReported,
  ModuleDrift,
  ModuleListQuery,
  ModuleListResponse,
  ModulePolicy,
  ModuleSummary,
  ModuleTests,
  ModuleVersion,
  PolicyCounts,
  PolicyResult,
  SEVERITIES,
  Severity,
  TestCaseResult,
  TestRun,
  TestTotals,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  MlInfraStore,
  PolicyFindings,
  RunHead,
  StoredDeployment,
  StoredDriftCheck,
  StoredPolicyResult,
  StoredRelease,
  StoredRun,
  StoredTestCase,
} from '../database/MlInfraStore';
import { MlInfraConfig } from './config';
import {
  byEntity,
  combineDrift,
  compareVersionsDesc,
  driftLifecycle,
  driftStatusOf,
  emptyCounts,
  environmentSummaries,
  findWaiver,
  latestPolicyRuns,
  latestRun,
  latestVersion,
  maxIso,
  policyStatusOf,
  testStatusOf,
  withEffectiveStatus,
} from './model';
import { ModuleAccess } from './auth/ModuleAccess';
import { entityRefOf, ModuleCatalog } from './ModuleCatalog';
import { normalizeVersion } from './validation';

const MAX_LIST_LIMIT = 500;
const MAX_TEST_RUNS = 50;
const TREND_DAYS = 30;
const EXPIRING_WITHIN_DAYS = 14;

/** A failed policy result after waivers were applied. */
interface EvaluatedFailure {
  rule: string;
  control?: string;
  severity: Severity;
  environment?: string;
  resource?: string;
  count: number;
  waiverId?: string;
}

interface PolicyEvaluation {
  counts: PolicyCounts;
  anyResults: boolean;
  failures: EvaluatedFailure[];
  warnedBySeverity: Map<string, number>;
}

/** Everything stored about a set of modules, loaded in a few bulk queries. */
interface Snapshot {
  releases: Map<string, StoredRelease[]>;
  deployments: Map<string, StoredDeployment[]>;
  testRuns: Map<string, StoredRun[]>;
  policyRuns: Map<string, StoredRun[]>;
  latestChecks: Map<string, StoredDriftCheck[]>;
  driftedSince: Map<string, string>;
  waivers: Waiver[];
  registered: Map<string, string[] | undefined>;
}

/**
 * What the module list and the compliance overview need of each module, read with aggregates
 * and latest-row queries instead of whole histories.
 */
interface StatusSnapshot {
  latest: Map<string, string | undefined>;
  /** Release time of the latest version, when released. */
  latestReleasedAt: Map<string, string>;
  /** Most recent release. */
  lastReleasedAt: Map<string, string>;
  /** The latest test run of the latest version. */
  testRun: Map<string, RunHead>;
  /** The latest policy run per environment of the latest version. */
  policyRuns: Map<string, RunHead[]>;
  /** Most recent test or policy upload. */
  lastReported: Map<string, string>;
  /** Current deployment per environment. */
  deployments: Map<string, StoredDeployment[]>;
  latestChecks: Map<string, StoredDriftCheck[]>;
  driftedSince: Map<string, string>;
  waivers: Waiver[];
  registered: Map<string, string[] | undefined>;
}

/** The fields of a module summary that come from its catalog entity. */
type EntityFields = Pick<
  ModuleSummary,
  'entityRef' | 'title' | 'description' | 'owner' | 'system' | 'goldenPath'
>;

/** Answers the read API: module list, a module's evidence, compliance across modules. */
export class ReadService {
  constructor(
    private readonly options: {
      store: MlInfraStore;
      catalog: ModuleCatalog;
      /** Which modules the caller may read: lists show only those. */
      access: ModuleAccess;
      config: MlInfraConfig;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private get store() {
    return this.options.store;
  }

  /** The last configured environment: waivers must name it to cover it. */
  get productionEnvironment(): string {
    const { environments } = this.options.config;
    return environments[environments.length - 1];
  }

  /** Environments of a module: its registration or annotation, within the configured ones. */
  environmentsOf(entity: Entity | undefined, registered?: string[]): string[] {
    const configured = this.options.config.environments;
    const annotation = entity?.metadata.annotations?.[ANNOTATION_ENVIRONMENTS];
    const wanted =
      registered ??
      (annotation
        ? annotation
            .split(',')
            .map(e => e.trim())
            .filter(Boolean)
        : undefined);
    if (!wanted) {
      return configured;
    }
    const within = configured.filter(e => wanted.includes(e));
    return within.length > 0 ? within : configured;
  }

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
    const direction = query.order === 'desc' ? -1 : 1;
    const key = (s: Partial<ModuleSummary> & EntityFields): string =>
      (sort === 'name' ? s.entityRef : s[sort]) ?? '';
    const compare = (
      a: Partial<ModuleSummary> & EntityFields,
      b: Partial<ModuleSummary> & EntityFields,
    ) => {
      if (sort === 'latestVersion' && a.latestVersion && b.latestVersion) {
        return (
          -compareVersionsDesc(a.latestVersion, b.latestVersion) * direction
        );
      }
      return (
        (key(a).localeCompare(key(b)) ||
          a.entityRef.localeCompare(b.entityRef)) * direction
      );
    };
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
    const items = summaries
      .filter(s => {
        if (
          query.environment &&
          !s.environments.some(
            e => e.environment === query.environment && e.version,
          )
        ) {
          return false;
        }
        const envDrift = query.environment
          ? s.environments.find(e => e.environment === query.environment)
              ?.drift ?? 'unknown'
          : s.drift;
        const reported = isReported(s);
        if (query.status === 'not-reported') return !reported;
        if (query.status === 'drifted' && envDrift !== 'drifted') return false;
        if (query.status === 'policy-failed' && s.policy !== 'failed')
          return false;
        if (query.status === 'tests-failed' && s.tests !== 'failed')
          return false;
        if (
          query.status === 'healthy' &&
          (!reported ||
            envDrift === 'drifted' ||
            s.policy === 'failed' ||
            s.tests === 'failed')
        ) {
          return false;
        }
        return true;
      })
      .sort(compare);
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

  async getVersions(entity: Entity): Promise<ModuleVersion[]> {
    const entityRef = entityRefOf(entity);
    const snapshot = await this.load([entityRef]);
    const releases = snapshot.releases.get(entityRef) ?? [];
    const testRuns = snapshot.testRuns.get(entityRef) ?? [];
    const policyRuns = snapshot.policyRuns.get(entityRef) ?? [];
    const current = new Map<string, string[]>();
    for (const [environment, deployment] of currentOf(
      snapshot.deployments.get(entityRef) ?? [],
    )) {
      current.set(deployment.version, [
        ...(current.get(deployment.version) ?? []),
        environment,
      ]);
    }
    const evaluations = await this.evaluatePolicy(
      new Map(
        releases.map(r => [
          `${entityRef}@${r.version}`,
          latestPolicyRuns(policyRuns, r.version),
        ]),
      ),
      snapshot.waivers,
      () => entityRef,
    );
    return [...releases]
      .sort((a, b) => compareVersionsDesc(a.version, b.version))
      .map(release => {
        const run = latestRun(testRuns, release.version);
        const evaluation = evaluations.get(`${entityRef}@${release.version}`)!;
        return {
          version: release.version,
          gitSha: release.gitSha,
          changelog: release.changelog,
          releasedAt: release.releasedAt,
          tests: testStatusOf(run),
          testTotals: run ? totalsOf(run) : undefined,
          policy: policyStatusOf(evaluation.counts, evaluation.anyResults),
          policyCounts: evaluation.counts,
          environments: current.get(release.version) ?? [],
        };
      });
  }

  async getEnvironments(entity: Entity): Promise<EnvironmentMatrix> {
    const entityRef = entityRefOf(entity);
    const [registration, deployments, checks] = await Promise.all([
      this.store.getModule(entityRef),
      this.store.listDeployments([entityRef]),
      this.store.listDriftChecks({ entityRefs: [entityRef] }),
    ]);
    const environments = this.environmentsOf(
      entity,
      registration?.environments,
    );
    const lifecycle = driftLifecycle(checks, environments);
    return {
      environments,
      current: environmentSummaries(
        environments,
        deployments,
        new Map(lifecycle.environments.map(e => [e.environment, e])),
      ),
      history: [...deployments].reverse().map(d => ({
        environment: d.environment,
        version: d.version,
        action: d.action,
        deployedAt: d.deployedAt,
        reportedDeployedAt: d.reportedDeployedAt,
        deployedBy: d.deployedBy,
        reportedBy: d.reportedBy,
        runUrl: d.runUrl,
        run: d.run,
      })),
    };
  }

  async getDrift(entity: Entity): Promise<ModuleDrift> {
    const entityRef = entityRefOf(entity);
    const [registration, checks] = await Promise.all([
      this.store.getModule(entityRef),
      this.store.listDriftChecks({
        entityRefs: [entityRef],
        withResources: true,
      }),
    ]);
    const lifecycle = driftLifecycle(
      checks,
      this.environmentsOf(entity, registration?.environments),
    );
    return {
      ...lifecycle,
      checks: checks.map(c => ({
        environment: c.environment,
        checkedAt: c.checkedAt,
        driftedResources: c.driftedResources,
      })),
    };
  }

  async getPolicy(
    entity: Entity,
    versionParam?: string,
  ): Promise<ModulePolicy> {
    const entityRef = entityRefOf(entity);
    const now = this.now();
    const [releases, runs, waivers] = await Promise.all([
      this.store.listReleases([entityRef]),
      this.store.listRuns({ entityRefs: [entityRef], kind: 'policy' }),
      this.store.listWaivers({ entityRefs: [entityRef] }),
    ]);
    const version = versionParam
      ? normalizeVersion(versionParam)
      : latestVersion(releases, runs);
    const selected = latestPolicyRuns(runs, version);
    const byRun = new Map(selected.map(r => [r.id, r]));
    const stored = await this.store.listPolicyResults(selected.map(r => r.id));
    const counts = emptyCounts();
    const results: PolicyResult[] = stored.map(result => {
      const run = byRun.get(result.runId)!;
      const waiver =
        result.outcome === 'failed'
          ? findWaiver(
              waivers,
              entityRef,
              { ...result, environment: run.environment, version: run.version },
              now,
              this.productionEnvironment,
            )
          : undefined;
      const outcome = waiver ? 'waived' : result.outcome;
      counts[outcome] += result.count;
      return {
        rule: result.rule,
        control: result.control,
        severity: result.severity,
        outcome,
        rawOutcome: result.outcome,
        message: result.message,
        resource: result.resource,
        filename: result.filename,
        environment: run.environment,
        version: run.version,
        waiverId: waiver?.id,
        run: run.run,
        reportedAt: run.reportedAt,
      };
    });
    return {
      version,
      counts,
      results,
      waivers: waivers.map(w => withEffectiveStatus(w, now)),
    };
  }

  async getTests(entity: Entity, versionParam?: string): Promise<ModuleTests> {
    const entityRef = entityRefOf(entity);
    const version = versionParam ? normalizeVersion(versionParam) : undefined;
    const runs = (
      await this.store.listRuns({
        entityRefs: [entityRef],
        kind: 'tests',
        version,
      })
    ).slice(-MAX_TEST_RUNS);
    // Flaky across runs needs every case of versions tested more than once.
    const versionRuns = byKey(runs, r => r.version ?? '');
    const fullRunIds = [...versionRuns.values()]
      .filter(g => g.length > 1)
      .flat()
      .map(r => r.id);
    const partialRunIds = runs
      .map(r => r.id)
      .filter(id => !fullRunIds.includes(id));
    const cases = [
      ...(await this.store.listTestCases(fullRunIds)),
      ...(await this.store.listTestCases(partialRunIds, {
        failedOrFlakyOnly: true,
      })),
    ];
    const casesByRun = byKey(cases, c => c.runId);
    const failedBefore = new Map<string, Set<string>>();
    const out: TestRun[] = [];
    for (const run of runs) {
      const seen = failedBefore.get(run.version ?? '') ?? new Set<string>();
      failedBefore.set(run.version ?? '', seen);
      const runCases = casesByRun.get(run.id) ?? [];
      const toResult = (c: StoredTestCase, flaky: boolean): TestCaseResult => ({
        name: c.name,
        suite: c.suite,
        status: c.status,
        durationMs: c.durationMs,
        output: c.output,
        outputTruncated: c.outputTruncated || undefined,
        flaky,
      });
      const flakyCases = runCases.filter(
        c =>
          c.flaky ||
          (c.status === 'passed' && seen.has(`${c.suite}\u0000${c.name}`)),
      );
      for (const c of runCases) {
        if (c.status === 'failed') {
          seen.add(`${c.suite}\u0000${c.name}`);
        }
      }
      out.push({
        id: run.id,
        version: run.version,
        format: (run.format ?? 'go-test-json') as TestRun['format'],
        run: run.run,
        reportedAt: run.reportedAt,
        status: testStatusOf(run),
        totals: totalsOf(run),
        durationMs:
          typeof run.summary.durationMs === 'number'
            ? run.summary.durationMs
            : undefined,
        failures: runCases
          .filter(c => c.status === 'failed')
          .map(c => toResult(c, c.flaky)),
        flaky: flakyCases.map(c => toResult(c, true)),
      });
    }
    return { version, runs: out.reverse() };
  }

  async getCompliance(
    credentials: BackstageCredentials,
  ): Promise<ComplianceOverview> {
    const now = this.now();
    const entities = await this.options.access.listReadable(credentials);
    const refs = entities.map(entityRefOf);
    const owners = new Map(
      entities.map(e => [entityRefOf(e), ownerOf(e) ?? 'unknown']),
    );
    const days = trendDays(now);
    const first = new Date(`${days[0]}T00:00:00.000Z`);
    const [snapshot, untestedRows, trendRuns, driftedChecks] =
      await Promise.all([
        this.loadStatus(refs),
        this.store.listUntestedReleases(refs),
        this.store.listRunHeadsSince(refs, 'policy', first),
        this.store.listDriftedChecksSince(refs, first),
      ]);
    const trendGroups = openRunsPerDay(days, trendRuns);
    const runIds = new Set<string>();
    for (const runs of [
      ...snapshot.policyRuns.values(),
      ...trendGroups.values(),
    ]) {
      for (const run of runs) runIds.add(run.id);
    }
    const findings = await this.policyFindings([...runIds]);
    const evaluations = evaluateFindings(
      new Map(refs.map(ref => [ref, snapshot.policyRuns.get(ref) ?? []])),
      findings,
      snapshot.waivers,
      key => key,
      now,
      this.productionEnvironment,
    );

    const bySeverity = new Map(
      SEVERITIES.map(s => [
        s,
        { severity: s, failed: 0, warned: 0, waived: 0 },
      ]),
    );
    const byOwner = new Map<
      string,
      {
        owner: string;
        failed: number;
        warned: number;
        waived: number;
        modules: Set<string>;
      }
    >();
    const byRule = new Map<
      string,
      {
        rule: string;
        control?: string;
        severity: Severity;
        failed: number;
        waived: number;
        modules: Set<string>;
      }
    >();
    const byEnvironment = new Map(
      this.options.config.environments.map(e => [
        e,
        { environment: e, failed: 0, drifted: 0 },
      ]),
    );
    let failingPolicies = 0;
    const exported: NonNullable<ComplianceOverview['findings']> = [];
    for (const ref of refs) {
      const evaluation = evaluations.get(ref)!;
      const version = snapshot.latest.get(ref);
      // A result reported without an environment counts where its version runs.
      const runningIn = (snapshot.deployments.get(ref) ?? [])
        .filter(d => d.version === version)
        .map(d => d.environment);
      const owner = owners.get(ref)!;
      const ownerRow = byOwner.get(owner) ?? {
        owner,
        failed: 0,
        warned: 0,
        waived: 0,
        modules: new Set<string>(),
      };
      byOwner.set(owner, ownerRow);
      ownerRow.modules.add(ref);
      ownerRow.failed += evaluation.counts.failed;
      ownerRow.warned += evaluation.counts.warned;
      ownerRow.waived += evaluation.counts.waived;
      failingPolicies += evaluation.counts.failed;
      for (const [severity, warned] of evaluation.warnedBySeverity) {
        const row = bySeverity.get(severity as Severity);
        if (row) row.warned += warned;
      }
      for (const failure of evaluation.failures) {
        const sev = bySeverity.get(failure.severity);
        if (sev) {
          if (failure.waiverId) sev.waived += failure.count;
          else sev.failed += failure.count;
        }
        const ruleRow = byRule.get(failure.rule) ?? {
          rule: failure.rule,
          control: failure.control,
          severity: failure.severity,
          failed: 0,
          waived: 0,
          modules: new Set<string>(),
        };
        byRule.set(failure.rule, ruleRow);
        ruleRow.modules.add(ref);
        if (failure.waiverId) ruleRow.waived += failure.count;
        else ruleRow.failed += failure.count;
        const environments = failure.environment
          ? [failure.environment]
          : runningIn;
        if (!failure.waiverId) {
          for (const environment of environments) {
            const envRow = byEnvironment.get(environment);
            if (envRow) envRow.failed += failure.count;
          }
        }
        exported.push({
          entityRef: ref,
          owner: owners.get(ref)!,
          version,
          rule: failure.rule,
          control: failure.control,
          severity: failure.severity,
          environment: failure.environment,
          resource: failure.resource,
          status: failure.waiverId ? 'waived' : 'failed',
          waiverId: failure.waiverId,
          count: failure.count,
        });
      }
    }

    const driftedEnvironments: ComplianceOverview['driftedEnvironments'] = [];
    for (const [ref, checks] of snapshot.latestChecks) {
      for (const check of checks) {
        if (check.driftedResources > 0) {
          driftedEnvironments.push({
            entityRef: ref,
            environment: check.environment,
            driftedSince:
              snapshot.driftedSince.get(`${ref}\u0000${check.environment}`) ??
              check.checkedAt,
            resources: check.driftedResources,
          });
          const envRow = byEnvironment.get(check.environment);
          if (envRow) envRow.drifted += 1;
        }
      }
    }

    // Ties on the release time keep the order of the catalog's modules.
    const position = new Map(refs.map((ref, i) => [ref, i]));
    const untested: ComplianceOverview['untestedReleases'] = untestedRows
      .filter(row => position.has(row.entityRef))
      .map(row => ({
        entityRef: row.entityRef,
        version: row.version,
        releasedAt: row.releasedAt,
        tests: testStatusOf(
          row.status === undefined ? undefined : { status: row.status },
        ),
      }))
      .sort(
        (a, b) =>
          b.releasedAt.localeCompare(a.releasedAt) ||
          position.get(a.entityRef)! - position.get(b.entityRef)!,
      );

    const waivers = snapshot.waivers.map(w => withEffectiveStatus(w, now));
    const expiringBefore = now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000;
    return {
      totals: {
        modules: refs.length,
        driftedEnvironments: driftedEnvironments.length,
        failingPolicies,
        untestedReleases: untested.length,
        pendingWaivers: waivers.filter(w => w.status === 'pending').length,
        expiringWaivers: waivers.filter(
          w =>
            w.status === 'approved' &&
            Date.parse(w.expiresAt) <= expiringBefore,
        ).length,
      },
      bySeverity: [...bySeverity.values()],
      byOwner: [...byOwner.values()]
        .map(({ modules, ...row }) => ({ ...row, modules: modules.size }))
        .sort((a, b) => b.failed - a.failed || a.owner.localeCompare(b.owner)),
      byRule: [...byRule.values()]
        .map(({ modules, ...row }) => ({ ...row, modules: modules.size }))
        .sort((a, b) => b.failed - a.failed || a.rule.localeCompare(b.rule)),
      byEnvironment: [...byEnvironment.values()],
      driftedEnvironments: driftedEnvironments.sort((a, b) =>
        a.driftedSince.localeCompare(b.driftedSince),
      ),
      untestedReleases: untested.slice(0, 200),
      findings: exported,
      waivers,
      trend: trendOf(
        days,
        evaluateFindings(
          trendGroups,
          findings,
          snapshot.waivers,
          key => key.split('\u0000')[1],
          now,
          this.productionEnvironment,
        ),
        driftedChecks,
      ),
    };
  }

  /** Summaries of the given catalog entities joined with their stored status. */
  private async summarize(entities: Entity[]): Promise<ModuleSummary[]> {
    if (entities.length === 0) {
      return [];
    }
    const now = this.now();
    const refs = entities.map(entityRefOf);
    const snapshot = await this.loadStatus(refs);
    const groups = new Map(
      refs.map(ref => [ref, snapshot.policyRuns.get(ref) ?? []]),
    );
    const evaluations = evaluateFindings(
      groups,
      await this.policyFindings([...groups.values()].flat().map(r => r.id)),
      snapshot.waivers,
      key => key,
      now,
      this.productionEnvironment,
    );
    return entities.map(entity => {
      const fields = entityFields(entity);
      const ref = fields.entityRef;
      const version = snapshot.latest.get(ref);
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
                ? snapshot.driftedSince.get(`${ref}\u0000${c.environment}`) ??
                  c.checkedAt
                : undefined,
          },
        ]),
      );
      const environments = environmentSummaries(
        this.environmentsOf(entity, snapshot.registered.get(ref)),
        deployments,
        drift,
      );
      const evaluation = evaluations.get(ref)!;
      return {
        ...fields,
        latestVersion: version,
        latestReleasedAt: snapshot.latestReleasedAt.get(ref),
        environments,
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

  /**
   * Status of many modules from aggregates: release versions, the runs of the latest version
   * only, the current deployment and latest drift check per environment, the last upload time.
   */
  private async loadStatus(refs: string[]): Promise<StatusSnapshot> {
    const [
      releases,
      lastReported,
      lastReleased,
      deployments,
      latestChecks,
      waivers,
      registered,
    ] = await Promise.all([
      this.store.listReleaseVersions(refs),
      this.store.lastReportedAt(refs, ['tests', 'policy']),
      this.store.lastReleasedAt(refs),
      this.store.listCurrentDeployments(refs),
      this.store.listDriftChecks({ entityRefs: refs, latestOnly: true }),
      this.store.listWaivers({ entityRefs: refs }),
      this.store.listModules(refs),
    ]);
    const releasesByRef = byEntity(releases);
    const unreleased = refs.filter(ref => !releasesByRef.has(ref));
    const runVersions = byEntity(
      unreleased.length > 0
        ? await this.store.listRunVersions(unreleased, ['tests', 'policy'])
        : [],
    );
    const latest = new Map(
      refs.map(ref => [
        ref,
        latestVersion(releasesByRef.get(ref) ?? [], runVersions.get(ref) ?? []),
      ]),
    );
    const [heads, latestReleases, driftedSince] = await Promise.all([
      refs.length > 0
        ? this.store.listRunHeadsOfVersions(latest, ['tests', 'policy'])
        : [],
      refs.length > 0 ? this.store.listReleasesOfVersions(latest) : [],
      this.driftedSince(latestChecks),
    ]);
    const testRun = new Map<string, RunHead>();
    const policyRuns = new Map<string, RunHead[]>();
    for (const [ref, runs] of byEntity(heads)) {
      const version = latest.get(ref);
      const run = latestRun(
        runs.filter(r => r.kind === 'tests'),
        version,
      );
      if (run) testRun.set(ref, run);
      policyRuns.set(
        ref,
        latestPolicyRuns(
          runs.filter(r => r.kind === 'policy'),
          version,
        ),
      );
    }
    return {
      latest,
      latestReleasedAt: new Map(
        latestReleases.map(r => [r.entityRef, r.releasedAt]),
      ),
      lastReleasedAt: new Map(
        lastReleased.map(r => [r.entityRef, r.releasedAt]),
      ),
      testRun,
      policyRuns,
      lastReported: new Map(lastReported.map(r => [r.entityRef, r.reportedAt])),
      deployments: byEntity(deployments),
      latestChecks: byEntity(latestChecks),
      driftedSince,
      waivers,
      registered: new Map(registered.map(m => [m.entityRef, m.environments])),
    };
  }

  /** When an environment is drifted, its episode started after the last clean check. */
  private async driftedSince(
    latestChecks: StoredDriftCheck[],
  ): Promise<Map<string, string>> {
    const driftedRefs = [
      ...new Set(
        latestChecks.filter(c => c.driftedResources > 0).map(c => c.entityRef),
      ),
    ];
    const driftedSince = new Map<string, string>();
    if (driftedRefs.length > 0) {
      const history = await this.store.listDriftChecks({
        entityRefs: driftedRefs,
      });
      for (const [ref, checks] of byEntity(history)) {
        for (const env of driftLifecycle(checks, []).environments) {
          if (env.driftedSince) {
            driftedSince.set(
              `${ref}\u0000${env.environment}`,
              env.driftedSince,
            );
          }
        }
      }
    }
    return driftedSince;
  }

  private async policyFindings(runIds: string[]): Promise<PolicyFindings> {
    return runIds.length > 0
      ? this.store.listPolicyFindings(runIds)
      : { warned: [], failed: [], runsWithResults: [] };
  }

  private async load(refs: string[]): Promise<Snapshot> {
    const [
      releases,
      deployments,
      testRuns,
      policyRuns,
      latestChecks,
      waivers,
      registered,
    ] = await Promise.all([
      this.store.listReleases(refs),
      this.store.listDeployments(refs),
      this.store.listRuns({ entityRefs: refs, kind: 'tests' }),
      this.store.listRuns({ entityRefs: refs, kind: 'policy' }),
      this.store.listDriftChecks({ entityRefs: refs, latestOnly: true }),
      this.store.listWaivers({ entityRefs: refs }),
      this.store.listModules(refs),
    ]);
    // When an environment is drifted, its episode started after the last clean check.
    const driftedRefs = [
      ...new Set(
        latestChecks.filter(c => c.driftedResources > 0).map(c => c.entityRef),
      ),
    ];
    const driftedSince = new Map<string, string>();
    if (driftedRefs.length > 0) {
      const history = await this.store.listDriftChecks({
        entityRefs: driftedRefs,
      });
      for (const [ref, checks] of byEntity(history)) {
        for (const env of driftLifecycle(checks, []).environments) {
          if (env.driftedSince) {
            driftedSince.set(
              `${ref}\u0000${env.environment}`,
              env.driftedSince,
            );
          }
        }
      }
    }
    return {
      releases: byEntity(releases),
      deployments: byEntity(deployments),
      testRuns: byEntity(testRuns),
      policyRuns: byEntity(policyRuns),
      latestChecks: byEntity(latestChecks),
      driftedSince,
      waivers,
      registered: new Map(registered.map(m => [m.entityRef, m.environments])),
    };
  }

  /**
   * Counts policy results of groups of runs, applying waivers to failures. Passed and warned
   * checks are counted in the database; failures are read one by one to match waivers.
   */
  async evaluatePolicy(
    groups: Map<string, StoredRun[]>,
    waivers: Waiver[],
    entityRefOfGroup: (key: string) => string,
    /** Where the results count for waivers: the environment a promotion goes to; else each run's. */
    targetEnvironment?: string,
  ): Promise<Map<string, PolicyEvaluation>> {
    const runs = runsByGroup(groups);
    const runIds = [...runs.keys()];
    const [aggregates, failures] = await Promise.all([
      runIds.length ? this.store.countPolicyResults(runIds) : [],
      runIds.length
        ? this.store.listPolicyResults(runIds, { outcomes: ['failed'] })
        : [],
    ]);
    const out = emptyEvaluations(groups);
    for (const aggregate of aggregates) {
      const entry = runs.get(aggregate.runId);
      if (!entry) continue;
      const evaluation = out.get(entry.key)!;
      evaluation.anyResults = true;
      if (aggregate.outcome === 'passed') {
        evaluation.counts.passed += aggregate.checks;
      } else if (aggregate.outcome === 'warned') {
        evaluation.counts.warned += aggregate.checks;
        evaluation.warnedBySeverity.set(
          aggregate.severity,
          (evaluation.warnedBySeverity.get(aggregate.severity) ?? 0) +
            aggregate.checks,
        );
      }
    }
    applyFailures(out, runs, failures, waivers, entityRefOfGroup, this.now(), {
      target: targetEnvironment,
      production: this.productionEnvironment,
    });
    return out;
  }
}

function currentOf(deployments: StoredDeployment[]) {
  const current = new Map<string, StoredDeployment>();
  for (const d of deployments) current.set(d.environment, d);
  return current;
}

function totalsOf(run: StoredRun): TestTotals {
  const s = run.summary as Partial<TestTotals>;
  return {
    total: Number(s.total ?? 0),
    passed: Number(s.passed ?? 0),
    failed: Number(s.failed ?? 0),
    skipped: Number(s.skipped ?? 0),
  };
}

function byKey<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    map.set(k, [...(map.get(k) ?? []), item]);
  }
  return map;
}

function entityFields(entity: Entity): EntityFields {
  return {
    entityRef: entityRefOf(entity),
    title: entity.metadata.title,
    description: entity.metadata.description,
    owner: ownerOf(entity),
    system: specRef(entity, 'system', 'system'),
    goldenPath: entity.metadata.annotations?.[ANNOTATION_GOLDEN_PATH],
  };
}

/** The days of the trend, oldest first, as `YYYY-MM-DD`. */
function trendDays(now: Date): string[] {
  const days: string[] = [];
  for (let i = TREND_DAYS - 1; i >= 0; i--) {
    days.push(
      new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10),
    );
  }
  return days;
}

/** The latest policy run per day, module, version and environment (runs oldest first). */
/**
 * For each day, the policy run that stood at its end for each module and environment: the trend
 * shows violations open that day, not only those reported on it.
 */
function openRunsPerDay(
  days: string[],
  runs: RunHead[],
): Map<string, RunHead[]> {
  const sorted = [...runs].sort((a, b) =>
    a.reportedAt.localeCompare(b.reportedAt),
  );
  const standing = new Map<string, RunHead>();
  const groups = new Map<string, RunHead[]>();
  let next = 0;
  for (const day of days) {
    while (
      next < sorted.length &&
      sorted[next].reportedAt.slice(0, 10) <= day
    ) {
      const run = sorted[next++];
      standing.set(`${run.entityRef}\u0000${run.environment ?? ''}`, run);
    }
    for (const [key, run] of standing) {
      groups.set(`${day}\u0000${key}`, [run]);
    }
  }
  return groups;
}

/**
 * Per day of the last 30: failed / warned / waived policy checks open that day (the run standing
 * at the day's end per module and environment; waivers as they stand now),
 * and the module environments found drifted that day.
 */
function trendOf(
  days: string[],
  evaluations: Map<string, PolicyEvaluation>,
  driftedChecks: StoredDriftCheck[],
): ComplianceOverview['trend'] {
  const rows = new Map(
    days.map(day => [
      day,
      { day, failed: 0, warned: 0, waived: 0, drifted: 0 },
    ]),
  );
  for (const [key, evaluation] of evaluations) {
    const row = rows.get(key.slice(0, 10));
    if (row) {
      row.failed += evaluation.counts.failed;
      row.warned += evaluation.counts.warned;
      row.waived += evaluation.counts.waived;
    }
  }
  const driftedPerDay = new Map<string, Set<string>>();
  for (const check of driftedChecks) {
    const day = check.checkedAt.slice(0, 10);
    const set = driftedPerDay.get(day) ?? new Set<string>();
    set.add(`${check.entityRef}\u0000${check.environment}`);
    driftedPerDay.set(day, set);
  }
  for (const [day, set] of driftedPerDay) {
    const row = rows.get(day);
    if (row) row.drifted = set.size;
  }
  return [...rows.values()];
}

/**
 * Policy status of groups of runs from their findings, applying waivers to failures as they
 * stand at `now`. Passed checks are not counted (`counts.passed` stays 0); `anyResults` tells
 * a run with only passed checks from one without results.
 */
function evaluateFindings(
  groups: Map<string, RunHead[]>,
  findings: PolicyFindings,
  waivers: Waiver[],
  entityRefOfGroup: (key: string) => string,
  now: Date,
  productionEnvironment: string,
): Map<string, PolicyEvaluation> {
  const runs = runsByGroup(groups);
  const out = emptyEvaluations(groups);
  for (const runId of findings.runsWithResults) {
    const entry = runs.get(runId);
    if (entry) out.get(entry.key)!.anyResults = true;
  }
  for (const warned of findings.warned) {
    const entry = runs.get(warned.runId);
    if (!entry) continue;
    const evaluation = out.get(entry.key)!;
    evaluation.counts.warned += warned.checks;
    evaluation.warnedBySeverity.set(
      warned.severity,
      (evaluation.warnedBySeverity.get(warned.severity) ?? 0) + warned.checks,
    );
  }
  applyFailures(out, runs, findings.failed, waivers, entityRefOfGroup, now, {
    production: productionEnvironment,
  });
  return out;
}

/** Which group (module or module+version) each run belongs to, by run id. */
function runsByGroup<R extends { id: string; environment?: string }>(
  groups: Map<string, R[]>,
): Map<string, { run: R; key: string }> {
  const runs = new Map<string, { run: R; key: string }>();
  for (const [key, list] of groups) {
    for (const run of list) {
      runs.set(run.id, { run, key });
    }
  }
  return runs;
}

function emptyEvaluations(
  groups: Map<string, unknown>,
): Map<string, PolicyEvaluation> {
  const out = new Map<string, PolicyEvaluation>();
  for (const key of groups.keys()) {
    out.set(key, {
      counts: emptyCounts(),
      anyResults: false,
      failures: [],
      warnedBySeverity: new Map(),
    });
  }
  return out;
}

/** Counts each failure as waived (a live waiver covers it at `now`) or failed. */
function applyFailures(
  out: Map<string, PolicyEvaluation>,
  runs: Map<
    string,
    { run: { environment?: string; version?: string }; key: string }
  >,
  failures: StoredPolicyResult[],
  waivers: Waiver[],
  entityRefOfGroup: (key: string) => string,
  now: Date,
  environments: { target?: string; production: string },
) {
  for (const failure of failures) {
    const entry = runs.get(failure.runId);
    if (!entry) continue;
    const evaluation = out.get(entry.key)!;
    const environment = entry.run.environment;
    const waiver = findWaiver(
      waivers,
      entityRefOfGroup(entry.key),
      {
        ...failure,
        environment: environments.target ?? environment,
        version: entry.run.version,
      },
      now,
      environments.production,
    );
    if (waiver) {
      evaluation.counts.waived += failure.count;
    } else {
      evaluation.counts.failed += failure.count;
    }
    evaluation.failures.push({
      rule: failure.rule,
      control: failure.control,
      severity: failure.severity,
      environment,
      resource: failure.resource,
      count: failure.count,
      waiverId: waiver?.id,
    });
  }
}

function ownerOf(entity: Entity): string | undefined {
  return specRef(entity, 'owner', 'group');
}

/** A spec field holding a (possibly shorthand) entity ref, as a full `kind:namespace/name` ref. */
function specRef(
  entity: Entity,
  field: string,
  defaultKind: string,
): string | undefined {
  const value = entity.spec?.[field];
  if (typeof value !== 'string' || !value) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
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
