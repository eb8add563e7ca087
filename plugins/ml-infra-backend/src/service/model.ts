import type {
  DriftEpisode,
  DriftStatus,
  EnvironmentDrift,
  ModuleEnvironmentSummary,
  PolicyCounts,
  PolicyStatus,
  TestStatus,
  Waiver,
  WaiverStatus,
} from '@ml-infra-portal/plugin-ml-infra-common';
import semver from 'semver';
import {
  StoredDeployment,
  StoredDriftCheck,
  StoredRelease,
  StoredRun,
} from '../database/MlInfraStore';

/*
 * Pure functions that turn stored history into the shapes the API serves. Kept apart from the
 * services so the module list, a module's pages, the compliance overview and the gate agree.
 */

export function groupBy<T>(
  items: T[],
  key: (item: T) => string,
): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) {
      list.push(item);
    } else {
      map.set(k, [item]);
    }
  }
  return map;
}

export function byEntity<T extends { entityRef: string }>(
  items: T[],
): Map<string, T[]> {
  return groupBy(items, item => item.entityRef);
}

export function compareVersionsDesc(a: string, b: string): number {
  return semver.rcompare(a, b);
}

/** Highest released version, else the highest version seen in any upload. */
export function latestVersion(
  releases: Array<Pick<StoredRelease, 'version'>>,
  runs: Array<Pick<StoredRun, 'version'>>,
): string | undefined {
  const candidates = releases.length
    ? releases.map(r => r.version)
    : runs
        .map(r => r.version)
        .filter((v): v is string => Boolean(v && semver.valid(v)));
  return [...new Set(candidates)].sort(compareVersionsDesc)[0];
}

/** Runs are ordered oldest first; the latest run of a version decides its status. */
export function latestRun<T extends Pick<StoredRun, 'version'>>(
  runs: T[],
  version: string | undefined,
): T | undefined {
  let latest: T | undefined;
  for (const run of runs) {
    if (run.version === version) {
      latest = run;
    }
  }
  return latest;
}

/** The latest policy run of a version per environment (a run without environment is its own group). */
export function latestPolicyRuns<
  T extends Pick<StoredRun, 'version' | 'environment'>,
>(runs: T[], version: string | undefined): T[] {
  const byEnv = new Map<string, T>();
  for (const run of runs) {
    if (run.version === version) {
      byEnv.set(run.environment ?? '', run);
    }
  }
  return [...byEnv.values()];
}

export function testStatusOf(
  run: Pick<StoredRun, 'status'> | undefined,
): TestStatus {
  if (!run) {
    return 'unknown';
  }
  return run.status === 'passed' || run.status === 'failed'
    ? run.status
    : 'unknown';
}

/**
 * Status a waiver has now: an approved or still pending waiver past its expiry is expired at
 * once (a request nobody decided in time cannot be approved later).
 */
export function effectiveWaiverStatus(waiver: Waiver, now: Date): WaiverStatus {
  if (
    (waiver.status === 'approved' || waiver.status === 'pending') &&
    Date.parse(waiver.expiresAt) <= now.getTime()
  ) {
    return 'expired';
  }
  return waiver.status;
}

export function withEffectiveStatus(waiver: Waiver, now: Date): Waiver {
  return { ...waiver, status: effectiveWaiverStatus(waiver, now) };
}

export function emptyCounts(): PolicyCounts {
  return { passed: 0, warned: 0, failed: 0, waived: 0 };
}

export function policyStatusOf(
  counts: PolicyCounts,
  anyResults: boolean,
): PolicyStatus {
  if (counts.failed > 0) return 'failed';
  if (counts.waived > 0) return 'waived';
  if (counts.warned > 0) return 'warned';
  if (counts.passed > 0 || anyResults) return 'passed';
  return 'unknown';
}

/** The version currently running in each environment, from the promotion history (oldest first). */
export function currentDeployments(
  deployments: StoredDeployment[],
): Map<string, StoredDeployment> {
  const current = new Map<string, StoredDeployment>();
  for (const deployment of deployments) {
    current.set(deployment.environment, deployment);
  }
  return current;
}

/**
 * The longest continuous time `version` was the current version of `environment`, in hours.
 * Deployments are oldest first.
 */
export function soakHours(
  deployments: StoredDeployment[],
  environment: string,
  version: string,
  now: Date,
): number {
  const history = deployments.filter(d => d.environment === environment);
  let best = 0;
  for (let i = 0; i < history.length; i++) {
    if (history[i].version !== version) {
      continue;
    }
    const start = Date.parse(history[i].deployedAt);
    let end = now.getTime();
    for (let j = i + 1; j < history.length; j++) {
      if (history[j].version !== version) {
        end = Date.parse(history[j].deployedAt);
        break;
      }
    }
    best = Math.max(best, (end - start) / 3_600_000);
  }
  return best;
}

/**
 * Drift lifecycle of one module from its checks (oldest first): consecutive drifted checks of an
 * environment form an episode, resolved by the next clean check.
 */
export function driftLifecycle(
  checks: StoredDriftCheck[],
  environments: string[],
): { environments: EnvironmentDrift[]; episodes: DriftEpisode[] } {
  const episodes: DriftEpisode[] = [];
  const open = new Map<string, DriftEpisode>();
  const last = new Map<string, StoredDriftCheck>();
  for (const check of checks) {
    last.set(check.environment, check);
    const episode = open.get(check.environment);
    if (check.driftedResources > 0) {
      if (episode) {
        episode.lastSeenAt = check.checkedAt;
        episode.resources = check.resources ?? episode.resources;
      } else {
        const opened: DriftEpisode = {
          environment: check.environment,
          firstSeenAt: check.checkedAt,
          lastSeenAt: check.checkedAt,
          resources: check.resources ?? [],
        };
        open.set(check.environment, opened);
        episodes.push(opened);
      }
    } else if (episode) {
      episode.resolvedAt = check.checkedAt;
      open.delete(check.environment);
    }
  }
  const envNames = [
    ...environments,
    ...[...last.keys()].filter(e => !environments.includes(e)),
  ];
  return {
    environments: envNames.map(environment => {
      const check = last.get(environment);
      const episode = open.get(environment);
      return {
        environment,
        status: driftStatusOf(check),
        checkedAt: check?.checkedAt,
        driftedSince: episode?.firstSeenAt,
        resources: episode?.resources ?? [],
      };
    }),
    episodes: episodes.reverse(),
  };
}

export function driftStatusOf(
  check: StoredDriftCheck | undefined,
): DriftStatus {
  if (!check) {
    return 'unknown';
  }
  return check.driftedResources > 0 ? 'drifted' : 'clean';
}

export function combineDrift(statuses: DriftStatus[]): DriftStatus {
  if (statuses.includes('drifted')) return 'drifted';
  if (statuses.includes('clean')) return 'clean';
  return 'unknown';
}

export function environmentSummaries(
  environments: string[],
  deployments: StoredDeployment[],
  drift: Map<string, { status: DriftStatus; driftedSince?: string }>,
): ModuleEnvironmentSummary[] {
  const current = currentDeployments(deployments);
  return environments.map(environment => {
    const deployment = current.get(environment);
    const d = drift.get(environment);
    return {
      environment,
      version: deployment?.version,
      deployedAt: deployment?.deployedAt,
      drift: d?.status ?? 'unknown',
      driftedSince: d?.driftedSince,
    };
  });
}

export function maxIso(values: Array<string | undefined>): string | undefined {
  let max: string | undefined;
  for (const value of values) {
    if (value && (!max || value > max)) {
      max = value;
    }
  }
  return max;
}
