import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  GuardrailPickerField,
  validateGuardrailPicker,
} from './GuardrailPickerField';
import { MlModuleNameField, validateMlModuleName } from './MlModuleNameField';
import { DisplayNameField } from './DisplayNameField';

/** @alpha */
export const MlModuleNameFormField = createFormField({
  name: 'MlModuleName',
  component: MlModuleNameField,
  validation: validateMlModuleName,
});

/** @alpha */
export const GuardrailPickerFormField = createFormField({
  name: 'GuardrailPicker',
  component: GuardrailPickerField,
  validation: validateGuardrailPicker,
});

/** @alpha */
export const DisplayNameFormField = createFormField({
  name: 'MlDisplayName',
  component: DisplayNameField,
});
