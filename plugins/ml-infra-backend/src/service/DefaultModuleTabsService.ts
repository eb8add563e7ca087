import { Entity } from '@backstage/catalog-model';
import {
  EnvironmentMatrix,
  ModuleDrift,
  ModulePolicy,
  ModuleTests,
  ModuleVersion,
  PolicyResult,
  RunIdentity,
  TestCaseResult,
  TestRun,
  TestTotals,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { StoredRun, StoredTestCase } from '../database/MlInfraStore';
import {
  compareVersionsDesc,
  currentDeployments,
  driftLifecycle,
  emptyCounts,
  environmentSummaries,
  groupBy,
  latestPolicyRuns,
  latestRun,
  latestVersion,
  policyStatusOf,
  testStatusOf,
  withEffectiveStatus,
} from './model';
import { entityRefOf } from './ModuleCatalog';
import { environmentsOf } from './moduleEntity';
import { ModuleTabsService, ServiceDependencies } from './types';
import { normalizeVersion } from './validation';

const MAX_TEST_RUNS = 50;

type Options = Pick<ServiceDependencies, 'store' | 'config' | 'policy' | 'now'>;

export class DefaultModuleTabsService implements ModuleTabsService {
  static create(options: Options): ModuleTabsService {
    return new DefaultModuleTabsService(options);
  }

  private constructor(private readonly options: Options) {}

  private get store() {
    return this.options.store;
  }

  async getVersions(entity: Entity): Promise<ModuleVersion[]> {
    const entityRef = entityRefOf(entity);
    const [releases, testRuns, policyRuns, deployments, waivers] =
      await Promise.all([
        this.store.listReleases({ entityRefs: [entityRef] }),
        this.store.listRuns({ entityRefs: [entityRef], kind: 'tests' }),
        this.store.listRuns({ entityRefs: [entityRef], kind: 'policy' }),
        this.store.listDeployments({ entityRefs: [entityRef] }),
        this.store.listWaivers({ entityRefs: [entityRef] }),
      ]);
    const runningIn = new Map<string, string[]>();
    for (const [environment, deployment] of currentDeployments(deployments)) {
      runningIn.set(deployment.version, [
        ...(runningIn.get(deployment.version) ?? []),
        environment,
      ]);
    }
    const evaluations = await this.options.policy.evaluate(
      new Map(
        releases.map(r => [
          r.version,
          { entityRef, runs: latestPolicyRuns(policyRuns, r.version) },
        ]),
      ),
      { waivers, countPassed: true },
    );
    return [...releases]
      .sort((a, b) => compareVersionsDesc(a.version, b.version))
      .map(release => {
        const run = latestRun(testRuns, release.version);
        const evaluation = evaluations.get(release.version)!;
        return {
          version: release.version,
          gitSha: release.gitSha,
          changelog: release.changelog,
          releasedAt: release.releasedAt,
          tests: testStatusOf(run),
          testTotals: run ? totalsOf(run) : undefined,
          policy: policyStatusOf(evaluation.counts, evaluation.anyResults),
          policyCounts: evaluation.counts,
          environments: runningIn.get(release.version) ?? [],
        };
      });
  }

  async getEnvironments(entity: Entity): Promise<EnvironmentMatrix> {
    const entityRef = entityRefOf(entity);
    const [environments, deployments, checks] = await Promise.all([
      this.environmentsOf(entity),
      this.store.listDeployments({ entityRefs: [entityRef] }),
      this.store.listDriftChecks({ entityRefs: [entityRef] }),
    ]);
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
    const [environments, checks] = await Promise.all([
      this.environmentsOf(entity),
      this.store.listDriftChecks({
        entityRefs: [entityRefOf(entity)],
        withResources: true,
      }),
    ]);
    return {
      ...driftLifecycle(checks, environments),
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
    const now = this.options.now?.() ?? new Date();
    const [releases, runs, waivers] = await Promise.all([
      this.store.listReleases({ entityRefs: [entityRef] }),
      this.store.listRuns({ entityRefs: [entityRef], kind: 'policy' }),
      this.store.listWaivers({ entityRefs: [entityRef] }),
    ]);
    const version = versionParam
      ? normalizeVersion(versionParam)
      : latestVersion(releases, runs);
    const selected = latestPolicyRuns(runs, version);
    const byRun = new Map(selected.map(r => [r.id, r]));
    const stored = await this.store.listPolicyResults({
      runIds: selected.map(r => r.id),
    });
    const counts = emptyCounts();
    const results: PolicyResult[] = stored.map(result => {
      const run = byRun.get(result.runId)!;
      const waiver =
        result.outcome === 'failed'
          ? this.options.policy.waiverFor(waivers, entityRef, result, run)
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
        remediationUrl: result.remediationUrl,
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
    const ciRunUrl = ciRunUrls(
      await this.store.listRuns({ entityRefs: [entityRef], kind: 'ci' }),
    );
    // Flaky across runs needs every case of versions tested more than once.
    const versionRuns = groupBy(runs, r => r.version ?? '');
    const fullRunIds = [...versionRuns.values()]
      .filter(g => g.length > 1)
      .flat()
      .map(r => r.id);
    const partialRunIds = runs
      .map(r => r.id)
      .filter(id => !fullRunIds.includes(id));
    const cases = [
      ...(await this.store.listTestCases({ runIds: fullRunIds })),
      ...(await this.store.listTestCases({
        runIds: partialRunIds,
        failedOrFlakyOnly: true,
        withSkipped: true,
      })),
    ];
    const casesByRun = groupBy(cases, c => c.runId);
    const failedBefore = new Map<string, Set<string>>();
    const out: TestRun[] = [];
    for (const run of runs) {
      const seen = failedBefore.get(run.version ?? '') ?? new Set<string>();
      failedBefore.set(run.version ?? '', seen);
      const runCases = casesByRun.get(run.id) ?? [];
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
          .map(c => testCaseResult(c, c.flaky)),
        flaky: flakyCases.map(c => testCaseResult(c, true)),
        skipped: runCases
          .filter(c => c.status === 'skipped')
          .map(c => testCaseResult(c, false)),
        url: ciRunUrl(run.run),
      });
    }
    return { version, runs: out.reverse() };
  }

  /** The module's environments: its registration, else its annotation, within the configured. */
  private async environmentsOf(entity: Entity): Promise<string[]> {
    const registration = await this.store.getModule(entityRefOf(entity));
    return environmentsOf(
      this.options.config.environments,
      entity,
      registration?.environments,
    );
  }
}

/**
 * The URL CI reported (`POST /runs`) for a run: same provider and run id, the same attempt when
 * reported, else the latest attempt's; legs are ignored (a test upload's leg names its job).
 */
function ciRunUrls(ciRuns: StoredRun[]) {
  const byRun = new Map<string, Array<{ attempt: number; url: string }>>();
  for (const ci of ciRuns) {
    const url = ci.summary.url;
    if (typeof url !== 'string') continue;
    const key = `${ci.run.provider}\u0000${ci.run.runId}`;
    byRun.set(key, [
      ...(byRun.get(key) ?? []),
      { attempt: ci.run.attempt, url },
    ]);
  }
  return (run: RunIdentity): string | undefined => {
    const reported = byRun.get(`${run.provider}\u0000${run.runId}`) ?? [];
    return (
      reported.find(r => r.attempt === run.attempt)?.url ??
      [...reported].sort((a, b) => b.attempt - a.attempt)[0]?.url
    );
  };
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

function testCaseResult(c: StoredTestCase, flaky: boolean): TestCaseResult {
  return {
    name: c.name,
    suite: c.suite,
    status: c.status,
    durationMs: c.durationMs,
    output: c.output,
    outputTruncated: c.outputTruncated || undefined,
    flaky,
  };
}
