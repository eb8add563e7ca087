import { ConfigApi } from '@backstage/core-plugin-api';

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

/** The choices of one guardrail list, or undefined when app-config does not set it. */
export function readGuardrailOptions(
  config: ConfigApi,
  list: GuardrailList,
): GuardrailOption[] | undefined {
  const key = `mlInfra.guardrails.${list}`;
  if (list === 'acceleratorFamilies') {
    return config.getOptionalConfigArray(key)?.map(family => {
      const name = family.getString('name');
      const families = family.getOptionalStringArray('instanceFamilies') ?? [];
      return {
        value: name,
        label: `${family.getOptionalString('title') ?? name}${
          families.length ? ` (${families.join(', ')})` : ''
        }`,
      };
    });
  }
  return config
    .getOptionalStringArray(key)
    ?.map(value => ({ value, label: value }));
}
