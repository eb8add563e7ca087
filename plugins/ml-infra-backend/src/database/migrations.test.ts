import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'fs';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@ml-infra-portal/plugin-ml-infra-backend',
  'migrations',
);
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

const tables = [
  'modules',
  'runs',
  'test_cases',
  'policy_results',
  'drift_checks',
  'releases',
  'deployments',
  'waivers',
  'waiver_audit',
];

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
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      for (let i = 0; i < migrationFiles.length; i++) {
        await knex.migrate.down(config);
      }
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      // And up again: down left nothing behind that blocks a re-run.
      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('runs')).toBe(true);
      await knex.destroy();
    },
  );
});
