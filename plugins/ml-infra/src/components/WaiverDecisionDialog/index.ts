export { WaiverDecisionDialog } from './WaiverDecisionDialog';
export type {
  WaiverDecision,
  WaiverDecisionDialogProps,
} from './WaiverDecisionDialog';
