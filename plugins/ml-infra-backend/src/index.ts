/**
 * The ML Infra backend plugin.
 *
 * @packageDocumentation
 */
export { mlInfraPlugin as default } from './plugin';
