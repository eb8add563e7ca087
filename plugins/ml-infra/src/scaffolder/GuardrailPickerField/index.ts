export {
  GuardrailPickerField,
  validateGuardrailPicker,
} from './GuardrailPickerField';
export { readGuardrailOptions } from './guardrailOptions';
export type {
  GuardrailList,
  GuardrailOption,
  GuardrailPickerUiOptions,
} from './guardrailOptions';
