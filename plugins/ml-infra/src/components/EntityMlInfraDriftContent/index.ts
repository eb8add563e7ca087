export { EntityMlInfraDriftContent } from './EntityMlInfraDriftContent';
