/*
 * The run identity names the leg of the run (job name or matrix environment).
 *
 * Before, an upload was identified by (kind, provider, run_id, attempt): the matrix legs of one
 * workflow run (a drift check of dev, staging and prod; plan tests and apply tests) replaced each
 * other. `leg` is '' for clients that send none, so their uploads keep their identity.
 */

const CHILD_TABLES = ['test_cases', 'policy_results', 'drift_checks'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .string('leg', 255)
      .notNullable()
      .defaultTo('')
      .comment('Job or matrix leg of the run; part of the run identity');
  });
  await knex.schema.alterTable('runs', table => {
    table.dropUnique(
      ['kind', 'provider', 'run_id', 'attempt'],
      'runs_identity_uq',
    );
  });
  await knex.schema.alterTable('runs', table => {
    table.unique(['kind', 'provider', 'run_id', 'attempt', 'leg'], {
      indexName: 'runs_identity_leg_uq',
    });
  });
  for (const name of ['releases', 'deployments']) {
    await knex.schema.alterTable(name, table => {
      table
        .string('leg', 255)
        .notNullable()
        .defaultTo('')
        .comment('Job or matrix leg of the run that reported it');
    });
  }
};

/**
 * Going back to one upload per (kind, provider, run_id, attempt) keeps, of the legs of one run,
 * the one with the smallest leg name ('' first) and deletes the others with their results.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const otherLegs = knex('runs')
    .select('runs.id')
    .whereExists(
      knex('runs as kept')
        .select(knex.raw('1'))
        .whereRaw('kept.kind = runs.kind')
        .whereRaw('kept.provider = runs.provider')
        .whereRaw('kept.run_id = runs.run_id')
        .whereRaw('kept.attempt = runs.attempt')
        .whereRaw('kept.leg < runs.leg'),
    );
  const doomed = (await otherLegs).map(row => row.id);
  for (let i = 0; i < doomed.length; i += 500) {
    const chunk = doomed.slice(i, i + 500);
    for (const child of CHILD_TABLES) {
      await knex(child).whereIn('run_id', chunk).delete();
    }
    await knex('runs').whereIn('id', chunk).delete();
  }
  await knex.schema.alterTable('runs', table => {
    table.dropUnique(
      ['kind', 'provider', 'run_id', 'attempt', 'leg'],
      'runs_identity_leg_uq',
    );
  });
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('leg');
  });
  await knex.schema.alterTable('runs', table => {
    table.unique(['kind', 'provider', 'run_id', 'attempt'], {
      indexName: 'runs_identity_uq',
    });
  });
  for (const name of ['releases', 'deployments']) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('leg');
    });
  }
};
