import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ComplianceOverview,
  SEVERITIES,
  Severity,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { ModuleStatus, StoredDriftCheck } from '../database/MlInfraStore';
import { compareIso } from '../database/rows';
import { KeptPolicyEvaluations, TrendPoint } from './KeptPolicyEvaluations';
import { testStatusOf, withEffectiveStatus } from './model';
import { entityFields } from './moduleEntity';
import { driftKey, ModuleStatuses, readModuleStatuses } from './statusSnapshot';
import {
  ComplianceService,
  PolicyEvaluation,
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

  /** The modules of the last request, and what follows from their rows alone. */
  private lastModules?: RowsOfModules;

  private readonly kept: KeptPolicyEvaluations;

  private constructor(private readonly options: Options) {
    this.kept = new KeptPolicyEvaluations(options.policy);
  }

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
    const [modules, trendRuns, driftedChecks] = await Promise.all([
      readModuleStatuses(store, refs),
      refs.length > 0
        ? store.listPolicyTrend({ entityRefs: refs, since: first })
        : [],
      store.listDriftedChecksSince({ entityRefs: refs, since: first }),
    ]);
    const { evaluations, trend } = await this.kept.evaluate(
      modules,
      trendRuns,
      now,
    );

    const tables = this.violations(refs, owners, modules, evaluations);
    const { driftedEnvironments, untested } = this.ofRows(refs, modules);
    for (const drifted of driftedEnvironments) {
      const row = tables.byEnvironment.get(drifted.environment);
      if (row) row.drifted += 1;
    }
    const waivers = modules.waivers.map(w => withEffectiveStatus(w, now));
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
        .map(({ modules: set, ...row }) => ({ ...row, modules: set.size }))
        .sort((a, b) => b.failed - a.failed || a.owner.localeCompare(b.owner)),
      byRule: [...tables.byRule.values()]
        .map(({ modules: set, ...row }) => ({ ...row, modules: set.size }))
        .sort((a, b) => b.failed - a.failed || a.rule.localeCompare(b.rule)),
      byEnvironment: [...tables.byEnvironment.values()],
      driftedEnvironments,
      untestedReleases: untested.slice(0, MAX_UNTESTED_RELEASES),
      findings: tables.findings,
      waivers,
      trend: trendOf(days, trend, driftedChecks),
    };
  }

  /**
   * The drifted environments and untested releases, which follow from the modules' rows alone:
   * reused while the modules and their rows are the ones of the last request.
   */
  private ofRows(
    refs: string[],
    modules: ModuleStatuses,
  ): Pick<RowsOfModules, 'driftedEnvironments' | 'untested'> {
    const last = this.lastModules;
    let same = last !== undefined && last.refs.length === refs.length;
    for (let i = 0; same && i < refs.length; i++) {
      same =
        last!.refs[i] === refs[i] &&
        last!.statuses[i] === modules.byRef.get(refs[i]);
    }
    if (!same) {
      this.lastModules = {
        refs,
        statuses: refs.map(ref => modules.byRef.get(ref)),
        driftedEnvironments: driftedEnvironmentsOf(modules).sort((a, b) =>
          compareIso(a.driftedSince, b.driftedSince),
        ),
        untested: untestedReleases(refs, modules),
      };
    }
    // Copies: the caller's answer is its own.
    return {
      driftedEnvironments: this.lastModules!.driftedEnvironments.slice(),
      untested: this.lastModules!.untested.slice(),
    };
  }

  /** Failing, warned and waived policy checks of each module's latest version, per table. */
  private violations(
    refs: string[],
    owners: Map<string, string>,
    modules: ModuleStatuses,
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
      const status = modules.byRef.get(ref);
      const version = status?.latest;
      // A result reported without an environment counts where its version runs.
      let runningIn: string[] | undefined;
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
            : (runningIn ??= (status?.deployments ?? [])
                .filter(d => d.version === version)
                .map(d => d.environment))) {
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

/** What follows from the rows of some modules alone, in their order. */
interface RowsOfModules {
  refs: string[];
  statuses: Array<ModuleStatus | undefined>;
  /** Oldest drift first. */
  driftedEnvironments: Overview['driftedEnvironments'];
  /** All of them, newest first. */
  untested: Overview['untestedReleases'];
}

/** Environments whose latest drift check found drift, with when the drift began. */
function driftedEnvironmentsOf(
  modules: ModuleStatuses,
): Overview['driftedEnvironments'] {
  const drifted: Overview['driftedEnvironments'] = [];
  for (const [ref, status] of modules.byRef) {
    if (!status) continue;
    for (const check of status.latestChecks) {
      if (check.driftedResources > 0) {
        drifted.push({
          entityRef: ref,
          environment: check.environment,
          driftedSince:
            (Object.prototype.hasOwnProperty.call(
              status.driftedSince,
              check.environment,
            )
              ? status.driftedSince[check.environment]
              : undefined) ?? check.checkedAt,
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
  modules: ModuleStatuses,
): Overview['untestedReleases'] {
  const position = new Map(refs.map((ref, i) => [ref, i]));
  const out: Overview['untestedReleases'] = [];
  for (const [ref, status] of modules.byRef) {
    for (const row of status?.untested ?? []) {
      out.push({
        entityRef: ref,
        version: row.version,
        releasedAt: row.releasedAt,
        tests: testStatusOf(
          row.status === undefined ? undefined : { status: row.status },
        ),
      });
    }
  }
  return out.sort(
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

/**
 * Per day of the last 30: failed / warned / waived policy checks open that day (the run standing
 * at the day's end per module and environment: the trend shows violations open that day, not
 * only those reported on it; waivers as they stand now), and the module environments found
 * drifted that day. The standing runs' counts are kept as running totals from day to day.
 */
function trendOf(
  days: string[],
  points: TrendPoint[],
  driftedChecks: StoredDriftCheck[],
): Overview['trend'] {
  const sorted = [...points].sort((a, b) =>
    compareIso(a.reportedAt, b.reportedAt),
  );
  const standing = new Map<string, Tally>();
  const open = tally();
  const rows = new Map<string, Overview['trend'][number]>();
  let next = 0;
  for (const day of days) {
    while (next < sorted.length && sorted[next].day <= day) {
      const { standing: key, counts } = sorted[next++];
      const before = standing.get(key);
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
