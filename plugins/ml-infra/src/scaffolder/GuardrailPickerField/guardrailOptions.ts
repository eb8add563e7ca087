import { ConfigApi } from '@backstage/core-plugin-api';
import { readGuardrails } from '@ml-infra-portal/plugin-ml-infra-common';

/** Lists of `mlInfra.guardrails` a picker can offer. */
export type GuardrailList =
  | 'regions'
  | 'acceleratorFamilies'
  | 'dataClassifications'
  | 'clouds';

export interface GuardrailOption {
  value: string;
  label: string;
}

/** ui:options of the GuardrailPicker field. */
// A type alias, not an interface, so it satisfies the form's index-signature constraint.
export type GuardrailPickerUiOptions = {
  guardrail: GuardrailList;
};

/**
 * The choices of one guardrail list: exactly what the server-side guardrails action accepts,
 * read by the same function (its defaults apply when app-config does not set the list).
 */
export function readGuardrailOptions(
  config: ConfigApi,
  list: GuardrailList,
): GuardrailOption[] {
  const guardrails = readGuardrails(config);
  if (list === 'acceleratorFamilies') {
    return guardrails.acceleratorFamilies.map(family => ({
      value: family.name,
      label: `${family.title}${
        family.instanceFamilies.length
          ? ` (${family.instanceFamilies.join(', ')})`
          : ''
      }`,
    }));
  }
  return guardrails[list].map(value => ({ value, label: value }));
}
