import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ComplianceOverview,
  SEVERITIES,
  Severity,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  MlInfraStore,
  RunHead,
  StoredDriftCheck,
} from '../database/MlInfraStore';
import { testStatusOf, withEffectiveStatus } from './model';
import { entityRefOf } from './ModuleCatalog';
import { ownerOf } from './moduleEntity';
import { driftKey, loadStatusSnapshot, StatusSnapshot } from './statusSnapshot';
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
    const refs = entities.map(entityRefOf);
    const owners = new Map(
      entities.map(e => [entityRefOf(e), ownerOf(e) ?? 'unknown']),
    );
    const days = trendDays(now);
    const first = new Date(`${days[0]}T00:00:00.000Z`);
    const [snapshot, untestedRows, trendRuns, driftedChecks] =
      await Promise.all([
        loadStatusSnapshot(store, refs),
        store.listUntestedReleases({ entityRefs: refs }),
        store.listRunHeadsSince({
          entityRefs: refs,
          kind: 'policy',
          since: first,
        }),
        store.listDriftedChecksSince({ entityRefs: refs, since: first }),
      ]);
    // The current status of each module and the trend's days, evaluated together: a run that
    // stands in both is read once. Module keys are refs; the days' keys start with the day.
    const groups = new Map<string, PolicyRunGroup>(
      refs.map(ref => [
        ref,
        { entityRef: ref, runs: snapshot.policyRuns.get(ref) ?? [] },
      ]),
    );
    const trendGroups = openRunsPerDay(days, trendRuns);
    for (const [key, group] of trendGroups) {
      groups.set(key, group);
    }
    const evaluations = await this.options.policy.evaluate(groups, {
      waivers: snapshot.waivers,
    });

    const tables = this.violations(refs, owners, snapshot, evaluations);
    const driftedEnvironments = driftedEnvironmentsOf(snapshot);
    for (const drifted of driftedEnvironments) {
      const row = tables.byEnvironment.get(drifted.environment);
      if (row) row.drifted += 1;
    }
    const untested = untestedReleases(refs, untestedRows);
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
        a.driftedSince.localeCompare(b.driftedSince),
      ),
      untestedReleases: untested.slice(0, MAX_UNTESTED_RELEASES),
      findings: tables.findings,
      waivers,
      trend: trendOf(days, [...trendGroups.keys()], evaluations, driftedChecks),
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
  rows: Awaited<ReturnType<MlInfraStore['listUntestedReleases']>>,
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
        b.releasedAt.localeCompare(a.releasedAt) ||
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

/**
 * For each day, the policy run that stood at its end for each module and environment: the trend
 * shows violations open that day, not only those reported on it. Keys start with the day.
 */
function openRunsPerDay(
  days: string[],
  runs: RunHead[],
): Map<string, PolicyRunGroup> {
  const sorted = [...runs].sort((a, b) =>
    a.reportedAt.localeCompare(b.reportedAt),
  );
  const standing = new Map<string, RunHead>();
  const groups = new Map<string, PolicyRunGroup>();
  let next = 0;
  for (const day of days) {
    while (
      next < sorted.length &&
      sorted[next].reportedAt.slice(0, 10) <= day
    ) {
      const run = sorted[next++];
      standing.set(driftKey(run.entityRef, run.environment ?? ''), run);
    }
    for (const [key, run] of standing) {
      groups.set(`${day}\u0000${key}`, {
        entityRef: run.entityRef,
        runs: [run],
      });
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
  dayKeys: string[],
  evaluations: Map<string, PolicyEvaluation>,
  driftedChecks: StoredDriftCheck[],
): Overview['trend'] {
  const rows = new Map(days.map(day => [day, { day, ...tally(), drifted: 0 }]));
  for (const key of dayKeys) {
    const row = rows.get(key.slice(0, 10));
    const evaluation = evaluations.get(key);
    if (row && evaluation) {
      row.failed += evaluation.counts.failed;
      row.warned += evaluation.counts.warned;
      row.waived += evaluation.counts.waived;
    }
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
