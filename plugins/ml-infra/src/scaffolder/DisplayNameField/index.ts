export { DisplayNameField, displayNameOf } from './DisplayNameField';
export type { DisplayNameUiOptions } from './DisplayNameField';
