/**
 * Node.js library for backend modules that extend the ML Infra backend.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './createMlInfraServiceClient';
