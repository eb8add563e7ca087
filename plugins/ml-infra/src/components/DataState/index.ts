export { DataState, NoDataEmptyState } from './DataState';
export type { DataStateProps, NoDataEmptyStateProps } from './DataState';
