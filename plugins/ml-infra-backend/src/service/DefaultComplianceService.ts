import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ComplianceOverview,
  SEVERITIES,
  Severity,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  PolicyFindings,
  RunHead,
  StoredDriftCheck,
  TrendRun,
} from '../database/MlInfraStore';
import { compareIso } from '../database/rows';
import { testStatusOf, withEffectiveStatus } from './model';
import { entityFields } from './moduleEntity';
import {
  driftKey,
  ProjectedSnapshot,
  readStatusSnapshot,
  StatusSnapshot,
} from './statusSnapshot';
import {
  ComplianceService,
  PolicyEvaluation,
  PolicyRunGroup,
  ServiceDependencies,
} from './types';

const TREND_DAYS = 30;
const EXPIRING_WITHIN_DAYS = 14;
const MAX_UNTESTED_RELEASES = 200;
const DAY_MS = 86_400_000;

type Overview = ComplianceOverview;

/** Counts that add up per row of a table. */
interface Tally {
  failed: number;
  warned: number;
  waived: number;
}

type Options = Pick<
  ServiceDependencies,
  'store' | 'access' | 'config' | 'policy' | 'now'
>;

export class DefaultComplianceService implements ComplianceService {
  static create(options: Options): ComplianceService {
    return new DefaultComplianceService(options);
  }

  private constructor(private readonly options: Options) {}

  async getCompliance(credentials: BackstageCredentials): Promise<Overview> {
    const { store } = this.options;
    const now = this.options.now?.() ?? new Date();
    const entities = await this.options.access.listReadable(credentials);
    const fields = entities.map(entityFields);
    const refs = fields.map(f => f.entityRef);
    const owners = new Map(
      fields.map(f => [f.entityRef, f.owner ?? 'unknown']),
    );
    const days = trendDays(now);
    const first = new Date(`${days[0]}T00:00:00.000Z`);
    const [snapshot, trendRuns, driftedChecks] = await Promise.all([
      readStatusSnapshot(store, refs),
      refs.length > 0
        ? store.listPolicyTrend({ entityRefs: refs, since: first })
        : [],
      store.listDriftedChecksSince({ entityRefs: refs, since: first }),
    ]);
    // The current status of each module and the trend's runs, evaluated together, each run
    // once (with the findings the projection keeps). Module keys are refs; a trend run's key
    // starts with NUL.
    const groups = new Map<string, PolicyRunGroup>(
      refs.map(ref => [
        ref,
        { entityRef: ref, runs: snapshot.policyRuns.get(ref) ?? [] },
      ]),
    );
    for (const { run } of trendRuns) {
      groups.set(trendKey(run), { entityRef: run.entityRef, runs: [run] });
    }
    const evaluations = await this.options.policy.evaluate(groups, {
      waivers: snapshot.waivers,
      findings: findingsOf(snapshot, trendRuns),
    });

    const tables = this.violations(refs, owners, snapshot, evaluations);
    const driftedEnvironments = driftedEnvironmentsOf(snapshot);
    for (const drifted of driftedEnvironments) {
      const row = tables.byEnvironment.get(drifted.environment);
      if (row) row.drifted += 1;
    }
    const untested = untestedReleases(refs, snapshot.untested);
    const waivers = snapshot.waivers.map(w => withEffectiveStatus(w, now));
    const expiringBefore = now.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS;
    return {
      totals: {
        modules: refs.length,
        driftedEnvironments: driftedEnvironments.length,
        failingPolicies: tables.failingPolicies,
        untestedReleases: untested.length,
        pendingWaivers: waivers.filter(w => w.status === 'pending').length,
        expiringWaivers: waivers.filter(
          w =>
            w.status === 'approved' &&
            Date.parse(w.expiresAt) <= expiringBefore,
        ).length,
      },
      bySeverity: [...tables.bySeverity.values()],
      byOwner: [...tables.byOwner.values()]
        .map(({ modules, ...row }) => ({ ...row, modules: modules.size }))
        .sort((a, b) => b.failed - a.failed || a.owner.localeCompare(b.owner)),
      byRule: [...tables.byRule.values()]
        .map(({ modules, ...row }) => ({ ...row, modules: modules.size }))
        .sort((a, b) => b.failed - a.failed || a.rule.localeCompare(b.rule)),
      byEnvironment: [...tables.byEnvironment.values()],
      driftedEnvironments: driftedEnvironments.sort((a, b) =>
        compareIso(a.driftedSince, b.driftedSince),
      ),
      untestedReleases: untested.slice(0, MAX_UNTESTED_RELEASES),
      findings: tables.findings,
      waivers,
      trend: trendOf(
        days,
        trendRuns.map(t => t.run),
        evaluations,
        driftedChecks,
      ),
    };
  }

  /** Failing, warned and waived policy checks of each module's latest version, per table. */
  private violations(
    refs: string[],
    owners: Map<string, string>,
    snapshot: StatusSnapshot,
    evaluations: Map<string, PolicyEvaluation>,
  ) {
    const bySeverity = new Map(
      SEVERITIES.map(s => [s, { severity: s, ...tally() }]),
    );
    const byOwner = new Map<
      string,
      Tally & { owner: string; modules: Set<string> }
    >();
    const byRule = new Map<
      string,
      Omit<Tally, 'warned'> & {
        rule: string;
        control?: string;
        severity: Severity;
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
    const findings: NonNullable<Overview['findings']> = [];
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
        ...tally(),
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
        const outcome = failure.waiverId ? 'waived' : 'failed';
        const sev = bySeverity.get(failure.severity);
        if (sev) sev[outcome] += failure.count;
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
        ruleRow[outcome] += failure.count;
        if (outcome === 'failed') {
          for (const environment of failure.environment
            ? [failure.environment]
            : runningIn) {
            const envRow = byEnvironment.get(environment);
            if (envRow) envRow.failed += failure.count;
          }
        }
        findings.push({
          entityRef: ref,
          owner,
          version,
          rule: failure.rule,
          control: failure.control,
          severity: failure.severity,
          environment: failure.environment,
          resource: failure.resource,
          status: outcome,
          waiverId: failure.waiverId,
          count: failure.count,
        });
      }
    }
    return {
      bySeverity,
      byOwner,
      byRule,
      byEnvironment,
      failingPolicies,
      findings,
    };
  }
}

function tally(): Tally {
  return { failed: 0, warned: 0, waived: 0 };
}

/** Environments whose latest drift check found drift, with when the drift began. */
function driftedEnvironmentsOf(
  snapshot: StatusSnapshot,
): Overview['driftedEnvironments'] {
  const drifted: Overview['driftedEnvironments'] = [];
  for (const [ref, checks] of snapshot.latestChecks) {
    for (const check of checks) {
      if (check.driftedResources > 0) {
        drifted.push({
          entityRef: ref,
          environment: check.environment,
          driftedSince:
            snapshot.driftedSince.get(driftKey(ref, check.environment)) ??
            check.checkedAt,
          resources: check.driftedResources,
        });
      }
    }
  }
  return drifted;
}

/** Newest first; ties on the release time keep the order of the catalog's modules. */
function untestedReleases(
  refs: string[],
  rows: ProjectedSnapshot['untested'],
): Overview['untestedReleases'] {
  const position = new Map(refs.map((ref, i) => [ref, i]));
  return rows
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
        compareIso(b.releasedAt, a.releasedAt) ||
        position.get(a.entityRef)! - position.get(b.entityRef)!,
    );
}

/** The days of the trend, oldest first, as `YYYY-MM-DD`. */
function trendDays(now: Date): string[] {
  const days: string[] = [];
  for (let i = TREND_DAYS - 1; i >= 0; i--) {
    days.push(new Date(now.getTime() - i * DAY_MS).toISOString().slice(0, 10));
  }
  return days;
}

/** The key of a trend run's evaluation. */
function trendKey(run: { id: string }): string {
  return `\u0000${run.id}`;
}

/** The module findings and those of the trend runs that are not current ones, each once. */
function findingsOf(
  snapshot: ProjectedSnapshot,
  trendRuns: TrendRun[],
): PolicyFindings {
  const current = new Set(
    [...snapshot.policyRuns.values()].flatMap(runs => runs.map(r => r.id)),
  );
  const out: PolicyFindings = {
    warned: [...snapshot.findings.warned],
    failed: [...snapshot.findings.failed],
    runsWithResults: [...snapshot.findings.runsWithResults],
  };
  for (const { run, findings } of trendRuns) {
    if (current.has(run.id)) continue;
    out.warned.push(...findings.warned);
    out.failed.push(...findings.failed);
    out.runsWithResults.push(...findings.runsWithResults);
  }
  return out;
}

/**
 * Per day of the last 30: failed / warned / waived policy checks open that day (the run standing
 * at the day's end per module and environment: the trend shows violations open that day, not
 * only those reported on it; waivers as they stand now), and the module environments found
 * drifted that day. The standing runs' counts are kept as running totals from day to day.
 */
function trendOf(
  days: string[],
  runs: RunHead[],
  evaluations: Map<string, PolicyEvaluation>,
  driftedChecks: StoredDriftCheck[],
): Overview['trend'] {
  const sorted = [...runs].sort((a, b) =>
    compareIso(a.reportedAt, b.reportedAt),
  );
  const standing = new Map<string, Tally>();
  const open = tally();
  const rows = new Map<string, Overview['trend'][number]>();
  let next = 0;
  for (const day of days) {
    while (
      next < sorted.length &&
      sorted[next].reportedAt.slice(0, 10) <= day
    ) {
      const run = sorted[next++];
      const key = driftKey(run.entityRef, run.environment ?? '');
      const before = standing.get(key);
      const counts = evaluations.get(trendKey(run))?.counts ?? tally();
      open.failed += counts.failed - (before?.failed ?? 0);
      open.warned += counts.warned - (before?.warned ?? 0);
      open.waived += counts.waived - (before?.waived ?? 0);
      standing.set(key, counts);
    }
    rows.set(day, { day, ...open, drifted: 0 });
  }
  const driftedPerDay = new Map<string, Set<string>>();
  for (const check of driftedChecks) {
    const day = check.checkedAt.slice(0, 10);
    const set = driftedPerDay.get(day) ?? new Set<string>();
    set.add(driftKey(check.entityRef, check.environment));
    driftedPerDay.set(day, set);
  }
  for (const [day, set] of driftedPerDay) {
    const row = rows.get(day);
    if (row) row.drifted = set.size;
  }
  return [...rows.values()];
}
