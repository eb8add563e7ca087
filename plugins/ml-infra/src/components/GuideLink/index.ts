export { GuideLink } from './GuideLink';
export type { GuideLinkProps } from './GuideLink';
