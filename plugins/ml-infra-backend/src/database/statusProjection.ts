import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  driftKey,
  driftStarts,
  loadStatusSnapshot,
  runsOfVersions,
} from '../service/statusSnapshot';
import {
  MlInfraStore,
  ModuleStatus,
  PolicyFindings,
  RunHead,
  StoredDriftCheck,
  TrendRun,
} from './MlInfraStore';
import { isPostgres } from './bulkWrite';
import { compareIso } from './rows';

/*
 * The read models of the module list and the compliance overview (migration
 * 20261202120000_status_projection): `module_status`, one JSON row per module, and
 * `policy_trend`, one row per policy run with its findings. Every write that changes a module's
 * status recomputes the module's row from its history, in the write's own transaction, after
 * taking the module's lock: of two replicas writing for the same module, the second recomputes
 * after the first committed, so the row ends up as history says. A write says which part of the
 * status it changed ({@link StatusChange}); only that part is recomputed, the rest of the row
 * (current, since every write keeps it so under the same lock) is kept.
 */

/**
 * What a write changed: `all` (a release, a registration, a rebuild), or one part of the
 * status: `runs` (a tests or policy upload), `drift`, `deployments` or `waivers`.
 */
export type StatusChange = 'all' | 'runs' | 'drift' | 'deployments' | 'waivers';

/** Modules recomputed together (bounded by the store's `where in` handling). */
const REBUILD_CHUNK = 200;

/**
 * Serialises transactions on the same key until they end. PostgreSQL: a transaction-scoped
 * advisory lock, shared by every replica on the database. SQLite runs one writer at a time.
 */
export async function lockTransaction(trx: Knex.Transaction, key: string) {
  if (isPostgres(trx)) {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
      key,
    ]);
  }
}

/**
 * `target` with its async methods run one call at a time, in call order (a store on one
 * transaction's connection, which runs one query at a time).
 */
export function oneAtATime<T extends object>(target: T): T {
  let tail: Promise<unknown> = Promise.resolve();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = tail.then(() => value.apply(object, args));
        tail = result.catch(() => undefined);
        return result;
      };
    },
  });
}

/** Findings of some runs, split per run (failed results keep their order). */
export function findingsPerRun(
  findings: PolicyFindings,
  runIds: string[],
): Map<string, PolicyFindings> {
  const out = new Map<string, PolicyFindings>(
    runIds.map(id => [id, { warned: [], failed: [], runsWithResults: [] }]),
  );
  for (const w of findings.warned) out.get(w.runId)?.warned.push(w);
  for (const f of findings.failed) out.get(f.runId)?.failed.push(f);
  for (const id of findings.runsWithResults) {
    out.get(id)?.runsWithResults.push(id);
  }
  return out;
}

/** The findings of several runs (or modules) as one. */
export function mergeFindings(parts: PolicyFindings[]): PolicyFindings {
  return {
    warned: parts.flatMap(p => p.warned),
    failed: parts.flatMap(p => p.failed),
    runsWithResults: parts.flatMap(p => p.runsWithResults),
  };
}

/** The status of modules recomputed from their whole history (also the test's oracle). */
export async function computeModuleStatuses(
  store: MlInfraStore,
  refs: string[],
): Promise<Map<string, ModuleStatus>> {
  const snapshot = await loadStatusSnapshot(store, refs);
  const [findings, untested] = await Promise.all([
    findingsOfModules(
      store,
      new Map(refs.map(ref => [ref, snapshot.policyRuns.get(ref) ?? []])),
    ),
    store.listUntestedReleases({ entityRefs: refs }),
  ]);
  const out = new Map<string, ModuleStatus>();
  for (const ref of refs) {
    out.set(ref, {
      latest: snapshot.latest.get(ref),
      latestReleasedAt: snapshot.latestReleasedAt.get(ref),
      lastReleasedAt: snapshot.lastReleasedAt.get(ref),
      testRun: snapshot.testRun.get(ref),
      policyRuns: snapshot.policyRuns.get(ref) ?? [],
      findings: findings.get(ref)!,
      lastReported: snapshot.lastReported.get(ref),
      deployments: snapshot.deployments.get(ref) ?? [],
      ...driftOf(
        ref,
        snapshot.latestChecks.get(ref) ?? [],
        snapshot.driftedSince,
      ),
      environments: snapshot.registered.get(ref),
      waivers: snapshot.waivers.filter(w => w.entityRef === ref),
      untested: untestedOf(untested, ref),
    });
  }
  return out;
}

/** The findings of each module's policy runs, failed results in the order they were stored. */
async function findingsOfModules(
  store: MlInfraStore,
  policyRuns: Map<string, RunHead[]>,
): Promise<Map<string, PolicyFindings>> {
  const runIds = [...policyRuns.values()].flat().map(r => r.id);
  const perRun = findingsPerRun(
    runIds.length > 0
      ? await store.listPolicyFindings({ runIds })
      : { warned: [], failed: [], runsWithResults: [] },
    runIds,
  );
  return new Map(
    [...policyRuns].map(([ref, runs]) => [
      ref,
      mergeFindings(runs.map(r => perRun.get(r.id)!)),
    ]),
  );
}

/** A module's latest drift check per environment (without resources) and when drift began. */
function driftOf(
  ref: string,
  checks: StoredDriftCheck[],
  driftedSince: Map<string, string>,
): Pick<ModuleStatus, 'latestChecks' | 'driftedSince'> {
  const since: Record<string, string> = {};
  for (const check of checks) {
    const start = driftedSince.get(driftKey(ref, check.environment));
    if (start) since[check.environment] = start;
  }
  return {
    latestChecks: checks.map(({ resources, ...check }) => check),
    driftedSince: since,
  };
}

/** Policy runs with their findings, for `policy_trend`. */
export async function computeTrendRuns(
  store: MlInfraStore,
  runs: RunHead[],
): Promise<TrendRun[]> {
  if (runs.length === 0) return [];
  const perRun = findingsPerRun(
    await store.listPolicyFindings({ runIds: runs.map(r => r.id) }),
    runs.map(r => r.id),
  );
  return runs.map(run => ({ run, findings: perRun.get(run.id)! }));
}

/**
 * Takes the modules' locks until the transaction ends (taken again, a lock is held once), in
 * one order, so that two writers cannot deadlock on them. Returns the modules in that order.
 */
export async function lockModules(
  trx: Knex.Transaction,
  refs: string[],
): Promise<string[]> {
  const unique = [...new Set(refs)].sort();
  for (const ref of unique) {
    await lockTransaction(trx, `ml-infra:module:${ref}`);
  }
  return unique;
}

/**
 * Recomputes the status rows of the modules within `trx` (the part `change` says, or all of a
 * module without a row yet), each module's lock held until the transaction ends.
 */
export async function refreshModuleStatus(
  trx: Knex.Transaction,
  store: MlInfraStore,
  refs: string[],
  change: StatusChange = 'all',
): Promise<void> {
  const unique = await lockModules(trx, refs);
  for (let i = 0; i < unique.length; i += REBUILD_CHUNK) {
    const chunk = unique.slice(i, i + REBUILD_CHUNK);
    const current =
      change === 'all'
        ? new Map<string, ModuleStatus>()
        : await store.listModuleStatuses({ entityRefs: chunk });
    const statuses = await updateStatuses(store, current, change);
    const rest = chunk.filter(ref => !statuses.has(ref));
    if (rest.length > 0) {
      for (const [ref, status] of await computeModuleStatuses(store, rest)) {
        statuses.set(ref, status);
      }
    }
    await writeModuleStatuses(trx, statuses);
  }
}

/**
 * The modules' rows with the changed part recomputed from history; a module whose part cannot
 * be recomputed alone is left out (the caller recomputes all of it). The latest version of a
 * module without releases comes from its runs, so its runs change everything that follows it.
 */
async function updateStatuses(
  store: MlInfraStore,
  current: Map<string, ModuleStatus>,
  change: StatusChange,
): Promise<Map<string, ModuleStatus>> {
  const out = new Map<string, ModuleStatus>();
  const refs = [...current.keys()].filter(
    ref => change !== 'runs' || current.get(ref)!.lastReleasedAt !== undefined,
  );
  if (change === 'all' || refs.length === 0) return out;
  // Copies: the rows read are shared, frozen values.
  for (const ref of refs) out.set(ref, { ...current.get(ref)! });
  switch (change) {
    case 'runs': {
      const versions = new Map(refs.map(ref => [ref, out.get(ref)!.latest]));
      const [heads, lastReported, untested] = await Promise.all([
        store.listRunHeadsOfVersions({ versions, kinds: ['tests', 'policy'] }),
        store.lastReportedAt({ entityRefs: refs, kinds: ['tests', 'policy'] }),
        store.listUntestedReleases({ entityRefs: refs }),
      ]);
      const runs = runsOfVersions(heads, versions);
      const findings = await findingsOfModules(
        store,
        new Map(refs.map(ref => [ref, runs.policyRuns.get(ref) ?? []])),
      );
      for (const ref of refs) {
        Object.assign(out.get(ref)!, {
          testRun: runs.testRun.get(ref),
          policyRuns: runs.policyRuns.get(ref) ?? [],
          findings: findings.get(ref)!,
          lastReported: lastReported.find(r => r.entityRef === ref)?.reportedAt,
          untested: untestedOf(untested, ref),
        });
      }
      break;
    }
    case 'drift': {
      const checks = await store.listDriftChecks({
        entityRefs: refs,
        latestOnly: true,
      });
      const since = await driftStarts(store, checks);
      for (const ref of refs) {
        Object.assign(
          out.get(ref)!,
          driftOf(
            ref,
            checks.filter(c => c.entityRef === ref),
            since,
          ),
        );
      }
      break;
    }
    case 'deployments': {
      const deployments = await store.listCurrentDeployments({
        entityRefs: refs,
      });
      for (const ref of refs) {
        out.get(ref)!.deployments = deployments.filter(
          d => d.entityRef === ref,
        );
      }
      break;
    }
    case 'waivers': {
      const waivers = await store.listWaivers({ entityRefs: refs });
      for (const ref of refs) {
        out.get(ref)!.waivers = waivers.filter(w => w.entityRef === ref);
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** A module's untested releases, oldest release first. */
function untestedOf(
  untested: Array<{
    entityRef: string;
    version: string;
    releasedAt: string;
    status?: string;
  }>,
  ref: string,
): ModuleStatus['untested'] {
  return untested
    .filter(u => u.entityRef === ref)
    .map(({ entityRef, ...u }) => u)
    .sort(
      (a, b) =>
        compareIso(a.releasedAt, b.releasedAt) ||
        a.version.localeCompare(b.version),
    );
}

async function writeModuleStatuses(
  trx: Knex.Transaction,
  statuses: Map<string, ModuleStatus>,
) {
  const now = new Date();
  const rows = [...statuses].map(([ref, status]) => ({
    entity_ref: ref,
    status: JSON.stringify(status),
    revision: randomUUID(),
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await trx('module_status')
      .insert(rows.slice(i, i + 100))
      .onConflict('entity_ref')
      .merge();
  }
}

/** The tables that hold a module's history. */
const HISTORY_TABLES = [
  'modules',
  'runs',
  'releases',
  'deployments',
  'drift_checks',
  'waivers',
];

/** Every module that has any history, as the migration's backfill finds them. */
export async function historyRefs(db: Knex): Promise<string[]> {
  const refs = new Set<string>();
  for (const table of HISTORY_TABLES) {
    const rows: string[] = await db(table)
      .distinct('entity_ref')
      .pluck('entity_ref');
    for (const ref of rows) refs.add(ref);
  }
  return [...refs].sort();
}

/** Replaces the trend rows of the modules with rows computed from their policy runs. */
export async function rebuildTrendRuns(
  trx: Knex.Transaction,
  store: MlInfraStore,
  refs: string[],
): Promise<void> {
  // Locked first: a policy upload of one of them writes its trend row under the same lock.
  await lockModules(trx, refs);
  const runs = await store.listRunHeadsSince({
    entityRefs: refs,
    kind: 'policy',
    since: new Date(0),
  });
  await trx('policy_trend').whereIn('entity_ref', refs).delete();
  await writeTrendRuns(trx, await computeTrendRuns(store, runs));
}

/** Writes the trend rows of policy runs (replacing rows of the same runs). */
export async function writeTrendRuns(
  trx: Knex.Transaction,
  runs: TrendRun[],
): Promise<void> {
  const rows = runs.map(({ run, findings }) => ({
    run_id: run.id,
    entity_ref: run.entityRef,
    version: run.version ?? null,
    environment: run.environment ?? null,
    status: run.status,
    reported_at: new Date(run.reportedAt),
    attempt: run.attempt,
    findings: JSON.stringify(findings),
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await trx('policy_trend')
      .insert(rows.slice(i, i + 100))
      .onConflict('run_id')
      .merge();
  }
}

/** A parsed value shared by readers: frozen, so that no reader changes it for the others. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Parsed rows of one replica, each valid for one revision of its row (a status row gets a new
 * revision with every write; a trend row never changes for its run). A read asks the table
 * which revisions are current and parses only rows it has not seen: the JSON of 2,000 modules
 * is not parsed on every request.
 */
export class ParsedRows<T> {
  private readonly rows = new Map<string, { revision: string; value: T }>();

  /** The parsed value of a row, when this revision of it was seen before. */
  get(key: string, revision: string): T | undefined {
    const row = this.rows.get(key);
    return row && row.revision === revision ? row.value : undefined;
  }

  set(key: string, revision: string, json: string): T {
    return this.put(key, revision, JSON.parse(json));
  }

  put(key: string, revision: string, value: T): T {
    this.rows.set(key, { revision, value: deepFreeze(value) });
    return value;
  }

  /**
   * Forgets rows the last read did not ask for, once there are many more of them. The read
   * asked for `count` rows; `keys` lists them, called only when rows are forgotten.
   */
  keepOnly(count: number, keys: () => Iterable<string>) {
    if (this.rows.size > 2 * count + 1000) {
      const kept = new Set(keys());
      for (const key of this.rows.keys()) {
        if (!kept.has(key)) this.rows.delete(key);
      }
    }
  }
}
