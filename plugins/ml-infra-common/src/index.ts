/**
 * Isomorphic types, permissions and the API client of the ML Infra plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './constants';
export * from './MlInfraClient';
