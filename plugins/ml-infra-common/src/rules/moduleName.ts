/**
 * The name rule of ML modules: a lowercase DNS label of 3-40 characters. It names the repository,
 * the catalog entity and the cloud resources, so the form, the scaffolder actions and the API
 * all apply this one.
 */
export const MODULE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Why `name` is not a valid module name, or undefined when it is. */
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
  if (!MODULE_NAME_PATTERN.test(name)) {
    return "Must be a DNS label: 3-40 characters, lowercase letters, digits and '-', starting with a letter and not ending with '-'";
  }
  return undefined;
}
