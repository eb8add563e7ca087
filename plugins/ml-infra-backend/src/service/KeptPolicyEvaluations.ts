import {
  ModuleStatus,
  PolicyFindings,
  TrendRun,
} from '../database/MlInfraStore';
import { mergeFindings } from '../database/statusProjection';
import { effectiveWaiverStatus } from './model';
import { driftKey, ModuleStatuses } from './statusSnapshot';
import { PolicyEvaluation, PolicyEvaluator, PolicyRunGroup } from './types';

/**
 * The compliance overview's policy evaluations, kept from one request to the next by one
 * service (one per replica).
 *
 * An evaluation follows from a status row or a trend row, which the store hands back as the same
 * frozen object while the row's revision is unchanged (on any replica: each reads the current
 * revisions on every request), and from which of the module's waivers are live at the time of
 * the request. So it is kept per row object, and evaluated again when the row is new or when a
 * waiver of its module went live or lapsed, even without any write.
 */
export class KeptPolicyEvaluations {
  /** Per row object read. */
  private readonly kept = {
    modules: new WeakMap<
      ModuleStatus,
      { live: string; evaluation: PolicyEvaluation }
    >(),
    trend: new WeakMap<
      TrendRun,
      { status?: ModuleStatus; live: string; point: TrendPoint }
    >(),
  };

  constructor(private readonly policy: PolicyEvaluator) {}

  /**
   * The evaluation of each module's current policy runs, and the counts of each trend run. What
   * is not kept is evaluated together, as before: each run once, with the findings the
   * projection keeps for it.
   */
  async evaluate(
    modules: ModuleStatuses,
    trendRuns: TrendRun[],
    now: Date,
  ): Promise<{
    evaluations: Map<string, PolicyEvaluation>;
    trend: TrendPoint[];
  }> {
    const evaluations = new Map<string, PolicyEvaluation>();
    const trend: TrendPoint[] = new Array(trendRuns.length);
    const liveOf = new Map<ModuleStatus, string>();
    const live = (status: ModuleStatus) => {
      let key = liveOf.get(status);
      if (key === undefined) {
        key = liveWaiverKey(status, now);
        liveOf.set(status, key);
      }
      return key;
    };
    // Module keys are refs; a trend run's key starts with NUL.
    const groups = new Map<string, PolicyRunGroup>();
    const parts: PolicyFindings[] = [];
    const withFindings = new Set<ModuleStatus>();
    const moduleFindings = (status: ModuleStatus) => {
      if (!withFindings.has(status)) {
        withFindings.add(status);
        parts.push(status.findings);
      }
    };
    for (const [ref, status] of modules.byRef) {
      const kept = status && this.kept.modules.get(status);
      if (status && kept?.live === live(status)) {
        evaluations.set(ref, kept.evaluation);
        continue;
      }
      groups.set(ref, { entityRef: ref, runs: status?.policyRuns ?? [] });
      if (status) moduleFindings(status);
    }
    const trendMisses: number[] = [];
    for (let i = 0; i < trendRuns.length; i++) {
      const trendRun = trendRuns[i];
      const { run } = trendRun;
      const status = modules.byRef.get(run.entityRef);
      const liveKey = status ? live(status) : '';
      const kept = this.kept.trend.get(trendRun);
      if (kept && kept.status === status && kept.live === liveKey) {
        trend[i] = kept.point;
        continue;
      }
      trendMisses.push(i);
      groups.set(trendKey(run), { entityRef: run.entityRef, runs: [run] });
      // A run that is one of its module's current runs counts with the findings the module's
      // row keeps for it; any other with its trend row's.
      if (status?.policyRuns.some(r => r.id === run.id)) moduleFindings(status);
      else parts.push(trendRun.findings);
    }
    if (groups.size === 0) return { evaluations, trend };

    const evaluated = await this.policy.evaluate(groups, {
      waivers: modules.waivers,
      findings: mergeFindings(parts),
    });
    for (const [ref, status] of modules.byRef) {
      if (evaluations.has(ref)) continue;
      const evaluation = evaluated.get(ref)!;
      evaluations.set(ref, evaluation);
      if (status) {
        this.kept.modules.set(status, { live: live(status), evaluation });
      }
    }
    for (const i of trendMisses) {
      const trendRun = trendRuns[i];
      const { run } = trendRun;
      const status = modules.byRef.get(run.entityRef);
      trend[i] = {
        reportedAt: run.reportedAt,
        day: run.reportedAt.slice(0, 10),
        standing: driftKey(run.entityRef, run.environment ?? ''),
        counts: evaluated.get(trendKey(run))?.counts ?? {
          failed: 0,
          warned: 0,
          waived: 0,
        },
      };
      this.kept.trend.set(trendRun, {
        status,
        live: status ? live(status) : '',
        point: trend[i],
      });
    }
    return { evaluations, trend };
  }
}

/** A trend run as the trend counts it. */
export interface TrendPoint {
  reportedAt: string;
  /** The day it was reported, `YYYY-MM-DD`. */
  day: string;
  /** Its module and environment: the run standing there is replaced by it. */
  standing: string;
  counts: Pick<PolicyEvaluation['counts'], 'failed' | 'warned' | 'waived'>;
}

/** The waivers of a module's row that are live (approved, not expired) at `now`. */
function liveWaiverKey(status: ModuleStatus, now: Date): string {
  let key = '';
  for (const waiver of status.waivers) {
    if (effectiveWaiverStatus(waiver, now) === 'approved') {
      key += `${waiver.id}\u0000`;
    }
  }
  return key;
}

/** The key of a trend run's evaluation. */
function trendKey(run: { id: string }): string {
  return `\u0000${run.id}`;
}
