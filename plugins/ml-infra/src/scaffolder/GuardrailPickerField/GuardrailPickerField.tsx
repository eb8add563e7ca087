import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { fieldInputProps } from '../fieldInputProps';
import {
  GuardrailPickerUiOptions,
  readGuardrailOptions,
} from './guardrailOptions';

/**
 * Picker whose choices come from `mlInfra.guardrails.<ui:options.guardrail>` in app-config, so
 * the platform team changes the allowed regions, accelerators and classifications without
 * editing templates. The server checks the value again.
 */
export const GuardrailPickerField = (
  props: FieldExtensionComponentProps<string, GuardrailPickerUiOptions>,
) => {
  const { schema, uiSchema, rawErrors } = props;
  const input = fieldInputProps(props);
  const configApi = useApi(configApiRef);
  const list = uiSchema?.['ui:options']?.guardrail;
  const options = list ? readGuardrailOptions(configApi, list) : undefined;
  const label = schema.title ?? list ?? 'Value';
  const hasErrors = (rawErrors?.length ?? 0) > 0;

  if (!options || options.length === 0) {
    return (
      <TextField
        {...input}
        label={label}
        error
        helperText={`mlInfra.guardrails.${
          list ?? '<ui:options.guardrail>'
        } is not configured; the value is checked on the server`}
      />
    );
  }

  return (
    <TextField
      {...input}
      select
      label={label}
      error={hasErrors}
      helperText={schema.description}
      SelectProps={{ inputProps: { 'aria-label': label } }}
    >
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
};

/** Rejects a value outside the guardrails (e.g. one typed into a URL-prefilled form). */
export const validateGuardrailPicker: CustomFieldValidator<
  string,
  GuardrailPickerUiOptions
> = (value, validation, { apiHolder, uiSchema }) => {
  const list = uiSchema?.['ui:options']?.guardrail;
  const configApi = apiHolder.get(configApiRef);
  if (!value || !list || !configApi) {
    return;
  }
  const options = readGuardrailOptions(configApi, list);
  if (options && !options.some(o => o.value === value)) {
    validation.addError(
      `'${value}' is not allowed by the guardrails (allowed: ${options
        .map(o => o.value)
        .join(', ')})`,
    );
  }
};
