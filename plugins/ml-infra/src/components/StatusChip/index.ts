export { StatusChip } from './StatusChip';
export type { StatusChipProps } from './StatusChip';
export { ModuleStatusChips } from './ModuleStatusChips';
