/*
 * Times that decide the promotion gate are the server's, and a waiver may cover one version.
 *
 * - deployments.deployed_at becomes the time the deployment reached the portal; the time the CI
 *   client claimed is kept as data in reported_deployed_at (a backdated claim must not satisfy
 *   the soak time). reported_by names the principal that reported it (a user ref, or a service
 *   subject), so the UI links only people the portal authenticated.
 * - waivers.version scopes a waiver to one module version (null: every version).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .timestamp('reported_deployed_at', { useTz: true })
      .nullable()
      .comment('Deployment time the CI client claimed; data only');
    table
      .string('reported_by', 512)
      .nullable()
      .comment(
        'Principal that reported the deployment: user ref or service subject',
      );
  });
  await knex.schema.alterTable('waivers', table => {
    table
      .string('version', 255)
      .nullable()
      .comment('Module version the waiver covers; null for every version');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('waivers', table => {
    table.dropColumn('version');
  });
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('reported_deployed_at');
    table.dropColumn('reported_by');
  });
};
