export { ModuleCatalog } from './ModuleCatalog';
