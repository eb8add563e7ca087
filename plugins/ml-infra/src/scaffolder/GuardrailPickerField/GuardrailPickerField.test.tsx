import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import {
  GuardrailPickerField,
  validateGuardrailPicker,
} from './GuardrailPickerField';
import { GuardrailList } from './guardrailOptions';
import { DEFAULT_GUARDRAILS } from '@ml-infra-portal/plugin-ml-infra-common';

const guardrails = {
  regions: ['eu-west-1', 'us-east-1'],
  acceleratorFamilies: [
    {
      name: 'nvidia-a100',
      title: 'NVIDIA A100',
      instanceFamilies: ['p4d', 'p4de'],
    },
    { name: 'nvidia-a10g', instanceFamilies: ['g5'] },
  ],
};

function Harness({
  guardrail,
  onChange,
}: {
  guardrail: GuardrailList;
  onChange: (v: string) => void;
}) {
  const [value, setValue] = useState<string | undefined>(undefined);
  return (
    <GuardrailPickerField
      {...({
        formData: value,
        onChange: (v: string) => {
          setValue(v);
          onChange(v);
        },
        schema: { title: 'Choice', description: 'From the guardrails' },
        uiSchema: { 'ui:options': { guardrail } },
        rawErrors: [],
        required: true,
        idSchema: { $id: 'root_choice' },
      } as any)}
    />
  );
}

async function renderPicker(
  guardrail: GuardrailList,
  data: object = { mlInfra: { guardrails } },
) {
  const onChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data })]]}>
      <Harness guardrail={guardrail} onChange={onChange} />
    </TestApiProvider>,
  );
  return onChange;
}

describe('GuardrailPickerField', () => {
  it('offers the regions of mlInfra.guardrails.regions', async () => {
    const onChange = await renderPicker('regions');
    fireEvent.mouseDown(screen.getByRole('button', { name: /Choice/ }));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    fireEvent.click(listbox.getByText('us-east-1'));
    expect(onChange).toHaveBeenCalledWith('us-east-1');
  });

  it('labels accelerator families with their instance families', async () => {
    await renderPicker('acceleratorFamilies');
    fireEvent.mouseDown(screen.getByRole('button', { name: /Choice/ }));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual([
      'NVIDIA A100 (p4d, p4de)',
      'nvidia-a10g (g5)',
    ]);
  });

  it('offers the defaults the server enforces when the list is not configured', async () => {
    await renderPicker('dataClassifications', {});
    fireEvent.mouseDown(screen.getByRole('button', { name: /Choice/ }));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual(
      DEFAULT_GUARDRAILS.dataClassifications,
    );
  });

  it('rejects a value outside the guardrails on submit', () => {
    const configApi = mockApis.config({ data: { mlInfra: { guardrails } } });
    const apiHolder = {
      get: (ref: any) => (ref === configApiRef ? configApi : undefined),
    };
    const addError = jest.fn();
    const context = {
      apiHolder,
      formData: {},
      schema: {},
      uiSchema: { 'ui:options': { guardrail: 'regions' } },
    } as any;
    validateGuardrailPicker('ap-south-1', { addError } as any, context);
    expect(addError).toHaveBeenCalledWith(
      "'ap-south-1' is not allowed by the guardrails (allowed: eu-west-1, us-east-1)",
    );
    addError.mockClear();
    validateGuardrailPicker('eu-west-1', { addError } as any, context);
    expect(addError).not.toHaveBeenCalled();
  });
});
