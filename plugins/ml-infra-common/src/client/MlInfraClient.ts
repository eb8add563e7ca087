/* eslint-disable new-cap -- openapi-fetch names its methods after the HTTP verbs (GET, POST) */
import {
  ComplianceOverview,
  EnvironmentMatrix,
  ModuleDrift,
  ModuleListQuery,
  ModuleListResponse,
  ModulePolicy,
  ModuleSummary,
  ModuleTests,
  ModuleVersion,
  PromotionGateDecision,
  Waiver,
  WaiverAuditEvent,
  WaiverRequest,
  WaiverStatus,
} from '../types';
import {
  createMlInfraApiClient,
  MlInfraApiClient,
} from './createMlInfraApiClient';

/** The read and waiver API of the ML Infra backend, as the frontend and other clients use it. */
export interface MlInfraApi {
  listModules(query?: ModuleListQuery): Promise<ModuleListResponse>;
  getModule(entityRef: string): Promise<ModuleSummary>;
  getVersions(entityRef: string): Promise<ModuleVersion[]>;
  getEnvironments(entityRef: string): Promise<EnvironmentMatrix>;
  getDrift(entityRef: string): Promise<ModuleDrift>;
  getPolicy(
    entityRef: string,
    options?: { version?: string },
  ): Promise<ModulePolicy>;
  getTests(
    entityRef: string,
    options?: { version?: string },
  ): Promise<ModuleTests>;
  getPromotionGate(
    entityRef: string,
    version: string,
    environment: string,
  ): Promise<PromotionGateDecision>;
  getCompliance(): Promise<ComplianceOverview>;
  listWaivers(query?: {
    entityRef?: string;
    status?: WaiverStatus;
  }): Promise<Waiver[]>;
  requestWaiver(request: WaiverRequest): Promise<Waiver>;
  approveWaiver(id: string, comment?: string): Promise<Waiver>;
  rejectWaiver(id: string, comment?: string): Promise<Waiver>;
  revokeWaiver(id: string, comment?: string): Promise<Waiver>;
  /** The requester takes back a pending request. */
  withdrawWaiver(id: string, comment?: string): Promise<Waiver>;
  getWaiverAudit(id: string): Promise<WaiverAuditEvent[]>;
}

/** Structural subsets of Backstage's DiscoveryApi and FetchApi, so this client runs anywhere. */
export interface MlInfraClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/** The path parameters of a module's routes, from `kind:namespace/name` (namespace optional). */
export function entityRefPath(entityRef: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  const match = /^([^:/]+):(?:([^/]+)\/)?(.+)$/.exec(entityRef);
  if (!match) {
    throw new TypeError(
      `Invalid entity ref '${entityRef}', expected kind:namespace/name`,
    );
  }
  const [, kind, namespace = 'default', name] = match;
  return { kind, namespace, name };
}

/**
 * {@link MlInfraApi} over the generated typed client: Backstage's discoveryApi gives the base URL,
 * its fetchApi the identity. Failures throw a ResponseError.
 */
export class MlInfraClient implements MlInfraApi {
  private readonly discoveryApi: MlInfraClientOptions['discoveryApi'];
  private readonly fetchApi: { fetch: typeof fetch };
  private client?: { baseUrl: string; api: MlInfraApiClient };

  constructor(options: MlInfraClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  async listModules(query: ModuleListQuery = {}) {
    const api = await this.api();
    const { data } = await api.GET('/modules', {
      params: { query: withoutEmpty(query) },
    });
    return data!;
  }

  async getModule(entityRef: string) {
    const api = await this.api();
    const { data } = await api.GET('/modules/{kind}/{namespace}/{name}', {
      params: { path: entityRefPath(entityRef) },
    });
    return data!;
  }

  async getVersions(entityRef: string) {
    const api = await this.api();
    const { data } = await api.GET(
      '/modules/{kind}/{namespace}/{name}/versions',
      { params: { path: entityRefPath(entityRef) } },
    );
    return data!.items;
  }

  async getEnvironments(entityRef: string) {
    const api = await this.api();
    const { data } = await api.GET(
      '/modules/{kind}/{namespace}/{name}/environments',
      { params: { path: entityRefPath(entityRef) } },
    );
    return data!;
  }

  async getDrift(entityRef: string) {
    const api = await this.api();
    const { data } = await api.GET('/modules/{kind}/{namespace}/{name}/drift', {
      params: { path: entityRefPath(entityRef) },
    });
    return data!;
  }

  async getPolicy(entityRef: string, options: { version?: string } = {}) {
    const api = await this.api();
    const { data } = await api.GET(
      '/modules/{kind}/{namespace}/{name}/policy',
      {
        params: {
          path: entityRefPath(entityRef),
          query: withoutEmpty(options),
        },
      },
    );
    return data!;
  }

  async getTests(entityRef: string, options: { version?: string } = {}) {
    const api = await this.api();
    const { data } = await api.GET('/modules/{kind}/{namespace}/{name}/tests', {
      params: { path: entityRefPath(entityRef), query: withoutEmpty(options) },
    });
    return data!;
  }

  async getPromotionGate(
    entityRef: string,
    version: string,
    environment: string,
  ) {
    const api = await this.api();
    const { data } = await api.GET('/gates/promotion', {
      params: { query: { entityRef, version, environment } },
    });
    return data!;
  }

  async getCompliance() {
    const api = await this.api();
    const { data } = await api.GET('/compliance');
    return data!;
  }

  async listWaivers(query: { entityRef?: string; status?: WaiverStatus } = {}) {
    const api = await this.api();
    const { data } = await api.GET('/waivers', {
      params: { query: withoutEmpty(query) },
    });
    return data!.items;
  }

  async requestWaiver(request: WaiverRequest) {
    const api = await this.api();
    const { data } = await api.POST('/waivers', { body: request });
    return data!;
  }

  approveWaiver(id: string, comment?: string) {
    return this.decide('/waivers/{id}/approve', id, comment);
  }

  rejectWaiver(id: string, comment?: string) {
    return this.decide('/waivers/{id}/reject', id, comment);
  }

  revokeWaiver(id: string, comment?: string) {
    return this.decide('/waivers/{id}/revoke', id, comment);
  }

  withdrawWaiver(id: string, comment?: string) {
    return this.decide('/waivers/{id}/withdraw', id, comment);
  }

  async getWaiverAudit(id: string) {
    const api = await this.api();
    const { data } = await api.GET('/waivers/{id}/audit', {
      params: { path: { id } },
    });
    return data!.items;
  }

  private async decide(
    path:
      | '/waivers/{id}/approve'
      | '/waivers/{id}/reject'
      | '/waivers/{id}/revoke'
      | '/waivers/{id}/withdraw',
    id: string,
    comment?: string,
  ) {
    const api = await this.api();
    const { data } = await api.POST(path, {
      params: { path: { id } },
      body: { comment },
    });
    return data!;
  }

  /** The typed client for the current base URL (discovery may move it). */
  private async api(): Promise<MlInfraApiClient> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ml-infra');
    if (this.client?.baseUrl !== baseUrl) {
      this.client = {
        baseUrl,
        api: createMlInfraApiClient({
          baseUrl,
          fetch: async request =>
            this.fetchApi.fetch(...(await asUrlAndInit(request))),
        }),
      };
    }
    return this.client.api;
  }
}

/**
 * openapi-fetch hands over a Request; Backstage's fetchApi middlewares each build a
 * `new Request(input, init)` from what they are given, which consumes a Request's body, so the
 * second middleware fails ("a Request object that has already been used") on every POST. They
 * take a URL and init without that problem.
 */
async function asUrlAndInit(request: Request): Promise<[string, RequestInit]> {
  const body =
    request.method === 'GET' || request.method === 'HEAD'
      ? undefined
      : await request.arrayBuffer();
  return [
    request.url,
    {
      method: request.method,
      headers: request.headers,
      body: body && body.byteLength > 0 ? body : undefined,
      signal: request.signal,
    },
  ];
}

/** Leaves out parameters the caller left empty, as the server treats absent and empty alike. */
function withoutEmpty<T extends object>(query: T): T {
  return Object.fromEntries(
    Object.entries(query).filter(
      ([, value]) => value !== undefined && value !== null && value !== '',
    ),
  ) as T;
}
