/*
 * A policy result keeps the remediation link its rule's metadata gives (conftest/OPA metadata
 * `remediation_url`, `url`, `related_resources[].ref`; SARIF `helpUri`), so the Policy tab can
 * point each failure at how to fix it.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('policy_results', table => {
    table
      .string('remediation_url', 2048)
      .nullable()
      .comment("http(s) link to how to fix the rule, from the rule's metadata");
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('policy_results', table => {
    table.dropColumn('remediation_url');
  });
};
