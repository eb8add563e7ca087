import { getComponentData } from '@backstage/core-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import * as packageEntry from '..';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  displayNameFormField,
  guardrailPickerFormField,
  mlModuleNameFormField,
} from './alpha';
import {
  DisplayNameFieldExtension,
  GuardrailPickerFieldExtension,
  MlModuleNameFieldExtension,
} from './extensions';

async function loadField(
  extension:
    | typeof mlModuleNameFormField
    | typeof guardrailPickerFormField
    | typeof displayNameFormField,
) {
  const loader = createExtensionTester(
    extension as typeof mlModuleNameFormField,
  ).get(FormFieldBlueprint.dataRefs.formFieldLoader);
  return (await loader()) as any;
}

describe('scaffolder field extensions', () => {
  it('provides MlModuleName to the new frontend system', async () => {
    const field = await loadField(mlModuleNameFormField);
    expect(field).toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
      name: 'MlModuleName',
    });
    expect(typeof field.component).toBe('function');
    expect(typeof field.validation).toBe('function');
  });

  it('provides GuardrailPicker to the new frontend system', async () => {
    const field = await loadField(guardrailPickerFormField);
    expect(field).toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
      name: 'GuardrailPicker',
    });
    expect(typeof field.component).toBe('function');
  });

  it('provides MlDisplayName to the new frontend system', async () => {
    const field = await loadField(displayNameFormField);
    expect(field).toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
      name: 'MlDisplayName',
    });
    expect(typeof field.component).toBe('function');
  });

  it('provides the legacy field extensions from the package entry, for <ScaffolderFieldExtensions>', () => {
    // What the legacy scaffolder page reads off each child of <ScaffolderFieldExtensions>.
    const fieldOf = (Extension: typeof MlModuleNameFieldExtension) =>
      getComponentData<{
        name: string;
        component: unknown;
        validation?: unknown;
      }>(<Extension />, 'scaffolder.extensions.field.v1');
    expect(packageEntry.MlModuleNameFieldExtension).toBe(
      MlModuleNameFieldExtension,
    );
    expect(packageEntry.GuardrailPickerFieldExtension).toBe(
      GuardrailPickerFieldExtension,
    );
    expect(packageEntry.DisplayNameFieldExtension).toBe(
      DisplayNameFieldExtension,
    );
    expect(fieldOf(MlModuleNameFieldExtension)).toMatchObject({
      name: 'MlModuleName',
      validation: expect.any(Function),
    });
    expect(fieldOf(GuardrailPickerFieldExtension)).toMatchObject({
      name: 'GuardrailPicker',
      validation: expect.any(Function),
    });
    expect(fieldOf(DisplayNameFieldExtension)).toMatchObject({
      name: 'MlDisplayName',
    });
  });
});
