export {
  MlModuleNameFieldExtension,
  GuardrailPickerFieldExtension,
} from './extensions';
export { mlModuleNameFormField, guardrailPickerFormField } from './alpha';
export {
  MlModuleNameField,
  validateMlModuleName,
  moduleNameProblem,
} from './MlModuleNameField';
export {
  GuardrailPickerField,
  validateGuardrailPicker,
  readGuardrailOptions,
} from './GuardrailPickerField';
export type {
  GuardrailList,
  GuardrailOption,
  GuardrailPickerUiOptions,
} from './GuardrailPickerField';
