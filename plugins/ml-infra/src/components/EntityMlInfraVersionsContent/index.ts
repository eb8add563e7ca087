export { EntityMlInfraVersionsContent } from './EntityMlInfraVersionsContent';
