import { configApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DisplayNameField } from './DisplayNameField';
import {
  GuardrailPickerField,
  validateGuardrailPicker,
} from './GuardrailPickerField';
import { MlModuleNameField, validateMlModuleName } from './MlModuleNameField';

/**
 * The create form as users meet it: the real scaffolder Stepper rendering a golden-path template
 * file with this plugin's fields (the catalog's own pickers are not part of this package and
 * render as unsupported fields; their values come from the initial state).
 */
const template = parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../templates/gpu-training-cluster.template.yaml',
    ),
    'utf8',
  ),
);
const parameters: Array<{ title: string }> = template.spec.parameters;
const stepTitled = (title: string) => {
  const step = parameters.find(p => p.title === title);
  if (!step) throw new Error(`the template has no step '${title}'`);
  return { title: step.title, schema: step as any };
};

const extensions: FieldExtensionOptions<any, any>[] = [
  {
    name: 'MlModuleName',
    component: MlModuleNameField,
    validation: validateMlModuleName,
  },
  {
    name: 'GuardrailPicker',
    component: GuardrailPickerField,
    validation: validateGuardrailPicker,
  },
  { name: 'MlDisplayName', component: DisplayNameField },
];

const catalogApi = catalogApiMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'ml-platform', namespace: 'default' },
      spec: {
        type: 'team',
        profile: { displayName: 'ML Platform' },
        children: [],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'training',
        namespace: 'default',
        title: 'Model training',
      },
      spec: { owner: 'group:default/ml-platform' },
    },
  ],
});

const config = mockApis.config({
  data: {
    mlInfra: {
      guardrails: {
        regions: ['us-east-1', 'eu-west-1'],
        acceleratorFamilies: [
          {
            name: 'nvidia-h100',
            title: 'NVIDIA H100',
            instanceFamilies: ['p5'],
            defaultInstanceType: 'p5.48xlarge',
          },
        ],
        dataClassifications: ['internal', 'confidential'],
      },
    },
  },
});

async function renderForm(
  steps: string[],
  initialState: Record<string, string | string[]> = {},
) {
  const onCreate = jest.fn(async () => {});
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApi],
        [configApiRef, config],
      ]}
    >
      <Stepper
        manifest={{
          title: template.metadata.title,
          steps: steps.map(stepTitled),
        }}
        extensions={extensions}
        initialState={initialState}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
  return onCreate;
}

describe('the create form of a golden path', () => {
  it('opens with the cursor in the Name field', async () => {
    await renderForm(['Module']);
    const name = await screen.findByRole('textbox', { name: /^Name/ });
    await waitFor(() => expect(name).toHaveFocus());
  });

  it('says the length limit when the name is too long, as it is typed and on Next', async () => {
    await renderForm(['Module', 'Governance'], {
      description: 'Training cluster',
      owner: 'group:default/ml-platform',
    });
    const name = await screen.findByRole('textbox', { name: /^Name/ });
    const tooLong = `a${'b'.repeat(44)}`;
    await userEvent.type(name, tooLong);
    expect(
      await screen.findByText(
        'Must be at most 40 characters (this one has 45)',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/DNS label/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      await screen.findByText("'Name' must be at most 40 characters"),
    ).toBeInTheDocument();
  });

  it('explains a malformed cost center in words, without the pattern', async () => {
    await renderForm(['Governance'], { dataClassification: 'internal' });
    await userEvent.type(
      await screen.findByRole('textbox', { name: /^Cost center/ }),
      '-not a cost center',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByText(
        "'Cost center' must be 2-32 letters, digits, '.', '_' or '-', starting with a letter or digit (for example ml-4711)",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/A-Za-z0-9/)).not.toBeInTheDocument();
    expect(screen.queryByText(/must match pattern/)).not.toBeInTheDocument();
  });

  it('reviews the owner, system and accelerator by their display names', async () => {
    const onCreate = await renderForm(['Module', 'Placement', 'Governance'], {
      name: 'fresh-cluster',
      description: 'Training cluster for the ranking models',
      owner: 'group:default/ml-platform',
      system: 'system:default/training',
      region: 'eu-west-1',
      acceleratorType: 'nvidia-h100',
      costCenter: 'ml-4711',
      dataClassification: 'internal',
    });
    for (const next of ['Next', 'Next', 'Review']) {
      await userEvent.click(await screen.findByRole('button', { name: next }));
    }
    const create = await screen.findByRole('button', { name: 'Create' });
    const review = screen.getByRole('table');
    await waitFor(() =>
      expect(within(review).getByText('ML Platform')).toBeInTheDocument(),
    );
    expect(within(review).getByText('Model training')).toBeInTheDocument();
    expect(within(review).getByText('NVIDIA H100 (p5)')).toBeInTheDocument();
    expect(review).not.toHaveTextContent('group:default/ml-platform');
    expect(review).not.toHaveTextContent('system:default/training');
    expect(review).not.toHaveTextContent('nvidia-h100');

    // The raw values still reach the template; the names only travel alongside.
    await userEvent.click(create);
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: 'group:default/ml-platform',
        ownerName: 'ML Platform',
        acceleratorType: 'nvidia-h100',
        acceleratorName: 'NVIDIA H100 (p5)',
      }),
    );
  });
});
