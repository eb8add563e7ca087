/**
 * Scaffolder actions of the ML module golden paths.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMlInfra as default } from './module';
export * from './actions';
