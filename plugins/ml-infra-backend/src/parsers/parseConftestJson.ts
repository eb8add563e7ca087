/**
 * Parser for `conftest test --output json`: an array of
 * `{filename, namespace, successes, failures, warnings, exceptions?, skipped?}`.
 *
 * Failures and warnings are `{msg, metadata?, loc?}` objects (or plain strings in the legacy
 * schema of conftest < 0.20). Rule id: `metadata.id`/`rule`/`query`, else the namespace and the
 * message. Severity from `metadata.severity`, defaulting to high (failure) / medium (warning).
 * Control from `metadata.control`/`control_id`. Resource from `metadata.resource`/`address`/
 * `resource_id`, else the Terraform address the message opens with (policies over a plan write
 * `"<address> has no ..."`). Remediation link from `metadata.remediation_url`/`url`/... (see
 * `remediationUrl`). Exceptions (a rule excepted by policy) are `passed` with message
 * "exception"; successes become one `passed` result per entry with their count. `skipped`
 * entries are not results and are left out.
 *
 * Older conftest releases print `successes` as a list of result objects (like `failures`): those
 * with a rule id pass as that rule, the others count for the namespace. A negative count (a
 * conftest bug with some `--combine`/exception setups) is stored as 0 and reported.
 */
import { InputError } from '@backstage/errors';
import { Severity } from '@ml-infra-portal/plugin-ml-infra-common';
import { remediationUrl } from './remediationUrl';
import {
  controlIn,
  jsonPolicyParser,
  ResultCollector,
} from './ResultCollector';
import { isRecord, stringField } from './readJsonDocument';
import { toSeverity } from './severity';
import { ParsedPolicyReport, ParsedPolicyResult } from './types';

const EXPECTED =
  'a JSON array of conftest results (`conftest test --output json`)';

type Kind = 'failures' | 'warnings' | 'exceptions';

const OUTCOME: Record<Kind, ParsedPolicyResult['outcome']> = {
  failures: 'failed',
  warnings: 'warned',
  exceptions: 'passed',
};
const DEFAULT_SEVERITY: Record<Kind, Severity> = {
  failures: 'high',
  warnings: 'medium',
  exceptions: 'info',
};

function collectConftest(
  doc: unknown,
  collector: ResultCollector,
): Omit<ParsedPolicyReport, 'results'> {
  if (!Array.isArray(doc)) {
    throw new InputError(
      `Expected ${EXPECTED}, got a JSON ${
        isRecord(doc) ? 'object' : typeof doc
      }`,
    );
  }
  let negativeSuccessCounts = 0;

  doc.forEach((entry, index) => {
    const at = `[${index}]`;
    if (
      !isRecord(entry) ||
      !(
        'filename' in entry ||
        'failures' in entry ||
        'warnings' in entry ||
        'successes' in entry
      )
    ) {
      throw new InputError(
        `conftest result ${at} is not a conftest result object (expected filename, namespace, successes, failures, warnings)`,
      );
    }
    const namespace = stringField(entry.namespace) ?? 'main';
    const filename = stringField(entry.filename);

    if (entry.successes !== undefined && entry.successes !== null) {
      let successes: unknown = entry.successes;
      if (Array.isArray(successes)) {
        successes = successes.filter(item => {
          const metadata =
            isRecord(item) && isRecord(item.metadata) ? item.metadata : {};
          const ruleId = stringField(metadata.id) ?? stringField(metadata.rule);
          if (!ruleId) return true;
          collector.add({
            rule: ruleId,
            control: controlIn(metadata),
            severity: toSeverity(metadata.severity) ?? 'info',
            outcome: 'passed',
            message: isRecord(item) ? stringField(item.msg) : undefined,
            filename,
            remediationUrl: remediationUrl(metadata),
            count: 1,
          });
          return false;
        }).length;
      }
      if (typeof successes !== 'number' || !Number.isInteger(successes)) {
        throw new InputError(
          `conftest result ${at}.successes must be an integer or a list of results`,
        );
      }
      if (successes < 0) {
        negativeSuccessCounts += 1;
      }
      if (successes > 0) {
        collector.add({
          rule: namespace,
          severity: 'info',
          outcome: 'passed',
          filename,
          count: successes,
        });
      }
    }

    for (const kind of ['failures', 'warnings', 'exceptions'] as const) {
      const list = entry[kind];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        throw new InputError(`conftest result ${at}.${kind} must be an array`);
      }
      list.forEach((item, i) => {
        const field = `${at}.${kind}[${i}]`;
        // Legacy schema (conftest < 0.20): plain message strings.
        const obj = typeof item === 'string' ? { msg: item } : item;
        if (!isRecord(obj)) {
          throw new InputError(
            `conftest result ${field} must be an object with "msg" or a string`,
          );
        }
        const msg = stringField(obj.msg);
        const metadata = isRecord(obj.metadata) ? obj.metadata : {};
        const loc = isRecord(obj.loc) ? obj.loc : undefined;
        const ruleId =
          stringField(metadata.id) ??
          stringField(metadata.rule) ??
          stringField(metadata.query);
        const line = typeof loc?.line === 'number' ? loc.line : undefined;
        let message = msg;
        if (kind === 'exceptions') {
          message = msg ? `exception: ${msg}` : 'exception';
        }
        collector.add({
          rule: ruleId ?? (msg ? `${namespace}: ${msg}` : namespace),
          control: controlIn(metadata),
          severity: toSeverity(metadata.severity) ?? DEFAULT_SEVERITY[kind],
          outcome: OUTCOME[kind],
          message,
          resource:
            stringField(metadata.resource) ??
            stringField(metadata.address) ??
            stringField(metadata.resource_id),
          filename: stringField(loc?.file) ?? filename,
          line,
          remediationUrl: remediationUrl(metadata),
          count: 1,
        });
      });
    }
  });

  return {
    format: 'conftest',
    ...(negativeSuccessCounts ? { negativeSuccessCounts } : {}),
  };
}

export const parseConftestJson = jsonPolicyParser(EXPECTED, collectConftest);
