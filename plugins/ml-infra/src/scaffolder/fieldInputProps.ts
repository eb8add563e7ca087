import { ChangeEvent } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/**
 * What a form field's text input takes from the scaffolder's field props, the same in every
 * field: its id, the value and its changes, required and disabled, and the form's layout.
 */
export function fieldInputProps<UiOptions extends {}>(
  props: FieldExtensionComponentProps<string, UiOptions>,
) {
  return {
    id: props.idSchema?.$id,
    value: props.formData ?? '',
    onChange: (e: ChangeEvent<{ value: unknown }>) =>
      props.onChange(String(e.target.value)),
    required: props.required,
    disabled: props.disabled,
    margin: 'normal' as const,
    fullWidth: true,
  };
}
