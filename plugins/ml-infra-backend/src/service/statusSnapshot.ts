import {
  MlInfraStore,
  ModuleStatus,
  PolicyFindings,
  RunHead,
  StoredDeployment,
  StoredDriftCheck,
} from '../database/MlInfraStore';
import { compareIso } from '../database/rows';
import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import {
  byEntity,
  driftLifecycle,
  latestPolicyRuns,
  latestRun,
  latestVersion,
} from './model';

/**
 * What the module list and the compliance overview need of each module. The services read it
 * from the store's status projection ({@link readStatusSnapshot}); {@link loadStatusSnapshot}
 * computes the same from history, which is how the projection is (re)computed.
 */
export interface StatusSnapshot {
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
  /** When the drift of a drifted environment began, by `driftKey`. */
  driftedSince: Map<string, string>;
  waivers: Waiver[];
  registered: Map<string, string[] | undefined>;
}

/** A snapshot read from the projection, with what the reads need besides. */
export interface ProjectedSnapshot extends StatusSnapshot {
  /** Findings of every module's `policyRuns`. */
  findings: PolicyFindings;
  /** Releases whose latest test run did not pass (or that have none). */
  untested: Array<{
    entityRef: string;
    version: string;
    releasedAt: string;
    status?: string;
  }>;
}

/** The status rows of some modules, once each, and their waivers. */
export interface ModuleStatuses {
  /** Each module once, in the order asked for (no row yet: undefined). */
  byRef: Map<string, ModuleStatus | undefined>;
  /** Every waiver of the modules, newest request first. */
  waivers: Waiver[];
}

/** The rows of many modules from the store's projection: one row per module. */
export async function readModuleStatuses(
  store: MlInfraStore,
  refs: string[],
): Promise<ModuleStatuses> {
  const statuses: Map<string, ModuleStatus> =
    refs.length > 0
      ? await store.listModuleStatuses({ entityRefs: refs })
      : new Map();
  const byRef = new Map<string, ModuleStatus | undefined>();
  const waivers: Waiver[] = [];
  for (const ref of refs) {
    if (byRef.has(ref)) continue;
    const status = statuses.get(ref);
    byRef.set(ref, status);
    if (status) waivers.push(...status.waivers);
  }
  waivers.sort((a, b) => compareIso(b.requestedAt, a.requestedAt));
  return { byRef, waivers };
}

/** The status of many modules from the store's projection, as a snapshot. */
export async function readStatusSnapshot(
  store: MlInfraStore,
  refs: string[],
): Promise<ProjectedSnapshot> {
  const { byRef, waivers } = await readModuleStatuses(store, refs);
  const snapshot: ProjectedSnapshot = {
    latest: new Map(),
    latestReleasedAt: new Map(),
    lastReleasedAt: new Map(),
    testRun: new Map(),
    policyRuns: new Map(),
    lastReported: new Map(),
    deployments: new Map(),
    latestChecks: new Map(),
    driftedSince: new Map(),
    waivers,
    registered: new Map(),
    findings: { warned: [], failed: [], runsWithResults: [] },
    untested: [],
  };
  const set = <V>(map: Map<string, V>, ref: string, value: V | undefined) => {
    if (value !== undefined) map.set(ref, value);
  };
  for (const [ref, status] of byRef) {
    snapshot.latest.set(ref, status?.latest);
    snapshot.registered.set(ref, status?.environments);
    if (!status) continue;
    set(snapshot.latestReleasedAt, ref, status.latestReleasedAt);
    set(snapshot.lastReleasedAt, ref, status.lastReleasedAt);
    set(snapshot.testRun, ref, status.testRun);
    set(snapshot.lastReported, ref, status.lastReported);
    snapshot.policyRuns.set(ref, status.policyRuns);
    if (status.deployments.length > 0) {
      snapshot.deployments.set(ref, status.deployments);
    }
    if (status.latestChecks.length > 0) {
      snapshot.latestChecks.set(ref, status.latestChecks);
    }
    for (const [environment, since] of Object.entries(status.driftedSince)) {
      snapshot.driftedSince.set(driftKey(ref, environment), since);
    }
    snapshot.findings.warned.push(...status.findings.warned);
    snapshot.findings.failed.push(...status.findings.failed);
    snapshot.findings.runsWithResults.push(...status.findings.runsWithResults);
    snapshot.untested.push(
      ...status.untested.map(u => ({ entityRef: ref, ...u })),
    );
  }
  return snapshot;
}

/** The key of a module's environment in `StatusSnapshot.driftedSince`. */
export function driftKey(entityRef: string, environment: string): string {
  return `${entityRef}\u0000${environment}`;
}

/**
 * Status of many modules from aggregates: release versions, the runs of the latest version
 * only, the current deployment and latest drift check per environment, the last upload time.
 */
export async function loadStatusSnapshot(
  store: MlInfraStore,
  refs: string[],
): Promise<StatusSnapshot> {
  const [
    releases,
    lastReported,
    lastReleased,
    deployments,
    latestChecks,
    waivers,
    registered,
  ] = await Promise.all([
    store.listReleaseVersions({ entityRefs: refs }),
    store.lastReportedAt({ entityRefs: refs, kinds: ['tests', 'policy'] }),
    store.lastReleasedAt({ entityRefs: refs }),
    store.listCurrentDeployments({ entityRefs: refs }),
    store.listDriftChecks({ entityRefs: refs, latestOnly: true }),
    store.listWaivers({ entityRefs: refs }),
    store.listModules({ entityRefs: refs }),
  ]);
  const releasesByRef = byEntity(releases);
  const unreleased = refs.filter(ref => !releasesByRef.has(ref));
  const runVersions = byEntity(
    unreleased.length > 0
      ? await store.listRunVersions({
          entityRefs: unreleased,
          kinds: ['tests', 'policy'],
        })
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
      ? store.listRunHeadsOfVersions({
          versions: latest,
          kinds: ['tests', 'policy'],
        })
      : [],
    refs.length > 0 ? store.listReleasesOfVersions({ versions: latest }) : [],
    driftStarts(store, latestChecks),
  ]);
  const { testRun, policyRuns } = runsOfVersions(heads, latest);
  return {
    latest,
    latestReleasedAt: new Map(
      latestReleases.map(r => [r.entityRef, r.releasedAt]),
    ),
    lastReleasedAt: new Map(lastReleased.map(r => [r.entityRef, r.releasedAt])),
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

/**
 * Of the tests and policy runs of each module's version: the latest test run, and the latest
 * policy run per environment.
 */
export function runsOfVersions(
  heads: RunHead[],
  versions: Map<string, string | undefined>,
): { testRun: Map<string, RunHead>; policyRuns: Map<string, RunHead[]> } {
  const testRun = new Map<string, RunHead>();
  const policyRuns = new Map<string, RunHead[]>();
  for (const [ref, runs] of byEntity(heads)) {
    const version = versions.get(ref);
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
  return { testRun, policyRuns };
}

/** When an environment is drifted, its episode started after the last clean check. */
export async function driftStarts(
  store: MlInfraStore,
  latestChecks: StoredDriftCheck[],
): Promise<Map<string, string>> {
  const driftedRefs = [
    ...new Set(
      latestChecks.filter(c => c.driftedResources > 0).map(c => c.entityRef),
    ),
  ];
  const driftedSince = new Map<string, string>();
  if (driftedRefs.length > 0) {
    const history = await store.listDriftChecks({ entityRefs: driftedRefs });
    for (const [ref, checks] of byEntity(history)) {
      for (const env of driftLifecycle(checks, []).environments) {
        if (env.driftedSince) {
          driftedSince.set(driftKey(ref, env.environment), env.driftedSince);
        }
      }
    }
  }
  return driftedSince;
}
