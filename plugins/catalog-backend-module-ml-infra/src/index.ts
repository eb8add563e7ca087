/**
 * Catalog module that surfaces ML Infra status onto module entities.
 *
 * @packageDocumentation
 */
export { catalogModuleMlInfra as default } from './module';
export { MlInfraStatusProcessor } from './processor/MlInfraStatusProcessor';
