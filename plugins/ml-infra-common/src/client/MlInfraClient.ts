import { ResponseError } from '@backstage/errors';
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
} from './types';

/** The read and waiver API of the ML Infra backend, as the frontend and other clients use it. */
export interface MlInfraApi {
  listModules(query?: ModuleListQuery): Promise<ModuleListResponse>;
  getModule(entityRef: string): Promise<ModuleSummary>;
  getVersions(entityRef: string): Promise<ModuleVersion[]>;
  getEnvironments(entityRef: string): Promise<EnvironmentMatrix>;
  getDrift(entityRef: string): Promise<ModuleDrift>;
  getPolicy(entityRef: string, options?: { version?: string }): Promise<ModulePolicy>;
  getTests(entityRef: string, options?: { version?: string }): Promise<ModuleTests>;
  getPromotionGate(entityRef: string, version: string, environment: string): Promise<PromotionGateDecision>;
  getCompliance(): Promise<ComplianceOverview>;
  listWaivers(query?: { entityRef?: string; status?: WaiverStatus }): Promise<Waiver[]>;
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

/** Splits `kind:namespace/name` into URL path segments. */
export function entityRefPath(entityRef: string): string {
  const match = /^([^:/]+):(?:([^/]+)\/)?(.+)$/.exec(entityRef);
  if (!match) {
    throw new TypeError(`Invalid entity ref '${entityRef}', expected kind:namespace/name`);
  }
  const [, kind, namespace = 'default', name] = match;
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

export class MlInfraClient implements MlInfraApi {
  private readonly discoveryApi: MlInfraClientOptions['discoveryApi'];
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: MlInfraClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  listModules(query: ModuleListQuery = {}) {
    return this.get<ModuleListResponse>('/modules', query);
  }

  getModule(entityRef: string) {
    return this.get<ModuleSummary>(`/modules/${entityRefPath(entityRef)}`);
  }

  async getVersions(entityRef: string) {
    const body = await this.get<{ items: ModuleVersion[] }>(
      `/modules/${entityRefPath(entityRef)}/versions`,
    );
    return body.items;
  }

  getEnvironments(entityRef: string) {
    return this.get<EnvironmentMatrix>(`/modules/${entityRefPath(entityRef)}/environments`);
  }

  getDrift(entityRef: string) {
    return this.get<ModuleDrift>(`/modules/${entityRefPath(entityRef)}/drift`);
  }

  getPolicy(entityRef: string, options: { version?: string } = {}) {
    return this.get<ModulePolicy>(`/modules/${entityRefPath(entityRef)}/policy`, options);
  }

  getTests(entityRef: string, options: { version?: string } = {}) {
    return this.get<ModuleTests>(`/modules/${entityRefPath(entityRef)}/tests`, options);
  }

  getPromotionGate(entityRef: string, version: string, environment: string) {
    return this.get<PromotionGateDecision>('/gates/promotion', {
      entityRef,
      version,
      environment,
    });
  }

  getCompliance() {
    return this.get<ComplianceOverview>('/compliance');
  }

  async listWaivers(query: { entityRef?: string; status?: WaiverStatus } = {}) {
    const body = await this.get<{ items: Waiver[] }>('/waivers', query);
    return body.items;
  }

  requestWaiver(request: WaiverRequest) {
    return this.send<Waiver>('POST', '/waivers', request);
  }

  approveWaiver(id: string, comment?: string) {
    return this.send<Waiver>('POST', `/waivers/${encodeURIComponent(id)}/approve`, { comment });
  }

  rejectWaiver(id: string, comment?: string) {
    return this.send<Waiver>('POST', `/waivers/${encodeURIComponent(id)}/reject`, { comment });
  }

  revokeWaiver(id: string, comment?: string) {
    return this.send<Waiver>('POST', `/waivers/${encodeURIComponent(id)}/revoke`, { comment });
  }

  withdrawWaiver(id: string, comment?: string) {
    return this.send<Waiver>('POST', `/waivers/${encodeURIComponent(id)}/withdraw`, { comment });
  }

  async getWaiverAudit(id: string) {
    const body = await this.get<{ items: WaiverAuditEvent[] }>(
      `/waivers/${encodeURIComponent(id)}/audit`,
    );
    return body.items;
  }

  private async get<T>(path: string, query: object = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const qs = params.toString();
    return this.request<T>(`${path}${qs ? `?${qs}` : ''}`, { method: 'GET' });
  }

  private send<T>(method: string, path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ml-infra');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
