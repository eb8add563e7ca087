import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { DefaultComplianceService } from '../service/DefaultComplianceService';
import { DefaultModuleListService } from '../service/DefaultModuleListService';
import { DefaultPolicyEvaluator } from '../service/DefaultPolicyEvaluator';
import { ModuleAccess } from '../service/auth/ModuleAccess';
import { MlInfraConfig } from '../service/config';
import { DatabaseMlInfraStore } from './DatabaseMlInfraStore';
import { MlInfraStore, NewRun } from './MlInfraStore';
import { computeModuleStatuses, computeTrendRuns } from './statusProjection';

jest.setTimeout(300_000);

/*
 * The status projection against a full recomputation from history, after seeded random
 * sequences of every write that changes it. Time is the sequence's own (no wall clock).
 */

const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const MODULES = ['gpu-cluster', 'feature-store', 'vector-db', 'notebooks'];
const REFS = MODULES.map(m => `component:default/${m}`);
const VERSIONS = ['0.9.0', '1.0.0', '1.1.0', '2.0.0'];
const RULES = ['ML-ENC-001', 'ML-TAG-002', 'ML-NET-003', 'ML-IAM-004'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
const STEPS = 160;
const CHECKPOINT = 40;
const HOUR = 3_600_000;

/** Seeded generator (pure-rand xoroshiro128+), numbers in [0, 1), the same on every machine. */
function rng(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => unsafeUniformIntDistribution(0, 0xffffffff, generator) / 2 ** 32;
}

function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'terraform-module', owner: `group:default/team-${name}` },
  };
}

/** A store whose projection reads recompute from history: the oracle. */
function fromHistory(store: MlInfraStore): MlInfraStore {
  return Object.assign(Object.create(store), {
    listModuleStatuses: ({ entityRefs }: { entityRefs: string[] }) =>
      computeModuleStatuses(store, entityRefs),
    listPolicyTrend: async (options: { entityRefs: string[]; since: Date }) =>
      computeTrendRuns(
        store,
        await store.listRunHeadsSince({ ...options, kind: 'policy' }),
      ),
  });
}

/** JSON as the projection stores it (undefined fields dropped). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

async function runSequence(
  store: MlInfraStore,
  seed: number,
  check: (step: number, now: Date) => Promise<void>,
) {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];
  let now = Date.parse('2026-11-01T08:00:00.000Z');
  let runNo = 0;
  const runs: NewRun[] = [];
  const deployRuns: Array<{ ref: string; env: string; runId: string }> = [];
  const waivers: string[] = [];

  const newRun = (kind: NewRun['kind'], ref: string): NewRun => {
    // A replay now and then: the same identity again, reported anew.
    const earlier = runs.filter(r => r.kind === kind && r.entityRef === ref);
    if (earlier.length > 0 && random() < 0.25) {
      return { ...pick(earlier), reportedAt: new Date(now) };
    }
    const run: NewRun = {
      entityRef: ref,
      kind,
      run: { provider: 'github', runId: `${seed}-${++runNo}`, attempt: 1 },
      version: kind === 'drift' ? undefined : pick([...VERSIONS, undefined]),
      environment:
        kind === 'tests' ? undefined : pick([...ENVIRONMENTS, undefined]),
      status: 'passed',
      reportedAt: new Date(now),
      summary: {},
    };
    if (kind === 'drift') run.environment = pick(ENVIRONMENTS);
    runs.push(run);
    return run;
  };

  for (let step = 1; step <= STEPS; step++) {
    // Strictly increasing time: no two writes share a timestamp.
    now += Math.floor(1 + random() * 20) * HOUR + step;
    const ref = pick(REFS);
    const op = random();
    if (op < 0.18) {
      const run = newRun('tests', ref);
      const status = pick(['passed', 'failed', 'error']);
      await store.saveTestRun({ ...run, status }, [
        {
          name: 'TestA',
          suite: 's',
          status: status === 'passed' ? 'passed' : 'failed',
          attempts: 1,
          flaky: false,
        },
      ]);
    } else if (op < 0.4) {
      const run = newRun('policy', ref);
      const results = RULES.filter(() => random() < 0.6).map(rule => ({
        rule,
        control: random() < 0.5 ? `CIS-${rule.slice(-1)}` : undefined,
        severity: pick(SEVERITIES),
        outcome: pick(['passed', 'warned', 'failed'] as const),
        resource: pick(['aws_s3_bucket.a', 'aws_s3_bucket.b', undefined]),
        count: 1 + Math.floor(random() * 3),
      }));
      await store.savePolicyRun({ ...run, status: 'failed' }, results);
    } else if (op < 0.52) {
      const run = newRun('drift', ref);
      const drifted = random() < 0.5;
      await store.saveDriftCheck(
        { ...run, status: drifted ? 'drifted' : 'clean' },
        drifted
          ? [
              {
                address: 'aws_s3_bucket.a',
                type: 'aws_s3_bucket',
                action: 'update',
                source: 'drift',
              } as any,
            ]
          : [],
      );
    } else if (op < 0.56) {
      await store.saveCiRun(newRun('ci', ref));
    } else if (op < 0.66) {
      await store.upsertRelease({
        entityRef: ref,
        version: pick(VERSIONS),
        releasedAt: new Date(now),
        changelog: `step ${step}`,
      });
    } else if (op < 0.78) {
      const env = pick(ENVIRONMENTS);
      const replay = deployRuns.filter(d => d.ref === ref && d.env === env);
      const runId =
        replay.length > 0 && random() < 0.3
          ? pick(replay).runId
          : `${seed}-d${++runNo}`;
      deployRuns.push({ ref, env, runId });
      await store.addDeployment({
        entityRef: ref,
        environment: env,
        version: pick(VERSIONS),
        action: random() < 0.2 ? 'rollback' : 'deploy',
        deployedAt: new Date(now),
        run: { provider: 'github', runId, attempt: 1 },
      });
    } else if (op < 0.81) {
      await store.registerModule(
        ref,
        random() < 0.5 ? undefined : ENVIRONMENTS.filter(() => random() < 0.7),
      );
    } else if (op < 0.89) {
      const waiver = await store.createWaiver({
        entityRef: ref,
        rule: pick(RULES),
        environment: pick([...ENVIRONMENTS, undefined]),
        version: pick([...VERSIONS, undefined]),
        resource: pick(['aws_s3_bucket.a', undefined]),
        justification: 'tracked',
        requestedBy: 'user:default/owner',
        requestedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + (1 + random() * 100) * HOUR).toISOString(),
      });
      waivers.push(waiver.id);
    } else if (op < 0.97 && waivers.length > 0) {
      const id = pick(waivers);
      const approve = random() < 0.7;
      const decided = await store.decideWaiver(
        id,
        approve ? ['pending'] : ['pending', 'approved'],
        approve ? 'approved' : pick(['rejected', 'revoked'] as const),
        {
          action: approve ? 'approved' : 'revoked',
          actor: 'user:default/governance',
          at: new Date(now).toISOString(),
        },
      );
      expect(decided === undefined || decided.id === id).toBe(true);
    } else {
      await store.expireWaivers(new Date(now));
    }
    if (step % CHECKPOINT === 0) {
      await check(step, new Date(now));
    }
  }
}

describe('status projection', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const config = { environments: ENVIRONMENTS } as MlInfraConfig;
  const entities = MODULES.map(entity);
  const access = {
    listReadable: async () => entities,
  } as unknown as ModuleAccess;

  const cases = databases
    .eachSupportedId()
    .flatMap(([id]) => [1, 2, 3].map(seed => [id, seed] as const));

  it.each(cases)(
    'matches a recomputation from history, %p, seed %p',
    async (databaseId, seed) => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMlInfraStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const oracle = fromHistory(store);
      // The services for the projection live through the whole sequence, as in a replica:
      // what they keep from one request to the next must follow every write and the clock.
      let clock = new Date(0);
      const services = (s: MlInfraStore) => {
        const policy = DefaultPolicyEvaluator.create({
          store: s,
          config,
          now: () => clock,
        });
        const deps = { store: s, config, access, policy, now: () => clock };
        return {
          list: DefaultModuleListService.create(deps),
          compliance: DefaultComplianceService.create(deps),
        };
      };
      const fast = services(store);
      await runSequence(store, seed, async (step, now) => {
        clock = now;
        const projected = await store.listModuleStatuses({ entityRefs: REFS });
        const recomputed = await computeModuleStatuses(store, [
          ...projected.keys(),
        ]);
        expect({ step, statuses: Object.fromEntries(projected) }).toEqual({
          step,
          statuses: plain(Object.fromEntries(recomputed)),
        });
        const since = new Date(0);
        expect(
          await store.listPolicyTrend({ entityRefs: REFS, since }),
        ).toEqual(
          plain(await oracle.listPolicyTrend({ entityRefs: REFS, since })),
        );

        // And what the API answers from it, against the same answers from history: now, again
        // (from what the services kept), and later on without writes (waivers lapse, the
        // trend's days move on).
        const credentials = mockCredentials.user();
        for (const hours of [0, 0, 2, 8, 24, 72]) {
          const at = new Date(now.getTime() + hours * HOUR);
          clock = at;
          expect({
            step,
            at,
            compliance: await fast.compliance.getCompliance(credentials),
          }).toEqual({
            step,
            at,
            compliance: await services(oracle).compliance.getCompliance(
              credentials,
            ),
          });
        }
        clock = now;
        const slow = services(oracle);
        for (const query of [
          {},
          { status: 'healthy' as const },
          { sort: 'latestVersion' as const },
        ]) {
          expect(await fast.list.listModules(query, credentials)).toEqual(
            await slow.list.listModules(query, credentials),
          );
        }
      });
      // Every module with history has its row.
      const rows = await knex('module_status').pluck('entity_ref');
      expect(rows.sort()).toEqual(
        [
          ...new Set(
            (await knex('runs').pluck('entity_ref')).concat(
              await knex('releases').pluck('entity_ref'),
              await knex('deployments').pluck('entity_ref'),
              await knex('waivers').pluck('entity_ref'),
              await knex('modules').pluck('entity_ref'),
            ),
          ),
        ].sort(),
      );
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'ends up as history says after concurrent writes for one module, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMlInfraStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const ref = REFS[0];
      const at = (i: number) =>
        new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * HOUR);
      // Every write in flight at once, on as many connections as the pool has (PostgreSQL).
      await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const version = VERSIONS[i % VERSIONS.length];
          const run: NewRun = {
            entityRef: ref,
            kind: 'policy',
            run: { provider: 'github', runId: `c${i % 8}`, attempt: 1 },
            version,
            environment: ENVIRONMENTS[i % 3],
            status: 'failed',
            reportedAt: at(i),
            summary: {},
          };
          await store.savePolicyRun(run, [
            {
              rule: RULES[i % RULES.length],
              severity: 'high',
              outcome: 'failed',
              count: i + 1,
            },
          ]);
          await store.upsertRelease({
            entityRef: ref,
            version,
            releasedAt: at(i),
          });
          await store.addDeployment({
            entityRef: ref,
            environment: ENVIRONMENTS[i % 3],
            version,
            action: 'deploy',
            deployedAt: at(i),
          });
        }),
      );
      const projected = await store.listModuleStatuses({ entityRefs: [ref] });
      expect(Object.fromEntries(projected)).toEqual(
        plain(Object.fromEntries(await computeModuleStatuses(store, [ref]))),
      );
      const since = new Date(0);
      expect(await store.listPolicyTrend({ entityRefs: [ref], since })).toEqual(
        plain(
          await fromHistory(store).listPolicyTrend({
            entityRefs: [ref],
            since,
          }),
        ),
      );
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'is backfilled for history stored before its migration, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const migrations = { skip: false };
      let store = await DatabaseMlInfraStore.create({
        database: mockServices.database({ knex, migrations }),
      });
      await runSequence(store, 7, async () => {});
      const expected = plain(
        Object.fromEntries(
          await store.listModuleStatuses({ entityRefs: REFS }),
        ),
      );
      // Back to before the projection, then migrate again: the rows are recomputed.
      await knex.migrate.down({
        directory: resolvePackagePath(
          '@ml-infra-portal/plugin-ml-infra-backend',
          'migrations',
        ),
        name: '20261202120000_status_projection.js',
      });
      expect(await knex.schema.hasTable('module_status')).toBe(false);
      store = await DatabaseMlInfraStore.create({
        database: mockServices.database({ knex, migrations }),
      });
      expect(
        plain(
          Object.fromEntries(
            await store.listModuleStatuses({ entityRefs: REFS }),
          ),
        ),
      ).toEqual(expected);
      expect(
        await knex('module_status').whereNull('status').pluck('entity_ref'),
      ).toEqual([]);
      await knex.destroy();
    },
  );
});
