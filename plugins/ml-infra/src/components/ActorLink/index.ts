export { ActorLink } from './ActorLink';
