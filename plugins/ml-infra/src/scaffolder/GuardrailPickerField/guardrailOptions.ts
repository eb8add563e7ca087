import { Config } from '@backstage/config';

/** Lists of `mlInfra.guardrails` a picker can offer. */
export type GuardrailList = 'regions' | 'acceleratorFamilies' | 'dataClassifications' | 'clouds';

export interface GuardrailOption {
  value: string;
  label: string;
}

/** ui:options of the GuardrailPicker field. */
export interface GuardrailPickerUiOptions {
  guardrail: GuardrailList;
}

/** The choices of one guardrail list, or undefined when app-config does not set it. */
export function readGuardrailOptions(config: Config, list: GuardrailList): GuardrailOption[] | undefined {
  const key = `mlInfra.guardrails.${list}`;
  if (list === 'acceleratorFamilies') {
    return config.getOptionalConfigArray(key)?.map(family => {
      const name = family.getString('name');
      const families = family.getOptionalStringArray('instanceFamilies') ?? [];
      return {
        value: name,
        label: `${family.getOptionalString('title') ?? name}${families.length ? ` (${families.join(', ')})` : ''}`,
      };
    });
  }
  return config.getOptionalStringArray(key)?.map(value => ({ value, label: value }));
}
