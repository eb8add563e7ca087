export { WaiverHistory } from './WaiverHistory';
export type { WaiverHistoryProps } from './WaiverHistory';
export {
  useWaiverHistoryFolds,
  WaiverHistoryRow,
  WaiverHistoryToggle,
} from './WaiverHistoryRows';
