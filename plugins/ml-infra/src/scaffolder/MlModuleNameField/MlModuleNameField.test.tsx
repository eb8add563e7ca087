import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { MlModuleNameField, validateMlModuleName } from './MlModuleNameField';
import { moduleNameProblem } from './moduleName';

const catalogApi = catalogApiMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'taken-module', namespace: 'default' },
      spec: {
        type: 'terraform-module',
        owner: 'group:default/a',
        lifecycle: 'production',
      },
    },
  ],
});

function Harness() {
  const [value, setValue] = useState<string | undefined>(undefined);
  return (
    <MlModuleNameField
      {...({
        formData: value,
        onChange: setValue,
        schema: { title: 'Name', description: 'Lowercase DNS label' },
        uiSchema: {},
        rawErrors: [],
        required: true,
        idSchema: { $id: 'root_name' },
      } as any)}
    />
  );
}

async function renderField() {
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <Harness />
    </TestApiProvider>,
  );
  return screen.getByRole('textbox');
}

describe('MlModuleNameField', () => {
  it('flags names that are not DNS labels as they are typed', async () => {
    const input = await renderField();
    fireEvent.change(input, { target: { value: 'My/Module' } });
    expect(
      await screen.findByText('Must not contain path separators'),
    ).toBeInTheDocument();
    fireEvent.change(input, { target: { value: 'MyModule' } });
    expect(await screen.findByText('Must be lowercase')).toBeInTheDocument();
    fireEvent.change(input, { target: { value: 'a..b' } });
    expect(
      await screen.findByText("Must not contain '..'"),
    ).toBeInTheDocument();
  });

  it('tells when the name is already in the catalog, once typing pauses', async () => {
    const input = await renderField();
    fireEvent.change(input, { target: { value: 'taken-module' } });
    expect(screen.getByText('Checking the catalog…')).toBeInTheDocument();
    expect(
      await screen.findByText(
        "'taken-module' is already used by a component in the catalog",
      ),
    ).toBeInTheDocument();
  });

  it('accepts a free, valid name', async () => {
    const input = await renderField();
    fireEvent.change(input, { target: { value: 'fresh-module' } });
    await waitFor(() =>
      expect(screen.getByText('Lowercase DNS label')).toBeInTheDocument(),
    );
  });

  it('validates on submit with the same rules', async () => {
    const apiHolder = {
      get: (ref: any) => (ref === catalogApiRef ? catalogApi : undefined),
    };
    const errors = async (value: string) => {
      const addError = jest.fn();
      await validateMlModuleName(
        value,
        { addError } as any,
        { apiHolder, formData: {}, schema: {} } as any,
      );
      return addError.mock.calls.map(([message]) => message);
    };
    expect(await errors('taken-module')).toEqual([
      "'taken-module' is already used by a component in the catalog",
    ]);
    expect(await errors('../x')).toEqual(['Must not contain path separators']);
    expect(await errors('ok-name')).toEqual([]);
    expect(await errors('x')).toEqual(['Must be at least 3 characters']);
    expect(await errors('a'.repeat(41))).toEqual([
      'Must be at most 40 characters (this one has 41)',
    ]);
    expect(moduleNameProblem('ends-with-')).toMatch(/not ending with '-'/);
  });
});
