export { EntityMlInfraPolicyContent } from './EntityMlInfraPolicyContent';
