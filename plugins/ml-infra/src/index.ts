/**
 * The ML Infra frontend plugin.
 *
 * @packageDocumentation
 */
export { mlInfraPlugin, MlInfraPage } from './plugin';
export { mlInfraApiRef } from './api';
