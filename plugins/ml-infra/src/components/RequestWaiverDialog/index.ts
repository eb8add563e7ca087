export { RequestWaiverDialog } from './RequestWaiverDialog';
export type { RequestWaiverDialogProps } from './RequestWaiverDialog';
