/**
 * Parser for `opa eval --format json` output: `{"result":[{"expressions":[{value, text, location}]}]}`.
 *
 * Two shapes of `value` are understood:
 * - a violation set: an array of messages (strings, or objects with `msg`/`message`,
 *   `severity`, `id`/`rule`, `control`), each a failed result whose rule defaults to the
 *   expression text (e.g. `data.acmecorp.kubernetes.violation`);
 * - a fugue regula report: `{rule_results: [...], summary}` (regula ≥ 1.0) or the older
 *   `{rules: {name: {resources: {...}, valid}}, controls, summary}`;
 * - a whole package (`opa eval data.main`): an object of rule sets such as `deny`, `violation`
 *   and `warn`, each a violation set as above (rule `data.main.deny`; `warn*` sets warn); other
 *   values of the package (booleans such as `allow`, helper objects) are not results.
 * Anything else is rejected, naming what was expected.
 */
import { InputError } from '@backstage/errors';
import { remediationUrl } from './remediationUrl';
import { jsonPolicyParser, ResultCollector } from './ResultCollector';
import { isRecord, stringField } from './readJsonDocument';
import { toSeverity } from './severity';
import {} from './types';

const EXPECTED =
  '`opa eval --format json` output ({"result":[{"expressions":[{"value":...}]}]})';
const EXPECTED_VALUE =
  'an array of violation messages (strings or objects with "msg"), a package of rule sets (an object such as {"deny": [...], "warn": [...]}) or a regula report (an object with "rules" or "rule_results" and "summary")';

function addViolations(
  collector: ResultCollector,
  values: unknown[],
  query: string,
  at: string,
  outcome: 'failed' | 'warned' = 'failed',
) {
  const defaultSeverity = outcome === 'failed' ? 'high' : 'medium';
  values.forEach((item, i) => {
    if (typeof item === 'string') {
      collector.add({
        rule: query,
        severity: defaultSeverity,
        outcome,
        message: item,
        count: 1,
      });
      return;
    }
    if (!isRecord(item)) {
      throw new InputError(
        `${at}.value[${i}] must be a string or an object with "msg"`,
      );
    }
    const metadata = isRecord(item.metadata) ? item.metadata : {};
    const pick = (key: string) =>
      stringField(item[key]) ?? stringField(metadata[key]);
    const message = pick('msg') ?? pick('message');
    if (!message) {
      throw new InputError(
        `${at}.value[${i}] has no "msg" (or "message") string`,
      );
    }
    collector.add({
      rule: pick('id') ?? pick('rule') ?? pick('rule_id') ?? query,
      control: pick('control') ?? pick('control_id'),
      severity:
        toSeverity(item.severity ?? metadata.severity) ?? defaultSeverity,
      outcome,
      message,
      resource: pick('resource') ?? pick('address') ?? pick('resource_id'),
      remediationUrl: remediationUrl(item, metadata),
      count: 1,
    });
  });
}

/** regula ≥ 1.0: `rule_results` with rule_result PASS / FAIL / WAIVED. */
function addRegulaRuleResults(
  collector: ResultCollector,
  ruleResults: unknown[],
  at: string,
) {
  ruleResults.forEach((r, i) => {
    if (!isRecord(r)) {
      throw new InputError(`${at}.value.rule_results[${i}] must be an object`);
    }
    const result = stringField(r.rule_result)?.toUpperCase();
    const rule = stringField(r.rule_id) ?? stringField(r.rule_name);
    if (!rule || !result) {
      throw new InputError(
        `${at}.value.rule_results[${i}] needs "rule_id" (or "rule_name") and "rule_result"`,
      );
    }
    const controls = Array.isArray(r.controls)
      ? r.controls.filter(c => typeof c === 'string')
      : [];
    const message = stringField(r.rule_message) ?? stringField(r.rule_summary);
    collector.add({
      rule,
      control: controls.length ? controls.join(', ') : undefined,
      severity: toSeverity(r.rule_severity) ?? 'medium',
      // Exceptions declared in the policy itself are not portal waivers: they pass, labelled.
      outcome: result === 'FAIL' ? 'failed' : 'passed',
      message:
        result === 'WAIVED'
          ? `waived by regula${message ? `: ${message}` : ''}`
          : message,
      resource: stringField(r.resource_id),
      filename: stringField(r.filepath),
      count: 1,
    });
  });
}

/** regula < 1.0 (2021 README): `rules: {name: {resources: {id: {valid, message}}, valid}}`. */
function addRegulaRules(
  collector: ResultCollector,
  rules: Record<string, unknown>,
  controls: Record<string, unknown>,
  at: string,
) {
  const controlsOf = (ruleName: string) =>
    Object.entries(controls)
      .filter(
        ([, c]) =>
          isRecord(c) &&
          Array.isArray(c.rules) &&
          c.rules.some(
            r =>
              typeof r === 'string' &&
              (r === ruleName || ruleName.endsWith(`_${r}`)),
          ),
      )
      .map(([id]) => id);
  for (const [ruleName, rule] of Object.entries(rules)) {
    if (!isRecord(rule)) {
      throw new InputError(`${at}.value.rules.${ruleName} must be an object`);
    }
    const control = controlsOf(ruleName).join(', ') || undefined;
    const resources = isRecord(rule.resources)
      ? Object.entries(rule.resources)
      : [];
    if (!resources.length) {
      collector.add({
        rule: ruleName,
        control,
        severity: 'high',
        outcome: rule.valid === false ? 'failed' : 'passed',
        count: 1,
      });
      continue;
    }
    for (const [id, res] of resources) {
      const r = isRecord(res) ? res : {};
      collector.add({
        rule: ruleName,
        control,
        severity: 'high',
        outcome: r.valid === false ? 'failed' : 'passed',
        message: stringField(r.message),
        resource: stringField(r.id) ?? id,
        count: 1,
      });
    }
  }
}

export const parseOpaEvalJson = jsonPolicyParser(EXPECTED, (doc, collector) => {
  if (!isRecord(doc) || !Array.isArray(doc.result)) {
    throw new InputError(
      `Expected ${EXPECTED}; the body has no "result" array (an empty {} means the query was undefined)`,
    );
  }
  doc.result.forEach((result, r) => {
    if (!isRecord(result) || !Array.isArray(result.expressions)) {
      throw new InputError(`result[${r}] has no "expressions" array`);
    }
    result.expressions.forEach((expression, e) => {
      const at = `result[${r}].expressions[${e}]`;
      if (!isRecord(expression) || !('value' in expression)) {
        throw new InputError(`${at} has no "value"`);
      }
      const { value } = expression;
      const query = stringField(expression.text) ?? 'opa';
      if (Array.isArray(value)) {
        addViolations(collector, value, query, at);
      } else if (isRecord(value) && Array.isArray(value.rule_results)) {
        addRegulaRuleResults(collector, value.rule_results, at);
      } else if (
        isRecord(value) &&
        isRecord(value.rules) &&
        'summary' in value
      ) {
        addRegulaRules(
          collector,
          value.rules,
          isRecord(value.controls) ? value.controls : {},
          at,
        );
      } else if (isRecord(value) && Object.values(value).some(Array.isArray)) {
        for (const [name, set] of Object.entries(value)) {
          if (Array.isArray(set)) {
            addViolations(
              collector,
              set,
              `${query}.${name}`,
              `${at}.value.${name}`,
              /^warn/i.test(name) ? 'warned' : 'failed',
            );
          }
        }
      } else {
        throw new InputError(`${at}.value must be ${EXPECTED_VALUE}`);
      }
    });
  });
  return { format: 'opa-eval' };
});
