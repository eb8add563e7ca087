import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { mlInfraPlugin } from '../plugin';
import {
  GuardrailPickerField,
  validateGuardrailPicker,
} from './GuardrailPickerField';
import { GuardrailPickerUiOptions } from './GuardrailPickerField/guardrailOptions';
import { MlModuleNameField, validateMlModuleName } from './MlModuleNameField';
import { DisplayNameField, DisplayNameUiOptions } from './DisplayNameField';

/**
 * `ui:field: MlModuleName` for the legacy frontend system; mount inside
 * `<ScaffolderFieldExtensions>`.
 */
export const MlModuleNameFieldExtension = mlInfraPlugin.provide(
  createScaffolderFieldExtension<string>({
    name: 'MlModuleName',
    component: MlModuleNameField,
    validation: validateMlModuleName,
  }),
);

/**
 * `ui:field: GuardrailPicker` (with `ui:options.guardrail`) for the legacy frontend system.
 */
export const GuardrailPickerFieldExtension = mlInfraPlugin.provide(
  createScaffolderFieldExtension<string, GuardrailPickerUiOptions>({
    name: 'GuardrailPicker',
    component: GuardrailPickerField,
    validation: validateGuardrailPicker,
  }),
);

/**
 * `ui:field: MlDisplayName` (with `ui:options.of`) for the legacy frontend system: a hidden
 * field holding the display name of another field's value, for the Review step.
 */
export const DisplayNameFieldExtension = mlInfraPlugin.provide(
  createScaffolderFieldExtension<string, DisplayNameUiOptions>({
    name: 'MlDisplayName',
    component: DisplayNameField,
  }),
);
