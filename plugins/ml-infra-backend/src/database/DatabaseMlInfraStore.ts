import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  DriftResource,
  RunIdentity,
  Waiver,
  WaiverAuditEvent,
  WaiverStatus,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  MlInfraStore,
  ModuleFilter,
  ModuleStatus,
  NewDeployment,
  OfKinds,
  OfModules,
  OfRuns,
  OfVersions,
  NewPolicyResult,
  NewRun,
  NewTestCase,
  PolicyFindings,
  RunFilter,
  RunHead,
  RunKind,
  SaveResult,
  StoredDeployment,
  StoredRelease,
  StoredTestCase,
  TrendRun,
} from './MlInfraStore';
import { insertRows, isPostgres } from './bulkWrite';
import {
  computeModuleStatuses,
  computeTrendRuns,
  historyRefs,
  lockModules,
  lockTransaction,
  oneAtATime,
  ParsedRows,
  rebuildTrendRuns,
  refreshModuleStatus,
  StatusChange,
  writeTrendRuns,
} from './statusProjection';
import {
  byCheckedAt,
  byReportedAt,
  DRIFT_CHECK_COLUMNS,
  opt,
  RUN_HEAD_COLUMNS,
  runIdentity,
  toDeployment,
  toDriftCheck,
  toIso,
  toPolicyResult,
  toRun,
  toRunHead,
  toWaiver,
  WaiverRow,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@ml-infra-portal/plugin-ml-infra-backend',
  'migrations',
);

/** knex's SQLite dialect fails above 500 rows in one insert; PostgreSQL takes more. */
function batchSize(knex: Knex): number {
  const client = String(knex.client.config.client);
  return client.includes('sqlite') ? 500 : 1000;
}

const TEST_CASE_COLUMNS = [
  'run_id',
  'name',
  'suite',
  'status',
  'duration_ms',
  'output',
  'output_truncated',
  'attempts',
  'flaky',
] as const;

const POLICY_RESULT_COLUMNS = [
  'run_id',
  'rule',
  'control',
  'severity',
  'outcome',
  'message',
  'resource',
  'filename',
  'count',
  'remediation_url',
] as const;

/** Tries of one run upload that loses races on the run identity before it answers 409. */
const SAVE_RUN_ATTEMPTS = 5;

/** Modules one transaction of a rebuild recomputes. */
const REBUILD_CHUNK = 200;

/** Caps the number of bound values of one `where in`, under SQLite's variable limit. */
const WHERE_IN_CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** How a run identity is named in lock keys and messages. */
function describeRun(run: RunIdentity): string {
  return `${run.provider}/${run.runId} attempt ${run.attempt}${
    run.leg ? ` leg '${run.leg}'` : ''
  }`;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** The knex implementation of {@link MlInfraStore}, on SQLite and PostgreSQL. */
export class DatabaseMlInfraStore implements MlInfraStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseMlInfraStore> {
    const knex = await options.database.getClient();
    const store = new DatabaseMlInfraStore(knex);
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
      // The migration's backfill: module rows it created without status.
      await store.rebuildStatus({ missingOnly: true });
    }
    return store;
  }

  private constructor(private readonly db: Knex) {}

  /** Status rows this replica parsed, by revision. */
  private readonly statuses = new ParsedRows<ModuleStatus>();

  /** Trend rows this replica read, by run. */
  private readonly trendRuns = new ParsedRows<TrendRun>();
  /** The trend rows of the last read, as read and sorted by time. */
  private lastTrend?: { found: TrendRun[]; sorted: TrendRun[] };

  /**
   * The store on a transaction's connection, its reads one at a time: a connection runs one
   * query at a time (node-postgres deprecates queueing them).
   */
  private static within(trx: Knex.Transaction): DatabaseMlInfraStore {
    return oneAtATime(new DatabaseMlInfraStore(trx));
  }

  /**
   * Runs `write` in a transaction and recomputes the status of the modules it returns: the part
   * it says it changed, or all of it.
   */
  private async writing<T>(
    write: (
      trx: Knex.Transaction,
    ) => Promise<{ result: T; refs: string[]; change?: StatusChange }>,
  ): Promise<T> {
    return this.db.transaction(async trx => {
      const { result, refs, change } = await write(trx);
      await refreshModuleStatus(
        trx,
        DatabaseMlInfraStore.within(trx),
        refs,
        change,
      );
      return result;
    });
  }

  async registerModule(entityRef: string, environments?: string[]) {
    try {
      return await this.writing(async trx => {
        const existing = await trx('modules')
          .where({ entity_ref: entityRef })
          .first();
        if (existing) {
          if (environments) {
            await trx('modules')
              .where({ entity_ref: entityRef })
              .update({ environments: JSON.stringify(environments) });
          }
          return {
            result: { created: false },
            refs: environments ? [entityRef] : [],
          };
        }
        await trx('modules').insert({
          entity_ref: entityRef,
          environments: environments ? JSON.stringify(environments) : null,
          registered_at: new Date(),
        });
        return { result: { created: true }, refs: [entityRef] };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return { created: false };
      }
      throw error;
    }
  }

  async getModule(entityRef: string) {
    const row = await this.db('modules')
      .where({ entity_ref: entityRef })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      entityRef: row.entity_ref as string,
      environments: row.environments
        ? (JSON.parse(row.environments) as string[])
        : undefined,
    };
  }

  async listModules({ entityRefs }: ModuleFilter = {}) {
    const rows = await this.whereInChunks(
      'modules',
      'entity_ref',
      entityRefs,
      q => q.select('*'),
    );
    return rows.map(row => ({
      entityRef: row.entity_ref as string,
      environments: row.environments
        ? (JSON.parse(row.environments) as string[])
        : undefined,
    }));
  }

  saveTestRun(
    run: NewRun,
    cases: NewTestCase[] | (() => AsyncIterable<NewTestCase[]>),
    options?: { latestAttemptWins?: boolean },
  ) {
    return this.saveRun(run, async (trx, runId) => {
      await insertRows(
        trx,
        'test_cases',
        TEST_CASE_COLUMNS,
        // A source is read again if the transaction is retried.
        Array.isArray(cases) ? cases : cases(),
        (c, out) => {
          out.push(
            runId,
            c.name,
            c.suite,
            c.status,
            c.durationMs === undefined || c.durationMs === null
              ? null
              : Math.round(c.durationMs),
            c.output ?? null,
            Boolean(c.outputTruncated),
            c.attempts ?? 1,
            Boolean(c.flaky),
          );
        },
      );
      if (options?.latestAttemptWins) {
        // A test seen again later in the report (a rerun): its last row stands for it.
        await trx.raw(
          `DELETE FROM test_cases WHERE id IN (
             SELECT id FROM (
               SELECT id, row_number() OVER (PARTITION BY suite, name ORDER BY id DESC) AS rn
               FROM test_cases WHERE run_id = ?
             ) ranked WHERE rn > 1
           )`,
          [runId],
        );
      }
    });
  }

  savePolicyRun(run: NewRun, results: NewPolicyResult[]) {
    return this.saveRun(run, async (trx, runId) => {
      await insertRows(
        trx,
        'policy_results',
        POLICY_RESULT_COLUMNS,
        results,
        (r, out) => {
          out.push(
            runId,
            r.rule.slice(0, 255),
            r.control?.slice(0, 255) ?? null,
            r.severity,
            r.outcome,
            r.message ?? null,
            r.resource ?? null,
            r.filename ?? null,
            r.count,
            r.remediationUrl ?? null,
          );
        },
      );
    });
  }

  saveDriftCheck(run: NewRun, resources: DriftResource[]) {
    return this.saveRun(run, async (trx, runId) => {
      await trx('drift_checks').insert({
        run_id: runId,
        entity_ref: run.entityRef,
        environment: run.environment,
        checked_at: run.reportedAt,
        drifted_resources: resources.length,
        resources: JSON.stringify(resources),
      });
    });
  }

  saveCiRun(run: NewRun) {
    return this.saveRun(run, async () => {});
  }

  /**
   * Stores a run, replacing an earlier upload of the same run identity. When the same run is
   * uploaded concurrently (a CI retry racing its first attempt, possibly on another replica), the
   * uploads are serialised by a lock on the run identity (PostgreSQL); a transaction that still
   * loses the race on `runs_identity_uq` is retried: it then sees the winner's committed run and
   * replaces it, so the client is told 200 instead of a spurious conflict.
   */
  private async saveRun(
    run: NewRun,
    writeChildren: (trx: Knex.Transaction, runId: string) => Promise<void>,
  ): Promise<SaveResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.saveRunOnce(run, writeChildren);
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        if (attempt >= SAVE_RUN_ATTEMPTS) {
          throw new ConflictError(
            `Run ${describeRun(run.run)} is being reported concurrently; retry`,
          );
        }
      }
    }
  }

  private async saveRunOnce(
    run: NewRun,
    writeChildren: (trx: Knex.Transaction, runId: string) => Promise<void>,
  ): Promise<SaveResult> {
    const id = randomUUID();
    return this.writing(async trx => {
      const identity = {
        kind: run.kind,
        provider: run.run.provider,
        run_id: run.run.runId,
        attempt: run.run.attempt,
        leg: run.run.leg ?? '',
      };
      // Uploads of one run identity replace each other one at a time, across replicas.
      await lockTransaction(
        trx,
        `ml-infra:run:${run.kind}|${run.run.provider}|${run.run.runId}|${
          run.run.attempt
        }|${run.run.leg ?? ''}`,
      );
      if (run.kind === 'policy') {
        // Its trend row is written under the module's lock, as a rebuild rewrites them.
        await lockModules(trx, [run.entityRef]);
      }
      const existing = await trx('runs')
        .where(identity)
        .select('id', 'entity_ref')
        .first();
      if (existing && existing.entity_ref !== run.entityRef) {
        throw new ConflictError(
          `Run ${describeRun(run.run)} already reported ${run.kind} for ${
            existing.entity_ref
          }`,
        );
      }
      if (existing) {
        // Children are deleted explicitly: SQLite only cascades with foreign keys enabled.
        await trx('test_cases').where({ run_id: existing.id }).delete();
        await trx('policy_results').where({ run_id: existing.id }).delete();
        await trx('drift_checks').where({ run_id: existing.id }).delete();
        await trx('policy_trend').where({ run_id: existing.id }).delete();
        await trx('runs').where({ id: existing.id }).delete();
      }
      await trx('runs').insert({
        id,
        entity_ref: run.entityRef,
        ...identity,
        version: run.version ?? null,
        environment: run.environment ?? null,
        format: run.format ?? null,
        status: run.status,
        reported_at: run.reportedAt,
        created_at: new Date(),
        summary: JSON.stringify(run.summary),
      });
      await writeChildren(trx, id);
      if (run.kind === 'policy') {
        const head: RunHead = {
          id,
          entityRef: run.entityRef,
          kind: run.kind,
          version: run.version,
          environment: run.environment,
          status: run.status,
          reportedAt: run.reportedAt.toISOString(),
          attempt: run.run.attempt,
        };
        await writeTrendRuns(
          trx,
          await computeTrendRuns(DatabaseMlInfraStore.within(trx), [head]),
        );
      }
      return {
        result: { id, replaced: Boolean(existing) },
        refs: [run.entityRef],
        change: run.kind === 'drift' ? 'drift' : 'runs',
      };
    });
  }

  async upsertRelease(
    release: Omit<StoredRelease, 'releasedAt'> & { releasedAt: Date },
  ): Promise<SaveResult> {
    const row = {
      entity_ref: release.entityRef,
      version: release.version,
      git_sha: release.gitSha ?? null,
      changelog: release.changelog ?? null,
      released_at: release.releasedAt,
      provider: release.run?.provider ?? null,
      run_id: release.run?.runId ?? null,
      attempt: release.run?.attempt ?? null,
      leg: release.run?.leg ?? '',
    };
    const id = `${release.entityRef}@${release.version}`;
    return this.writing(async trx => {
      const inserted = await trx('releases')
        .insert(row)
        .onConflict(['entity_ref', 'version'])
        .ignore()
        .returning('version');
      if (inserted.length === 0) {
        await trx('releases')
          .where({ entity_ref: release.entityRef, version: release.version })
          .update(row);
      }
      return {
        result: { id, replaced: inserted.length === 0 },
        refs: [release.entityRef],
      };
    });
  }

  async getRelease({
    entityRef,
    version,
  }: {
    entityRef: string;
    version: string;
  }) {
    const row = await this.db('releases')
      .where({ entity_ref: entityRef, version })
      .first();
    return row ? this.toRelease(row) : undefined;
  }

  async listReleases({ entityRefs }: ModuleFilter = {}) {
    const rows = await this.whereInChunks(
      'releases',
      'entity_ref',
      entityRefs,
      q => q.select('*'),
    );
    return rows.map(r => this.toRelease(r));
  }

  private toRelease(row: any): StoredRelease {
    return {
      entityRef: row.entity_ref,
      version: row.version,
      gitSha: opt(row.git_sha),
      changelog: opt(row.changelog),
      releasedAt: toIso(row.released_at),
      run: runIdentity(row),
    };
  }

  async addDeployment(deployment: NewDeployment): Promise<SaveResult> {
    const row = {
      entity_ref: deployment.entityRef,
      environment: deployment.environment,
      version: deployment.version,
      action: deployment.action,
      deployed_at: deployment.deployedAt,
      reported_deployed_at: deployment.reportedDeployedAt ?? null,
      deployed_by: deployment.deployedBy ?? null,
      reported_by: deployment.reportedBy ?? null,
      run_url: deployment.runUrl ?? null,
      provider: deployment.run?.provider ?? null,
      run_id: deployment.run?.runId ?? null,
      attempt: deployment.run?.attempt ?? null,
      leg: deployment.run?.leg ?? '',
    };
    return this.writing(async trx => {
      let replaced = false;
      if (deployment.run) {
        // The deployments table has no unique key on the run identity: without the lock, two
        // concurrent uploads of one deployment (on two replicas) both delete nothing and both
        // insert.
        await lockTransaction(
          trx,
          `ml-infra:deployment:${deployment.entityRef}|${
            deployment.environment
          }|${deployment.run.provider}|${deployment.run.runId}|${
            deployment.run.attempt
          }|${deployment.run.leg ?? ''}`,
        );
        const identity = {
          entity_ref: deployment.entityRef,
          environment: deployment.environment,
          provider: deployment.run.provider,
          run_id: deployment.run.runId,
          attempt: deployment.run.attempt,
          leg: deployment.run.leg ?? '',
        };
        // A replay keeps the arrival time of the first report: sending it again must not restart
        // (or otherwise move) the soak time the gate counts.
        const first = await trx('deployments')
          .where(identity)
          .orderBy('deployed_at')
          .first('deployed_at');
        if (first) {
          row.deployed_at = new Date(toIso(first.deployed_at));
        }
        const deleted = await trx('deployments').where(identity).delete();
        replaced = deleted > 0;
      }
      const [inserted] = await trx('deployments').insert(row).returning('id');
      const id = typeof inserted === 'object' ? inserted.id : inserted;
      return {
        result: { id: String(id), replaced },
        refs: [deployment.entityRef],
        change: 'deployments',
      };
    });
  }

  async listDeployments({ entityRefs }: ModuleFilter = {}) {
    const rows = await this.whereInChunks(
      'deployments',
      'entity_ref',
      entityRefs,
      q => q.select('*'),
    );
    return rows
      .map(toDeployment)
      .sort(
        (a, b) =>
          a.deployedAt.localeCompare(b.deployedAt) ||
          Number(a.id) - Number(b.id),
      );
  }

  async listRuns(filter: RunFilter) {
    const rows = await this.whereInChunks(
      'runs',
      'entity_ref',
      filter.entityRefs,
      q => {
        const query = q.select('*');
        if (filter.kind) {
          query.where('kind', filter.kind);
        }
        if (filter.version) {
          query.where('version', filter.version);
        }
        return query;
      },
    );
    return rows
      .map(toRun)
      .sort(
        (a, b) =>
          a.reportedAt.localeCompare(b.reportedAt) ||
          a.run.attempt - b.run.attempt,
      );
  }

  async listTestCases({
    runIds,
    ...options
  }: OfRuns & { failedOrFlakyOnly?: boolean; withSkipped?: boolean }) {
    const rows = await this.whereInChunks('test_cases', 'run_id', runIds, q => {
      const query = q.select('*').orderBy('id');
      if (options.failedOrFlakyOnly) {
        const statuses = options.withSkipped
          ? ['failed', 'skipped']
          : ['failed'];
        query.where(w => w.whereIn('status', statuses).orWhere('flaky', true));
      }
      return query;
    });
    return rows.map(
      (row): StoredTestCase => ({
        runId: row.run_id,
        name: row.name,
        suite: row.suite,
        status: row.status,
        durationMs: opt(row.duration_ms),
        output: opt(row.output),
        outputTruncated: Boolean(row.output_truncated),
        attempts: Number(row.attempts),
        flaky: Boolean(row.flaky),
      }),
    );
  }

  async listPolicyResults({
    runIds,
    ...options
  }: OfRuns & { outcomes?: string[] }) {
    const rows = await this.whereInChunks(
      'policy_results',
      'run_id',
      runIds,
      q => {
        const query = q.select('*').orderBy('id');
        if (options.outcomes) {
          query.whereIn('outcome', options.outcomes);
        }
        return query;
      },
    );
    return rows.map(toPolicyResult);
  }

  async countPolicyResults({ runIds }: OfRuns) {
    const rows = await this.whereInChunks(
      'policy_results',
      'run_id',
      runIds,
      q =>
        q
          .select('run_id', 'outcome', 'severity')
          .sum({ checks: 'count' })
          .groupBy('run_id', 'outcome', 'severity'),
    );
    return rows.map(row => ({
      runId: row.run_id as string,
      outcome: row.outcome as string,
      severity: row.severity as string,
      checks: Number(row.checks),
    }));
  }

  async listReleaseVersions({ entityRefs }: OfModules) {
    const rows = await this.whereInChunks(
      'releases',
      'entity_ref',
      entityRefs,
      q => q.select('entity_ref', 'version'),
    );
    return rows.map(row => ({
      entityRef: row.entity_ref as string,
      version: row.version as string,
    }));
  }

  async listReleasesOfVersions({ versions }: OfVersions) {
    const out: Array<{
      entityRef: string;
      version: string;
      releasedAt: string;
    }> = [];
    for (const chunk of this.versionGroups(versions)) {
      const rows = await this.db('releases')
        .select('entity_ref', 'version', 'released_at')
        .where(where => {
          for (const [version, refs] of chunk) {
            if (version !== undefined) {
              where.orWhere(w =>
                w.where('version', version).whereIn('entity_ref', refs),
              );
            }
          }
        });
      out.push(
        ...rows.map(row => ({
          entityRef: row.entity_ref as string,
          version: row.version as string,
          releasedAt: toIso(row.released_at),
        })),
      );
    }
    return out;
  }

  async lastReleasedAt({ entityRefs }: OfModules) {
    const rows = await this.whereInChunks(
      'releases',
      'entity_ref',
      entityRefs,
      q =>
        q
          .select('entity_ref')
          .max({ last: 'released_at' })
          .groupBy('entity_ref'),
    );
    return rows
      .filter(row => row.last !== null && row.last !== undefined)
      .map(row => ({
        entityRef: row.entity_ref as string,
        releasedAt: toIso(row.last),
      }));
  }

  /** Modules grouped by their version, in chunks of at most WHERE_IN_CHUNK modules. */
  private versionGroups(
    versions: Map<string, string | undefined>,
  ): Array<Map<string | undefined, string[]>> {
    return chunks([...versions.keys()], WHERE_IN_CHUNK).map(chunk => {
      const byVersion = new Map<string | undefined, string[]>();
      for (const ref of chunk) {
        const version = versions.get(ref);
        byVersion.set(version, [...(byVersion.get(version) ?? []), ref]);
      }
      return byVersion;
    });
  }

  async listRunVersions({ entityRefs, kinds }: OfModules & OfKinds) {
    const rows = await this.whereInChunks('runs', 'entity_ref', entityRefs, q =>
      q
        .distinct('entity_ref', 'version')
        .whereIn('kind', kinds)
        .whereNotNull('version'),
    );
    return rows.map(row => ({
      entityRef: row.entity_ref as string,
      version: row.version as string,
    }));
  }

  async listRunHeadsOfVersions({ versions, kinds }: OfVersions & OfKinds) {
    // One query per chunk of modules: `(version = ? AND entity_ref IN (…)) OR …`, grouped by
    // version, so the (entity_ref, kind, version) index is used for each module.
    const out: RunHead[] = [];
    // A module without any version: its runs without a version.
    for (const byVersion of this.versionGroups(versions)) {
      const rows = await this.db('runs')
        .select(RUN_HEAD_COLUMNS)
        .whereIn('kind', kinds)
        .where(where => {
          for (const [version, refs] of byVersion) {
            where.orWhere(w => {
              if (version === undefined) {
                w.whereNull('version');
              } else {
                w.where('version', version);
              }
              w.whereIn('entity_ref', refs);
            });
          }
        });
      out.push(...rows.map(toRunHead));
    }
    return out.sort(byReportedAt);
  }

  async listRunHeadsSince({
    entityRefs,
    kind,
    since,
  }: OfModules & { kind: RunKind; since: Date }) {
    const rows = await this.whereInChunks('runs', 'entity_ref', entityRefs, q =>
      q
        .select(RUN_HEAD_COLUMNS)
        .where('kind', kind)
        .where('reported_at', '>=', since),
    );
    return rows.map(toRunHead).sort(byReportedAt);
  }

  async lastReportedAt({ entityRefs, kinds }: OfModules & OfKinds) {
    const rows = await this.whereInChunks('runs', 'entity_ref', entityRefs, q =>
      q
        .select('entity_ref')
        .max({ last: 'reported_at' })
        .whereIn('kind', kinds)
        .groupBy('entity_ref'),
    );
    return rows
      .filter(row => row.last !== null && row.last !== undefined)
      .map(row => ({
        entityRef: row.entity_ref as string,
        reportedAt: toIso(row.last),
      }));
  }

  async listCurrentDeployments({ entityRefs }: OfModules) {
    const latest = this.whereInList(
      this.db('deployments')
        .select('entity_ref', 'environment')
        .max({ latest_at: 'deployed_at' }),
      'deployments.entity_ref',
      entityRefs,
    )
      .groupBy('entity_ref', 'environment')
      .as('latest');
    const rows: any[] = await this.whereInList(
      this.db('deployments')
        .select('deployments.*')
        .join(latest, join =>
          join
            .on('deployments.entity_ref', 'latest.entity_ref')
            .andOn('deployments.environment', 'latest.environment')
            .andOn('deployments.deployed_at', 'latest.latest_at'),
        ),
      'deployments.entity_ref',
      entityRefs,
    );
    // Several deployments at the same time: the last inserted one is current.
    const current = new Map<string, StoredDeployment>();
    for (const deployment of rows.map(toDeployment)) {
      const key = `${deployment.entityRef}\u0000${deployment.environment}`;
      const seen = current.get(key);
      if (!seen || Number(deployment.id) > Number(seen.id)) {
        current.set(key, deployment);
      }
    }
    return [...current.values()].sort(
      (a, b) =>
        a.deployedAt.localeCompare(b.deployedAt) || Number(a.id) - Number(b.id),
    );
  }

  async listUntestedReleases({ entityRefs }: OfModules) {
    const latestTests = this.whereInList(
      this.db('runs')
        .select(
          'entity_ref',
          'version',
          'status',
          this.db.raw(
            'row_number() over (partition by entity_ref, version order by reported_at desc, attempt desc) as rn',
          ),
        )
        .where('kind', 'tests')
        .whereNotNull('version'),
      'runs.entity_ref',
      entityRefs,
    ).as('t');
    const rows: any[] = await this.whereInList(
      this.db('releases')
        .select(
          'releases.entity_ref',
          'releases.version',
          'releases.released_at',
          't.status',
        )
        .leftJoin(latestTests, join =>
          join
            .on('t.entity_ref', 'releases.entity_ref')
            .andOn('t.version', 'releases.version')
            .andOn('t.rn', this.db.raw('1')),
        )
        .where(w => w.whereNull('t.status').orWhereNot('t.status', 'passed')),
      'releases.entity_ref',
      entityRefs,
    );
    return rows.map(row => ({
      entityRef: row.entity_ref as string,
      version: row.version as string,
      releasedAt: toIso(row.released_at),
      status: opt(row.status as string | null),
    }));
  }

  async listDriftedChecksSince({
    entityRefs,
    since,
  }: OfModules & { since: Date }) {
    const rows = await this.whereInChunks(
      'drift_checks',
      'entity_ref',
      entityRefs,
      q =>
        q
          .select(DRIFT_CHECK_COLUMNS)
          // Literal, so the partial index on drifted checks applies.
          .whereRaw('drifted_resources > 0')
          .where('checked_at', '>=', since),
    );
    return rows.map(toDriftCheck).sort(byCheckedAt);
  }

  async listPolicyFindings({ runIds }: OfRuns): Promise<PolicyFindings> {
    // Only warned and failed rows are read (through the (run_id, outcome) index); whether a run
    // has any result at all is one index probe per run.
    const [warned, failed, withResults] = await this.all([
      () =>
        this.whereInChunks('policy_results', 'run_id', runIds, q =>
          q
            .select('run_id', 'severity')
            .sum({ checks: 'count' })
            .where('outcome', 'warned')
            .groupBy('run_id', 'severity'),
        ),
      () =>
        this.whereInChunks('policy_results', 'run_id', runIds, q =>
          q
            .select(
              'run_id',
              'rule',
              'control',
              'severity',
              'outcome',
              'resource',
              'count',
            )
            .where('outcome', 'failed')
            .orderBy('id'),
        ),
      () =>
        this.whereInChunks('runs', 'id', runIds, q =>
          q
            .select('runs.id')
            .whereExists(
              this.db('policy_results')
                .select(this.db.raw('1'))
                .whereRaw('policy_results.run_id = runs.id'),
            ),
        ),
    ]);
    return {
      warned: warned.map(row => ({
        runId: row.run_id as string,
        severity: row.severity as string,
        checks: Number(row.checks),
      })),
      failed: failed.map(toPolicyResult),
      runsWithResults: withResults.map(row => row.id as string),
    };
  }

  async listDriftChecks(options: {
    entityRefs?: string[];
    withResources?: boolean;
    latestOnly?: boolean;
  }) {
    const columns = [...DRIFT_CHECK_COLUMNS];
    if (options.withResources) {
      columns.push('resources');
    }
    const rows = await this.whereInChunks(
      'drift_checks',
      'entity_ref',
      options.entityRefs,
      q => {
        const query = q.select(columns.map(c => `drift_checks.${c}`));
        if (options.latestOnly) {
          query.whereNotExists(
            this.db('drift_checks as newer')
              .select(this.db.raw('1'))
              .whereRaw('newer.entity_ref = drift_checks.entity_ref')
              .whereRaw('newer.environment = drift_checks.environment')
              .whereRaw('newer.checked_at > drift_checks.checked_at'),
          );
        }
        return query;
      },
    );
    return rows.map(toDriftCheck).sort(byCheckedAt);
  }

  async createWaiver(
    waiver: Omit<
      Waiver,
      'id' | 'status' | 'decidedBy' | 'decidedAt' | 'decisionComment'
    >,
  ): Promise<Waiver> {
    const id = randomUUID();
    await this.writing(async trx => {
      await trx('waivers').insert({
        id,
        entity_ref: waiver.entityRef,
        rule: waiver.rule,
        environment: waiver.environment ?? null,
        version: waiver.version ?? null,
        resource: waiver.resource ?? null,
        justification: waiver.justification,
        requested_by: waiver.requestedBy,
        requested_at: new Date(waiver.requestedAt),
        expires_at: new Date(waiver.expiresAt),
        status: 'pending',
      });
      await trx('waiver_audit').insert({
        waiver_id: id,
        action: 'requested',
        actor: waiver.requestedBy,
        at: new Date(waiver.requestedAt),
        comment: waiver.justification,
      });
      return { result: undefined, refs: [waiver.entityRef], change: 'waivers' };
    });
    return (await this.getWaiver(id))!;
  }

  async getWaiver(id: string) {
    const row = await this.db<WaiverRow>('waivers').where({ id }).first();
    return row ? toWaiver(row) : undefined;
  }

  async listWaivers(filter: {
    entityRefs?: string[];
    statuses?: WaiverStatus[];
  }) {
    const rows = await this.whereInChunks(
      'waivers',
      'entity_ref',
      filter.entityRefs,
      q => {
        const query = q.select('*');
        if (filter.statuses) {
          query.whereIn('status', filter.statuses);
        }
        return query;
      },
    );
    return rows
      .map(r => toWaiver(r as WaiverRow))
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  }

  async decideWaiver(
    id: string,
    from: WaiverStatus[],
    to: WaiverStatus,
    event: Omit<WaiverAuditEvent, 'waiverId'>,
  ) {
    const updated = await this.writing(async trx => {
      const rows: Array<{ entity_ref: string }> = await trx('waivers')
        .where({ id })
        .whereIn('status', from)
        .update({
          status: to,
          decided_by: event.actor,
          decided_at: new Date(event.at),
          decision_comment: event.comment ?? null,
        })
        .returning('entity_ref');
      if (rows.length === 0) {
        return { result: false, refs: [] };
      }
      await trx('waiver_audit').insert({
        waiver_id: id,
        action: event.action,
        actor: event.actor,
        at: new Date(event.at),
        comment: event.comment ?? null,
      });
      return {
        result: true,
        refs: rows.map(r => r.entity_ref),
        change: 'waivers',
      };
    });
    return updated ? this.getWaiver(id) : undefined;
  }

  async listWaiverAudit(id: string) {
    const rows = await this.db('waiver_audit')
      .where({ waiver_id: id })
      .orderBy('id');
    return rows.map(
      (row): WaiverAuditEvent => ({
        waiverId: row.waiver_id,
        action: row.action,
        actor: row.actor,
        at: toIso(row.at),
        comment: opt(row.comment),
      }),
    );
  }

  async expireWaivers(now: Date) {
    return this.writing(async trx => {
      // The conditional update is the claim: of two replicas running this at once, only one
      // gets each row back, so each expiry is audited once.
      const rows: WaiverRow[] = await trx('waivers')
        .whereIn('status', ['approved', 'pending'])
        .where('expires_at', '<', now)
        .update({ status: 'expired' })
        .returning('*');
      if (rows.length > 0) {
        await this.insertBatches(
          trx,
          'waiver_audit',
          rows.map(row => ({
            waiver_id: row.id,
            action: 'expired',
            actor: 'system:ml-infra-waiver-expiry',
            at: now,
            comment: null,
          })),
        );
      }
      return {
        result: rows.map(toWaiver),
        refs: rows.map(row => row.entity_ref),
        change: 'waivers',
      };
    });
  }

  async listModuleStatuses({ entityRefs }: OfModules) {
    // The current revisions first; then the JSON of rows not parsed at that revision before.
    const heads = await this.whereInChunks(
      'module_status',
      'entity_ref',
      entityRefs,
      q => q.select('entity_ref', 'revision'),
    );
    const out = new Map<string, ModuleStatus>();
    const unseen: string[] = [];
    for (const { entity_ref: ref, revision } of heads) {
      const status = revision && this.statuses.get(ref, revision);
      if (status) out.set(ref, status);
      else unseen.push(ref);
    }
    const missing: string[] = [];
    const rows = unseen.length
      ? await this.whereInChunks('module_status', 'entity_ref', unseen, q =>
          q.select('entity_ref', 'revision', 'status'),
        )
      : [];
    for (const row of rows) {
      if (row.status) {
        out.set(
          row.entity_ref,
          this.statuses.set(row.entity_ref, row.revision, row.status),
        );
      } else {
        missing.push(row.entity_ref);
      }
    }
    this.statuses.keepOnly(out.size, () => out.keys());
    // Rows the migration created and the store did not complete yet: from history.
    if (missing.length > 0) {
      for (const [ref, status] of await computeModuleStatuses(this, missing)) {
        out.set(ref, status);
      }
    }
    return out;
  }

  async listPolicyTrend({
    entityRefs,
    since,
  }: OfModules & { since: Date }): Promise<TrendRun[]> {
    // By time through its index; a long module list is applied here rather than in SQL.
    const inSql = entityRefs.length <= WHERE_IN_CHUNK;
    const wanted = inSql ? undefined : new Set(entityRefs);
    const ids: string[] = [];
    for (const row of await this.whereInChunks(
      'policy_trend',
      'entity_ref',
      inSql ? entityRefs : undefined,
      q => q.select('run_id', 'entity_ref').where('reported_at', '>=', since),
    )) {
      if (!wanted || wanted.has(row.entity_ref)) ids.push(row.run_id);
    }
    // A trend row never changes for its run: it is read and parsed once.
    const unseen = ids.filter(id => !this.trendRuns.get(id, id));
    const rows = unseen.length
      ? await this.whereInChunks('policy_trend', 'run_id', unseen, q =>
          q.select('*'),
        )
      : [];
    for (const row of rows) {
      this.trendRuns.put(row.run_id, row.run_id, {
        run: toRunHead({ ...row, id: row.run_id, kind: 'policy' }),
        findings: JSON.parse(row.findings),
      });
    }
    this.trendRuns.keepOnly(ids.length, () => ids);
    const found: TrendRun[] = [];
    for (const id of ids) {
      const trendRun = this.trendRuns.get(id, id);
      if (trendRun) found.push(trendRun);
    }
    // The same rows in the same order as the last read: the same order by time (a sort is
    // stable, so ties keep the order read).
    const last = this.lastTrend;
    let same = last !== undefined && last.found.length === found.length;
    for (let i = 0; same && i < found.length; i++) {
      same = last!.found[i] === found[i];
    }
    if (!same) {
      this.lastTrend = {
        found,
        sorted: [...found].sort((a, b) => byReportedAt(a.run, b.run)),
      };
    }
    return this.lastTrend!.sorted.slice();
  }

  async rebuildStatus(
    options: { entityRefs?: string[]; missingOnly?: boolean } = {},
  ) {
    const refs = options.missingOnly
      ? await this.whereInChunks(
          'module_status',
          'entity_ref',
          options.entityRefs,
          q => q.whereNull('status').pluck('entity_ref'),
        )
      : options.entityRefs ?? (await historyRefs(this.db));
    // In chunks, one transaction each: every chunk is complete when it commits.
    for (let i = 0; i < refs.length; i += REBUILD_CHUNK) {
      const chunk = refs.slice(i, i + REBUILD_CHUNK);
      await this.writing(async trx => {
        await rebuildTrendRuns(trx, DatabaseMlInfraStore.within(trx), chunk);
        return { result: undefined, refs: chunk };
      });
    }
    return refs.length;
  }

  /** Runs queries at once, or one after the other on a transaction's one connection. */
  private async all<T>(queries: Array<() => Promise<T>>): Promise<T[]> {
    if (!(this.db as Knex.Transaction).isTransaction) {
      return Promise.all(queries.map(query => query()));
    }
    const out: T[] = [];
    for (const query of queries) out.push(await query());
    return out;
  }

  private async insertBatches(
    trx: Knex.Transaction,
    table: string,
    rows: object[],
  ) {
    if (rows.length > 0) {
      await this.db
        .batchInsert(table, rows as any[], batchSize(this.db))
        .transacting(trx);
    }
  }

  /**
   * Runs `build` on rows whose `column` is one of `values` (every row when values is undefined).
   * Short lists are bound one by one; long ones (a module list of thousands) as one value, so the
   * database scans the table once instead of once per chunk of bound values.
   */
  private async whereInChunks(
    table: string,
    column: string,
    values: string[] | undefined,
    build: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<any[]> {
    if (values === undefined) {
      return build(this.db(table));
    }
    return build(
      this.whereInList(this.db(table), `${table}.${column}`, values),
    );
  }

  /** `column IN (values)` for any number of string values, as one query. */
  private whereInList(
    query: Knex.QueryBuilder,
    column: string,
    values: string[],
  ): Knex.QueryBuilder {
    const unique = [...new Set(values)];
    if (unique.length <= WHERE_IN_CHUNK) {
      return query.whereIn(column, unique);
    }
    if (isPostgres(this.db)) {
      return query.whereRaw('?? = ANY(?::text[])', [
        column,
        toPgArrayLiteral(unique),
      ]);
    }
    return query.whereRaw('?? IN (SELECT value FROM json_each(?))', [
      column,
      JSON.stringify(unique),
    ]);
  }
}

/** A PostgreSQL text[] literal: every element quoted, quotes and backslashes escaped. */
function toPgArrayLiteral(values: string[]): string {
  // Entity refs hold neither quotes nor backslashes: one scan instead of two replaces each.
  if (values.length > 0 && !/["\\]/.test(values.join(''))) {
    return `{"${values.join('","')}"}`;
  }
  return `{${values
    .map(v => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',')}}`;
}
