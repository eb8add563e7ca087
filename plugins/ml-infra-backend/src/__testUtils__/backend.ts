/*
 * The in-process ML Infra backend the HTTP-level suites start: the real plugin with its router,
 * services and store, and only Backstage's own test doubles for the catalog, config and
 * credentials.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { mlInfraPlugin } from '../plugin';

/** The subject the mock CI (service) credentials are known by. */
export const CI_SUBJECT = 'external:test-service';

/** The tables the migrations create, in creation order. */
export const TABLES = [
  'modules',
  'runs',
  'test_cases',
  'policy_results',
  'drift_checks',
  'releases',
  'deployments',
  'waivers',
  'waiver_audit',
];

/** A terraform-module Component in the default namespace. */
export function moduleEntity(
  name: string,
  options: {
    owner?: string;
    title?: string;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  const { owner = 'group:default/ml-platform', title, annotations } = options;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(title === undefined ? {} : { title }),
      ...(annotations === undefined ? {} : { annotations }),
    },
    spec: { type: 'terraform-module', owner, lifecycle: 'production' },
  };
}

export interface TestBackendOptions {
  entities: Entity[];
  /** What the mock CI credentials may report for: modules by owner, or by entity ref. */
  ciGrant: { owners: string[] } | { entityRefs: string[] };
  /** The rest of the `mlInfra` config (a `ci` key here replaces the grant). */
  mlInfra?: object;
  /**
   * Whether a request without credentials is unauthenticated (the default) rather than the
   * test backend's mock user.
   */
  requireCredentials?: boolean;
  features?: Parameters<typeof startTestBackend>[0]['features'];
}

/** Starts the plugin in a test backend; returns the server. */
export async function startMlInfraBackend(options: TestBackendOptions) {
  const { server } = await startTestBackend({
    features: [
      mlInfraPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          mlInfra: {
            ci: { staticTokens: [{ subject: CI_SUBJECT, ...options.ciGrant }] },
            ...options.mlInfra,
          },
        },
      }),
      ...(options.requireCredentials === false
        ? []
        : [
            // Without this the test backend treats a request without credentials as a mock user.
            mockServices.httpAuth.factory({
              defaultCredentials: mockCredentials.none(),
            }),
          ]),
      ...(options.features ?? []),
    ],
  });
  return server;
}

/** The plugin's API base URL on a started server. */
export function apiBaseUrl(server: { port(): number }) {
  return `http://localhost:${server.port()}/api/ml-infra`;
}

/**
 * CI (the mock service credentials) posts a report to `/ingest/<route>`; `query` holds the
 * run's identity and the other parameters, in order.
 */
export function postIngest(
  api: ReturnType<typeof request>,
  route: string,
  query: Record<string, string | number>,
  body: string,
  contentType: string,
) {
  const qs = new URLSearchParams(
    Object.entries(query).map(([k, v]) => [k, String(v)]),
  );
  return api
    .post(`/api/ml-infra/ingest/${route}?${qs}`)
    .set('Authorization', mockCredentials.service.header())
    .set('Content-Type', contentType)
    .send(body);
}
