import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  createMlInfraApiClient,
  MlInfraApiClient,
} from '@ml-infra-portal/plugin-ml-infra-common';

export interface MlInfraServiceClientOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  /** Each call gives up after this long (default 30 s), so a hung backend never blocks the caller. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The typed ML Infra API client for other backend plugins and modules: every call carries a fresh
 * service token of the calling plugin for `ml-infra` and is aborted after `timeoutMs`.
 */
export async function createMlInfraServiceClient(
  options: MlInfraServiceClientOptions,
): Promise<MlInfraApiClient> {
  const { auth, discovery } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return createMlInfraApiClient({
    baseUrl: await discovery.getBaseUrl('ml-infra'),
    fetch: async request => {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'ml-infra',
      });
      request.headers.set('Authorization', `Bearer ${token}`);
      return fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
    },
  });
}
