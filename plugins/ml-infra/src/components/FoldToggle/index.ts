export { FoldToggle } from './FoldToggle';
export type { FoldToggleProps } from './FoldToggle';
