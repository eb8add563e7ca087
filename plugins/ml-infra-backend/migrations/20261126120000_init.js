/*
 * Initial schema of the ML Infra backend.
 *
 * Everything is keyed by the module's catalog entity ref (lowercased `component:default/name`).
 * Timestamps are written explicitly by the store (no database defaults), so both engines hold the
 * same values.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modules', table => {
    table.comment(
      'Modules registered with the portal (scaffolder, first upload)',
    );
    table.string('entity_ref', 255).primary();
    table
      .text('environments')
      .nullable()
      .comment('JSON array of environments, when restricted');
    table.timestamp('registered_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('runs', table => {
    table.comment(
      'One upload of one CI run: tests, policy, drift check or CI metadata',
    );
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment('tests | policy | drift | ci');
    table.string('provider', 64).notNullable();
    table.string('run_id', 255).notNullable();
    table.integer('attempt').notNullable();
    table.string('version', 128).nullable();
    table.string('environment', 64).nullable();
    table.string('format', 32).nullable();
    table.string('status', 32).notNullable();
    table.timestamp('reported_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .text('summary')
      .notNullable()
      .comment('JSON: totals, counts, CI details');
    table.unique(['kind', 'provider', 'run_id', 'attempt'], {
      indexName: 'runs_identity_uq',
    });
    table.index(
      ['entity_ref', 'kind', 'version'],
      'runs_entity_kind_version_idx',
    );
  });

  await knex.schema.createTable('test_cases', table => {
    table.comment('Test cases of a tests run');
    table.bigIncrements('id');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.text('name').notNullable();
    table.text('suite').notNullable();
    table.string('status', 16).notNullable();
    table.integer('duration_ms').nullable();
    table.text('output').nullable();
    table.boolean('output_truncated').notNullable().defaultTo(false);
    table.integer('attempts').notNullable().defaultTo(1);
    table.boolean('flaky').notNullable().defaultTo(false);
    table.index(['run_id'], 'test_cases_run_idx');
  });

  await knex.schema.createTable('policy_results', table => {
    table.comment('Policy results of a policy run');
    table.bigIncrements('id');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.string('rule', 255).notNullable();
    table.string('control', 255).nullable();
    table.string('severity', 16).notNullable();
    table.string('outcome', 16).notNullable();
    table.text('message').nullable();
    table.text('resource').nullable();
    table.text('filename').nullable();
    table.integer('count').notNullable().defaultTo(1);
    table.index(['run_id', 'outcome'], 'policy_results_run_outcome_idx');
  });

  await knex.schema.createTable('drift_checks', table => {
    table.comment('Drift checks (terraform plans) per environment');
    table
      .string('run_id', 36)
      .primary()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table.timestamp('checked_at', { useTz: true }).notNullable();
    table.integer('drifted_resources').notNullable();
    table
      .text('resources')
      .notNullable()
      .comment('JSON array of DriftResource');
    table.index(
      ['entity_ref', 'environment', 'checked_at'],
      'drift_checks_env_idx',
    );
  });

  await knex.schema.createTable('releases', table => {
    table.comment('Released module versions');
    table.string('entity_ref', 255).notNullable();
    table.string('version', 128).notNullable();
    table.string('git_sha', 64).nullable();
    table.text('changelog').nullable();
    table.timestamp('released_at', { useTz: true }).notNullable();
    table.string('provider', 64).nullable();
    table.string('run_id', 255).nullable();
    table.integer('attempt').nullable();
    table.primary(['entity_ref', 'version']);
  });

  await knex.schema.createTable('deployments', table => {
    table.comment(
      'Promotion history: version deployed to (or rolled back in) an environment',
    );
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table.string('version', 128).notNullable();
    table.string('action', 16).notNullable();
    table.timestamp('deployed_at', { useTz: true }).notNullable();
    table.string('deployed_by', 255).nullable();
    table.text('run_url').nullable();
    table.string('provider', 64).nullable();
    table.string('run_id', 255).nullable();
    table.integer('attempt').nullable();
    table.index(
      ['entity_ref', 'environment', 'deployed_at'],
      'deployments_env_idx',
    );
  });

  await knex.schema.createTable('waivers', table => {
    table.comment('Time-boxed waivers of policy rules');
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('rule', 255).notNullable();
    table.string('environment', 64).nullable();
    table.text('resource').nullable();
    table.text('justification').notNullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('status', 16).notNullable();
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_comment').nullable();
    table.index(['entity_ref'], 'waivers_entity_idx');
    table.index(['status', 'expires_at'], 'waivers_status_expiry_idx');
  });

  await knex.schema.createTable('waiver_audit', table => {
    table.comment('Audit trail of waiver decisions');
    table.bigIncrements('id');
    table
      .string('waiver_id', 36)
      .notNullable()
      .references('id')
      .inTable('waivers')
      .onDelete('CASCADE');
    table.string('action', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('comment').nullable();
    table.index(['waiver_id'], 'waiver_audit_waiver_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('waiver_audit');
  await knex.schema.dropTable('waivers');
  await knex.schema.dropTable('deployments');
  await knex.schema.dropTable('releases');
  await knex.schema.dropTable('drift_checks');
  await knex.schema.dropTable('policy_results');
  await knex.schema.dropTable('test_cases');
  await knex.schema.dropTable('modules');
  await knex.schema.dropTable('runs');
};
