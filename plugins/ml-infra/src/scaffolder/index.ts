export {
  MlModuleNameFieldExtension,
  GuardrailPickerFieldExtension,
  DisplayNameFieldExtension,
} from './extensions';
export {
  mlModuleNameFormField,
  guardrailPickerFormField,
  displayNameFormField,
} from './alpha';
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
export { DisplayNameField, displayNameOf } from './DisplayNameField';
export type { DisplayNameUiOptions } from './DisplayNameField';
