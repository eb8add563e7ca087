export { WaiverHistory } from './WaiverHistory';
export type { WaiverHistoryProps } from './WaiverHistory';
export { WaiverHistoryRow, WaiverHistoryToggle } from './WaiverHistoryRows';
