export { ModuleTable } from './ModuleTable';
export type { ModuleTableProps, ModuleFilters } from './ModuleTable';
