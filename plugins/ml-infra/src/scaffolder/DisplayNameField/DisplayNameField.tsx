import { ConfigApi, configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  CatalogApi,
  catalogApiRef,
  defaultEntityPresentation,
} from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  GuardrailList,
  readGuardrailOptions,
} from '../GuardrailPickerField/guardrailOptions';

/** ui:options of the DisplayName field. */
// A type alias, not an interface, so it satisfies the form's index-signature constraint.
export type DisplayNameUiOptions = {
  /** The property (on the same step) whose value this field names. */
  of: string;
  /**
   * The guardrail list the value comes from (its title is the name). Without it the value is an
   * entity ref, named as the catalog presents the entity (a group's display name).
   */
  guardrail?: GuardrailList;
};

/** The name people know `value` by; the value itself when there is no better one. */
export async function displayNameOf(
  value: string,
  options: DisplayNameUiOptions,
  apis: { catalogApi: CatalogApi; configApi: ConfigApi },
): Promise<string> {
  if (options.guardrail) {
    return (
      readGuardrailOptions(apis.configApi, options.guardrail).find(
        option => option.value === value,
      )?.label ?? value
    );
  }
  try {
    const entity = await apis.catalogApi.getEntityByRef(value);
    return defaultEntityPresentation(entity ?? value).primaryTitle;
  } catch {
    // Review must still show what was chosen when the catalog cannot be asked.
    return value;
  }
}

/**
 * Renders nothing: it keeps the display name of another field's value (`ui:options.of`), so the
 * Review step can show "NVIDIA H100 (p5)" or "ML Platform" where the value is "nvidia-h100" or
 * "group:default/ml-platform". The template hides the raw field from Review
 * (`ui:backstage: { review: { show: false } }`) and names this one in its place.
 */
export const DisplayNameField = (
  props: FieldExtensionComponentProps<string, DisplayNameUiOptions>,
) => {
  const { formData, onChange, uiSchema, formContext } = props;
  const catalogApi = useApi(catalogApiRef);
  const configApi = useApi(configApiRef);
  const options = uiSchema?.['ui:options'];
  // The scaffolder hands every field the form state of all steps as formContext.formData.
  const source = (
    formContext as { formData?: Record<string, unknown> } | undefined
  )?.formData?.[options?.of ?? ''];
  const value = typeof source === 'string' && source ? source : undefined;

  const name = useAsync(
    async () =>
      value && options
        ? displayNameOf(value, options, { catalogApi, configApi })
        : undefined,
    [value, options?.of, options?.guardrail, catalogApi, configApi],
  );

  useEffect(() => {
    if (!name.loading && name.value !== formData) {
      onChange(name.value);
    }
  }, [name.loading, name.value, formData, onChange]);

  return null;
};
