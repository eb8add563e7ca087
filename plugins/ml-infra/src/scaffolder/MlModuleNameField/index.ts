export { MlModuleNameField, validateMlModuleName } from './MlModuleNameField';
export { moduleNameProblem } from './moduleName';
