export { EntityMlInfraTestsContent } from './EntityMlInfraTestsContent';
