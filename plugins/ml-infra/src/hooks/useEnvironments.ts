import { useMemo } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { readEnvironments } from '@ml-infra-portal/plugin-ml-infra-common';

/**
 * The configured environments in promotion order (`mlInfra.environments`, default dev, staging,
 * prod), read by the rule the backend applies, so a page never offers an environment the API
 * would refuse.
 */
export function useEnvironments(): string[] {
  const configApi = useApi(configApiRef);
  return useMemo(() => readEnvironments(configApi), [configApi]);
}
