export { ConnectCiCard } from './ConnectCiCard';
export { ciIdentityOf, localRepositoryOf } from './connectCi';
export type { CiIdentity } from './connectCi';
