import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * `ui:field: MlModuleName` for the new frontend system.
 *
 * @alpha
 */
export const mlModuleNameFormField = FormFieldBlueprint.make({
  name: 'ml-module-name',
  params: {
    field: () => import('./formFields').then(m => m.MlModuleNameFormField),
  },
});

/**
 * `ui:field: GuardrailPicker` for the new frontend system.
 *
 * @alpha
 */
export const guardrailPickerFormField = FormFieldBlueprint.make({
  name: 'guardrail-picker',
  params: {
    field: () => import('./formFields').then(m => m.GuardrailPickerFormField),
  },
});

/**
 * `ui:field: MlDisplayName` for the new frontend system.
 *
 * @alpha
 */
export const displayNameFormField = FormFieldBlueprint.make({
  name: 'display-name',
  params: {
    field: () => import('./formFields').then(m => m.DisplayNameFormField),
  },
});
