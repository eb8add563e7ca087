/*
 * Read models of the module list and the compliance overview, so that their reads do not grow
 * with history (issue 12).
 *
 * - `module_status`: one row per module, its status as JSON (the latest version, current
 *   deployments, latest drift checks, the latest test and policy runs of the latest version with
 *   their policy findings, untested releases, waivers, …). Written by the store in the same
 *   transaction as every write that changes it.
 * - `policy_trend`: one row per policy run with its findings (warned and failed counts and the
 *   failed results), read by reporting time for the 30-day compliance trend.
 * - `drift_checks_drifted_idx`: the drifted checks by time (partial index, both engines), so the
 *   trend's drifted environments are read without scanning every module's checks.
 *
 * Backfill: `up` creates one `module_status` row per module that has any history, with no status
 * yet (`status` NULL). The store completes those rows (and their `policy_trend` rows) right after
 * migrating, with the same recomputation the writes use: the rules live in one place (the
 * TypeScript store), not here as well. Until then, reads recompute a row without status from
 * history.
 */

const HISTORY_TABLES = [
  'modules',
  'runs',
  'releases',
  'deployments',
  'drift_checks',
  'waivers',
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('module_status', table => {
    table.comment(
      'Per-module status read by the module list and compliance (a projection of history)',
    );
    table.string('entity_ref', 255).primary();
    table
      .string('revision', 36)
      .nullable()
      .comment(
        'New with every write of status: readers cache parsed rows by it',
      );
    table.timestamp('updated_at', { useTz: true }).nullable();
    // Last: SQLite reads the columns before it without walking its overflow pages.
    table
      .text('status')
      .nullable()
      .comment('JSON ModuleStatus; NULL until computed after the migration');
  });

  await knex.schema.createTable('policy_trend', table => {
    table.comment(
      'Per policy run findings, read by reporting time for the compliance trend',
    );
    table.string('run_id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('version', 128).nullable();
    table.string('environment', 64).nullable();
    table.string('status', 32).notNullable();
    table.timestamp('reported_at', { useTz: true }).notNullable();
    table.integer('attempt').notNullable();
    table
      .text('findings')
      .notNullable()
      .comment('JSON: warned per severity, failed results, any results');
    table.index(['reported_at'], 'policy_trend_reported_idx');
    table.index(['entity_ref'], 'policy_trend_entity_idx');
  });

  await knex.raw(
    'CREATE INDEX drift_checks_drifted_idx ON drift_checks (checked_at) WHERE drifted_resources > 0',
  );

  const refs = new Set();
  for (const name of HISTORY_TABLES) {
    for (const ref of await knex(name)
      .distinct('entity_ref')
      .pluck('entity_ref')) {
      refs.add(ref);
    }
  }
  const rows = [...refs].map(ref => ({ entity_ref: ref, status: null }));
  for (let i = 0; i < rows.length; i += 500) {
    await knex('module_status').insert(rows.slice(i, i + 500));
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX drift_checks_drifted_idx');
  await knex.schema.dropTable('policy_trend');
  await knex.schema.dropTable('module_status');
};
