/** Shortest and longest module name (the DNS-label rule below, spelled out for messages). */
export const MODULE_NAME_MIN_LENGTH = 3;
export const MODULE_NAME_MAX_LENGTH = 40;

/**
 * The name rule of ML modules: a lowercase DNS label of 3-40 characters. It names the repository,
 * the catalog entity and the cloud resources, so the form, the scaffolder actions and the API
 * all apply this one.
 */
export const MODULE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Why `name` is not a valid module name, or undefined when it is; the most specific reason first. */
export function moduleNameProblem(name: string): string | undefined {
  if (name.includes('/') || name.includes('\\')) {
    return 'Must not contain path separators';
  }
  if (name.includes('..')) {
    return "Must not contain '..'";
  }
  if (name !== name.toLowerCase()) {
    return 'Must be lowercase';
  }
  if (name.length > MODULE_NAME_MAX_LENGTH) {
    return `Must be at most ${MODULE_NAME_MAX_LENGTH} characters (this one has ${name.length})`;
  }
  if (name.length < MODULE_NAME_MIN_LENGTH) {
    return `Must be at least ${MODULE_NAME_MIN_LENGTH} characters`;
  }
  if (!MODULE_NAME_PATTERN.test(name)) {
    return "Must be a DNS label: lowercase letters, digits and '-', starting with a letter and not ending with '-'";
  }
  return undefined;
}
