import { isHttpUrl } from '@ml-infra-portal/plugin-ml-infra-common';
import { isRecord, stringField } from './readJsonDocument';

const MAX_URL_LENGTH = 2048;
/** Metadata keys policy authors use for "how to fix", most specific first. */
const URL_KEYS = [
  'remediation_url',
  'remediationUrl',
  'remediation',
  'help_url',
  'helpUri',
  'documentation',
  'url',
];

/**
 * The link to how to fix a rule, from its metadata: one of `URL_KEYS`, or the first
 * `related_resources[].ref` (OPA's rich metadata). http(s) only: it becomes a link in the UI.
 */
export function remediationUrl(
  ...sources: Array<Record<string, unknown> | undefined>
): string | undefined {
  for (const source of sources) {
    if (!source) continue;
    const related = Array.isArray(source.related_resources)
      ? source.related_resources.map(r =>
          isRecord(r) ? stringField(r.ref) : stringField(r),
        )
      : [];
    for (const candidate of [
      ...URL_KEYS.map(key => stringField(source[key])),
      ...related,
    ]) {
      if (
        candidate &&
        candidate.length <= MAX_URL_LENGTH &&
        isHttpUrl(candidate)
      ) {
        return candidate;
      }
    }
  }
  return undefined;
}
