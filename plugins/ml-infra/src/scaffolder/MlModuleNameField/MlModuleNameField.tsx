import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { fieldInputProps } from '../fieldInputProps';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { errorMessage } from '../../utils/errors';
import {
  isModuleNameTaken,
  moduleNameProblem,
  takenMessage,
} from './moduleName';

const CHECK_DELAY_MS = 400;

/**
 * Module name input: checks the DNS-label rule on every keystroke and whether the name is
 * already taken in the catalog once typing pauses.
 */
export const MlModuleNameField = (
  props: FieldExtensionComponentProps<string>,
) => {
  const { formData, schema, rawErrors } = props;
  const catalogApi = useApi(catalogApiRef);
  const [settled, setSettled] = useState(formData ?? '');
  useDebounce(() => setSettled(formData ?? ''), CHECK_DELAY_MS, [formData]);

  const problem = formData ? moduleNameProblem(formData) : undefined;
  const check = useAsync(async () => {
    if (!settled || moduleNameProblem(settled)) {
      return undefined;
    }
    return (await isModuleNameTaken(catalogApi, settled))
      ? takenMessage(settled)
      : undefined;
  }, [settled, catalogApi]);

  const checking =
    !problem && !!formData && (check.loading || settled !== formData);
  const taken = settled === formData ? check.value : undefined;
  const error =
    problem ??
    taken ??
    (check.error
      ? `Could not check the catalog: ${errorMessage(check.error)}`
      : undefined);

  // The name is the first thing to fill in on the first step.
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  return (
    <TextField
      {...fieldInputProps(props)}
      label={schema.title ?? 'Name'}
      placeholder="my-module"
      error={!!error || (rawErrors?.length ?? 0) > 0}
      helperText={
        error ?? (checking ? 'Checking the catalog…' : schema.description)
      }
      inputRef={inputRef}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
};

/** Validation on submit: the same rules, since the form may be submitted before the debounce fires. */
export const validateMlModuleName: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  if (!value) {
    return;
  }
  const problem = moduleNameProblem(value);
  if (problem) {
    validation.addError(problem);
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  if (catalogApi && (await isModuleNameTaken(catalogApi, value))) {
    validation.addError(takenMessage(value));
  }
};
