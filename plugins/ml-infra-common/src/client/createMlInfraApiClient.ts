import { ResponseError } from '@backstage/errors';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../schema/openapi';

/**
 * The typed HTTP client of the ML Infra API, generated from its OpenAPI document: every path,
 * parameter, body and answer is checked at compile time against `openapi.yaml`.
 */
export type MlInfraApiClient = Client<paths>;

/** The paths of the ML Infra API, as {@link MlInfraApiClient} calls them. */
export type MlInfraApiPath = keyof paths;

export interface MlInfraApiClientOptions {
  /** Base URL of the plugin, e.g. what discovery answers for `ml-infra`. */
  baseUrl: string;
  /** Backstage's fetchApi.fetch, or a fetch that adds a service token; default global fetch. */
  fetch?: (input: Request) => Promise<Response>;
}

// Any non-2xx answer becomes Backstage's ResponseError (status, and the server's error body as
// its cause), so every caller handles failures the same way.
const throwResponseErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return undefined;
  },
};

/**
 * Query strings with every reserved character percent-encoded (RFC 3986). encodeURIComponent,
 * which openapi-fetch uses by default, leaves `!'()*` as they are, and the validated router
 * refuses those unencoded in a parameter that does not allow reserved characters.
 */
export function serializeQuery(query: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    encodeURIComponent(String(value)).replace(
      /[!'()*]/g,
      c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return Object.entries(query)
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value])
        .filter(v => v !== undefined && v !== null)
        .map(v => `${encode(name)}=${encode(v)}`),
    )
    .join('&');
}

/** Creates the typed client; calls that fail throw a ResponseError. */
export function createMlInfraApiClient(
  options: MlInfraApiClientOptions,
): MlInfraApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch ?? (input => fetch(input)),
    querySerializer: serializeQuery,
  });
  client.use(throwResponseErrors);
  return client;
}
