/**
 * Isomorphic types, permissions and the API client of the ML Infra plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './links';
export * from './constants';
export * from './client';
export * from './waivers';
export * from './moduleStatus';
export type {
  components as MlInfraApiComponents,
  operations as MlInfraApiOperations,
  paths as MlInfraApiPaths,
} from './schema/openapi';
export * from './rules';
