import { createApiRef } from '@backstage/core-plugin-api';
import type { MlInfraApi } from '@ml-infra-portal/plugin-ml-infra-common';

export const mlInfraApiRef = createApiRef<MlInfraApi>({
  id: 'plugin.ml-infra.service',
});
