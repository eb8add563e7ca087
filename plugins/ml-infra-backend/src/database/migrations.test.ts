import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'fs';
import { TABLES } from '../__testUtils__/backend';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@ml-infra-portal/plugin-ml-infra-backend',
  'migrations',
);
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('are timestamp-named', () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    for (const file of migrationFiles) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
    }
  });

  it.each(databases.eachSupportedId())(
    'run up and down one by one, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const config = { directory: migrationsDir };
      for (const file of migrationFiles) {
        await knex.migrate.up({ ...config, name: file });
      }
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      for (let i = 0; i < migrationFiles.length; i++) {
        await knex.migrate.down(config);
      }
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      // And up again: down left nothing behind that blocks a re-run.
      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('runs')).toBe(true);
      await knex.destroy();
    },
  );
});

/*
 * Database errors are matched by message, not with `toThrow`: better-sqlite3's native addon is
 * loaded once per process and keeps the error class of the first test file that opened a
 * database, so in a run-in-band jest process its errors are not `instanceof Error` of later files.
 */
const uniqueViolation = { message: expect.stringMatching(/unique|duplicate/i) };

describe('migration 20261202050000_run_leg', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const config = { directory: migrationsDir };
  const run = (id: string, leg?: string) => ({
    id,
    entity_ref: 'component:default/gpu',
    kind: 'drift',
    provider: 'github',
    run_id: '42',
    attempt: 1,
    ...(leg === undefined ? {} : { leg }),
    environment: leg || null,
    status: 'clean',
    reported_at: new Date('2026-12-01T00:00:00Z'),
    created_at: new Date('2026-12-01T00:00:00Z'),
    summary: '{}',
  });
  const check = (runId: string) => ({
    run_id: runId,
    entity_ref: 'component:default/gpu',
    environment: 'dev',
    checked_at: new Date('2026-12-01T00:00:00Z'),
    drifted_resources: 0,
    resources: '[]',
  });

  it.each(databases.eachSupportedId())(
    'keeps every leg of a run, and going down keeps one per run, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ ...config, name: '20261126120000_init.js' });
      await knex('runs').insert(run('before'));
      await knex.migrate.up({ ...config, name: '20261202050000_run_leg.js' });

      // The upload from before keeps its identity with the empty leg.
      expect(await knex('runs').where({ id: 'before' }).first()).toMatchObject({
        leg: '',
      });
      for (const leg of ['dev', 'staging', 'prod']) {
        await knex('runs').insert(run(leg, leg));
        await knex('drift_checks').insert(check(leg));
      }
      await expect(
        knex('runs').insert(run('dev-again', 'dev')),
      ).rejects.toMatchObject(uniqueViolation);
      expect(Number((await knex('runs').count({ n: '*' }).first())!.n)).toBe(4);

      await knex.migrate.down({ ...config, name: '20261202050000_run_leg.js' });
      expect(await knex('runs').pluck('id')).toEqual(['before']);
      expect(await knex('drift_checks').pluck('run_id')).toEqual([]);
      expect(await knex.schema.hasColumn('runs', 'leg')).toBe(false);
      expect(await knex.schema.hasColumn('deployments', 'leg')).toBe(false);
      // The old identity is unique again.
      await expect(knex('runs').insert(run('again'))).rejects.toMatchObject(
        uniqueViolation,
      );
      await knex.destroy();
    },
  );
});

describe('migration 20261202080000_policy_remediation_url', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const config = { directory: migrationsDir };
  const name = '20261202080000_policy_remediation_url.js';

  it.each(databases.eachSupportedId())(
    'adds the remediation link to policy results and keeps them going down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      for (const file of migrationFiles.filter(f => f < name)) {
        await knex.migrate.up({ ...config, name: file });
      }
      await knex('runs').insert({
        id: 'r1',
        entity_ref: 'component:default/gpu',
        kind: 'policy',
        provider: 'github',
        run_id: '1',
        attempt: 1,
        status: 'failed',
        reported_at: new Date('2026-12-01T00:00:00Z'),
        created_at: new Date('2026-12-01T00:00:00Z'),
        summary: '{}',
      });
      const result = {
        run_id: 'r1',
        rule: 'ML-ENC-001',
        severity: 'critical',
        outcome: 'failed',
        count: 1,
      };
      await knex('policy_results').insert(result);
      await knex.migrate.up({ ...config, name });
      expect(await knex('policy_results').pluck('remediation_url')).toEqual([
        null,
      ]);
      await knex('policy_results').insert({
        ...result,
        remediation_url: 'https://example.com/ML-ENC-001',
      });

      await knex.migrate.down({ ...config, name });
      expect(
        await knex.schema.hasColumn('policy_results', 'remediation_url'),
      ).toBe(false);
      expect(await knex('policy_results').pluck('rule')).toEqual([
        'ML-ENC-001',
        'ML-ENC-001',
      ]);
      await knex.destroy();
    },
  );
});
