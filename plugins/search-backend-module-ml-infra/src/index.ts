/**
 * Search module that indexes the ML Infra status of every module.
 *
 * @packageDocumentation
 */
export { searchModuleMlInfraCollator as default } from './module';
export {
  ML_INFRA_MODULE_DOCUMENT_TYPE,
  MlInfraModuleCollatorFactory,
} from './collators/MlInfraModuleCollatorFactory';
export type {
  MlInfraModuleAspect,
  MlInfraModuleDocument,
} from './collators/MlInfraModuleCollatorFactory';
