/**
 * Parser for SARIF 2.1.0 (tfsec, checkov, trivy, KICS … `--format sarif`).
 *
 * Each `runs[].results[]` becomes one result: rule from `ruleId` (or the rule it points to),
 * outcome from `kind`/`level` (error → failed, warning/note → warned, pass/none → passed),
 * severity from the result's or rule's `properties.severity` / `security-severity` (a CVSS
 * score), else from the level. Location: the first physical location's URI and start line, and
 * the first logical location's name as the resource. The rule's `helpUri` is the remediation
 * link.
 */
import { InputError } from '@backstage/errors';
import { Severity } from '@ml-infra-portal/plugin-ml-infra-common';
import { remediationUrl } from './remediationUrl';
import { controlIn, jsonPolicyParser } from './ResultCollector';
import { isRecord, stringField } from './readJsonDocument';
import { toSeverity } from './severity';
import { ParsedPolicyResult } from './types';

const EXPECTED = 'a SARIF 2.1.0 log (an object with "runs")';

type Rec = Record<string, unknown>;

const LEVEL_SEVERITY: Record<string, Severity> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'info',
};

function outcomeOf(
  kind: string | undefined,
  level: string,
): ParsedPolicyResult['outcome'] {
  if (kind && kind !== 'fail') {
    return kind === 'review' || kind === 'open' ? 'warned' : 'passed';
  }
  if (level === 'error') return 'failed';
  if (level === 'none') return 'passed';
  return 'warned';
}

function severityOf(...bags: Array<Rec | undefined>): Severity | undefined {
  for (const bag of bags) {
    const props = isRecord(bag?.properties) ? bag!.properties : undefined;
    const severity =
      toSeverity(props?.['security-severity']) ??
      toSeverity(props?.severity) ??
      toSeverity(
        props?.problem && isRecord(props.problem)
          ? props.problem.severity
          : undefined,
      );
    if (severity) return severity;
  }
  return undefined;
}

export const parseSarif = jsonPolicyParser(EXPECTED, (doc, collector) => {
  if (!isRecord(doc) || !Array.isArray(doc.runs)) {
    throw new InputError(`Expected ${EXPECTED}; there is no "runs" array`);
  }
  if (doc.version !== undefined && doc.version !== '2.1.0') {
    throw new InputError(
      `SARIF version ${String(
        doc.version,
      )} is not supported (expected "2.1.0")`,
    );
  }

  doc.runs.forEach((run, r) => {
    if (!isRecord(run)) {
      throw new InputError(`runs[${r}] must be an object`);
    }
    const driver =
      isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver : {};
    const rules: Rec[] = Array.isArray(driver.rules)
      ? driver.rules.filter(isRecord)
      : [];
    const rulesById = new Map(rules.map(rule => [stringField(rule.id), rule]));
    const results = run.results ?? [];
    if (!Array.isArray(results)) {
      throw new InputError(`runs[${r}].results must be an array`);
    }
    results.forEach((result, i) => {
      const at = `runs[${r}].results[${i}]`;
      if (!isRecord(result)) {
        throw new InputError(`${at} must be an object`);
      }
      const ruleRef = isRecord(result.rule) ? result.rule : {};
      const ruleIndex =
        typeof result.ruleIndex === 'number'
          ? result.ruleIndex
          : (ruleRef.index as number | undefined);
      const ruleId = stringField(result.ruleId) ?? stringField(ruleRef.id);
      const rule =
        (ruleId !== undefined ? rulesById.get(ruleId) : undefined) ??
        (typeof ruleIndex === 'number' ? rules[ruleIndex] : undefined);
      const id = ruleId ?? stringField(rule?.id);
      if (!id) {
        throw new InputError(`${at} has no "ruleId" and points to no rule`);
      }
      const defaultConfig = isRecord(rule?.defaultConfiguration)
        ? rule!.defaultConfiguration
        : {};
      const level =
        stringField(result.level) ??
        stringField(defaultConfig.level) ??
        'warning';
      const message = isRecord(result.message)
        ? stringField(result.message.text) ??
          stringField(result.message.markdown)
        : undefined;
      const shortDescription = isRecord(rule?.shortDescription)
        ? rule!.shortDescription
        : {};
      const location =
        Array.isArray(result.locations) && isRecord(result.locations[0])
          ? result.locations[0]
          : {};
      const physical = isRecord(location.physicalLocation)
        ? location.physicalLocation
        : {};
      const artifact = isRecord(physical.artifactLocation)
        ? physical.artifactLocation
        : {};
      const region = isRecord(physical.region) ? physical.region : {};
      const logical =
        Array.isArray(location.logicalLocations) &&
        isRecord(location.logicalLocations[0])
          ? location.logicalLocations[0]
          : {};
      const ruleProps = isRecord(rule?.properties) ? rule!.properties : {};
      collector.add({
        rule: id,
        control: controlIn(ruleProps),
        severity: severityOf(result, rule) ?? LEVEL_SEVERITY[level] ?? 'medium',
        outcome: outcomeOf(stringField(result.kind), level),
        message: message ?? stringField(shortDescription.text),
        resource:
          stringField(logical.fullyQualifiedName) ?? stringField(logical.name),
        filename: stringField(artifact.uri),
        line:
          typeof region.startLine === 'number' ? region.startLine : undefined,
        remediationUrl: remediationUrl(rule, ruleProps),
        count: 1,
      });
    });
  });
  return { format: 'sarif' };
});
