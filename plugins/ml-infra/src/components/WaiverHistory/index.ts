export { WaiverHistory } from './WaiverHistory';
export type { WaiverHistoryProps } from './WaiverHistory';
