import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { PolicyFindings, StoredPolicyResult } from '../database/MlInfraStore';
import {
  effectiveWaiverStatus,
  emptyCounts,
  latestPolicyRuns,
  latestVersion,
} from './model';
import {
  PolicyEvaluation,
  PolicyEvaluator,
  PolicyRunGroup,
  ServiceDependencies,
} from './types';

/** What an evaluation reads of runs: their findings, and passed counts when asked for. */
interface Findings extends PolicyFindings {
  passed: Array<{ runId: string; checks: number }>;
}

type Run = PolicyRunGroup['runs'][number];

type Options = Pick<ServiceDependencies, 'store' | 'config' | 'now'>;

export class DefaultPolicyEvaluator implements PolicyEvaluator {
  static create(options: Options): PolicyEvaluator {
    return new DefaultPolicyEvaluator(options);
  }

  private constructor(private readonly options: Options) {}

  async evaluate<K extends string>(
    groups: Map<K, PolicyRunGroup>,
    options: {
      waivers: Waiver[];
      targetEnvironment?: string;
      countPassed?: boolean;
      findings?: PolicyFindings;
    },
  ): Promise<Map<K, PolicyEvaluation>> {
    const runIds = new Set<string>();
    for (const group of groups.values()) {
      for (const run of group.runs) runIds.add(run.id);
    }
    const findings = options.findings
      ? { ...options.findings, passed: [] }
      : await this.findings([...runIds], options.countPassed);
    // Waivers as they stand at one instant, the same for every failure of this evaluation.
    const now = this.now();
    const production = this.productionEnvironment();
    // Live waivers by module, found once: an evaluation may match thousands of failures.
    const live = new Map<string, Waiver[]>();
    for (const waiver of options.waivers) {
      if (effectiveWaiverStatus(waiver, now) !== 'approved') continue;
      const list = live.get(waiver.entityRef) ?? [];
      list.push(waiver);
      live.set(waiver.entityRef, list);
    }
    return evaluateFindings(groups, findings, (entityRef, failure, run) => {
      const waivers = live.get(entityRef);
      return waivers
        ? coveringWaiver(
            waivers,
            entityRef,
            failure,
            {
              environment: options.targetEnvironment ?? run.environment,
              version: run.version,
            },
            now,
            production,
          )
        : undefined;
    });
  }

  async evaluateVersion(
    entityRef: string,
    scope: { version?: string; environment?: string },
  ): Promise<{ version?: string; evaluation: PolicyEvaluation }> {
    const { store } = this.options;
    const [releases, runs, waivers] = await Promise.all([
      scope.version
        ? []
        : store.listReleaseVersions({ entityRefs: [entityRef] }),
      store.listRuns({
        entityRefs: [entityRef],
        kind: 'policy',
        version: scope.version,
      }),
      store.listWaivers({ entityRefs: [entityRef], statuses: ['approved'] }),
    ]);
    const version = scope.version ?? latestVersion(releases, runs);
    const evaluations = await this.evaluate(
      new Map([
        ['version', { entityRef, runs: latestPolicyRuns(runs, version) }],
      ]),
      { waivers, targetEnvironment: scope.environment },
    );
    return { version, evaluation: evaluations.get('version')! };
  }

  waiverFor(
    waivers: Waiver[],
    entityRef: string,
    failure: { rule: string; control?: string; resource?: string },
    run: { environment?: string; version?: string },
  ): Waiver | undefined {
    return coveringWaiver(
      waivers,
      entityRef,
      failure,
      run,
      this.now(),
      this.productionEnvironment(),
    );
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** The last configured environment: a waiver must name it to cover it. */
  private productionEnvironment(): string {
    const { environments } = this.options.config;
    return environments[environments.length - 1];
  }

  /**
   * Passed and warned checks are counted in the database; failures are read one by one to
   * match waivers. Without `countPassed` only warned and failed rows are read (an index scan).
   */
  private async findings(
    runIds: string[],
    countPassed?: boolean,
  ): Promise<Findings> {
    const { store } = this.options;
    if (runIds.length === 0) {
      return { passed: [], warned: [], failed: [], runsWithResults: [] };
    }
    if (!countPassed) {
      return { ...(await store.listPolicyFindings({ runIds })), passed: [] };
    }
    const [aggregates, failed] = await Promise.all([
      store.countPolicyResults({ runIds }),
      store.listPolicyResults({ runIds, outcomes: ['failed'] }),
    ]);
    return {
      passed: aggregates.filter(a => a.outcome === 'passed'),
      warned: aggregates.filter(a => a.outcome === 'warned'),
      failed,
      runsWithResults: [...new Set(aggregates.map(a => a.runId))],
    };
  }
}

/**
 * The live waiver that covers a failed result, if any. `where.environment` is where the result
 * counts (its run's environment, or the environment a promotion goes to). A waiver that names
 * no environment covers every one but production: a production waiver must name it. A waiver
 * scoped to a version or a resource covers that one only.
 */
function coveringWaiver(
  waivers: Waiver[],
  entityRef: string,
  failure: { rule: string; control?: string; resource?: string },
  where: { environment?: string; version?: string },
  now: Date,
  productionEnvironment: string,
): Waiver | undefined {
  return waivers.find(
    w =>
      w.entityRef === entityRef &&
      effectiveWaiverStatus(w, now) === 'approved' &&
      (w.rule === failure.rule ||
        (failure.control !== undefined && w.rule === failure.control)) &&
      (w.environment
        ? w.environment === where.environment
        : where.environment !== productionEnvironment) &&
      (!w.version || w.version === where.version) &&
      (!w.resource || w.resource === failure.resource),
  );
}

/** Counts the findings of each group's runs; each failure is waived or failed. */
function evaluateFindings<K extends string>(
  groups: Map<K, PolicyRunGroup>,
  findings: Findings,
  waiverOf: (
    entityRef: string,
    failure: StoredPolicyResult,
    run: Run,
  ) => Waiver | undefined,
): Map<K, PolicyEvaluation> {
  const out = new Map<K, PolicyEvaluation>();
  // A run may stand in several groups (the trend's days): it counts in each.
  const memberships = new Map<
    string,
    Array<{ run: Run; entityRef: string; evaluation: PolicyEvaluation }>
  >();
  for (const [key, group] of groups) {
    const evaluation: PolicyEvaluation = {
      counts: emptyCounts(),
      anyResults: false,
      failures: [],
      warnedBySeverity: new Map(),
    };
    out.set(key, evaluation);
    for (const run of group.runs) {
      const list = memberships.get(run.id) ?? [];
      list.push({ run, entityRef: group.entityRef, evaluation });
      memberships.set(run.id, list);
    }
  }
  const each = (runId: string) => memberships.get(runId) ?? [];

  for (const runId of findings.runsWithResults) {
    for (const { evaluation } of each(runId)) evaluation.anyResults = true;
  }
  for (const passed of findings.passed) {
    for (const { evaluation } of each(passed.runId)) {
      evaluation.counts.passed += passed.checks;
    }
  }
  for (const warned of findings.warned) {
    for (const { evaluation } of each(warned.runId)) {
      evaluation.counts.warned += warned.checks;
      evaluation.warnedBySeverity.set(
        warned.severity,
        (evaluation.warnedBySeverity.get(warned.severity) ?? 0) + warned.checks,
      );
    }
  }
  for (const failure of findings.failed) {
    for (const { run, entityRef, evaluation } of each(failure.runId)) {
      const waiver = waiverOf(entityRef, failure, run);
      evaluation.counts[waiver ? 'waived' : 'failed'] += failure.count;
      evaluation.failures.push({
        rule: failure.rule,
        control: failure.control,
        severity: failure.severity,
        environment: run.environment,
        resource: failure.resource,
        count: failure.count,
        waiverId: waiver?.id,
      });
    }
  }
  return out;
}
