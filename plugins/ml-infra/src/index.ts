/**
 * The ML Infra frontend plugin.
 *
 * @packageDocumentation
 */
export {
  mlInfraPlugin,
  MlInfraPage,
  EntityMlInfraOverviewCard,
  EntityMlInfraVersionsContent,
  EntityMlInfraDriftContent,
  EntityMlInfraPolicyContent,
  EntityMlInfraTestsContent,
} from './plugin';
export {
  MlModuleNameFieldExtension,
  GuardrailPickerFieldExtension,
  DisplayNameFieldExtension,
} from './scaffolder/extensions';
export { mlInfraApiRef } from './api';
export { isMlInfraModule } from './isMlInfraModule';
export { StatusChip } from './components/StatusChip';
export type { StatusChipProps } from './components/StatusChip';
export { RelativeTime } from './components/RelativeTime';
