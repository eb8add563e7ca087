import { Config } from '@backstage/config';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'fs-extra';
import path from 'node:path';
import { MODULE_NAME_PATTERN } from '@ml-infra-portal/plugin-ml-infra-common';

/** Nearest folder above `start` whose package.json declares workspaces (the repository root). */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      fs.readJsonSync(pkg, { throws: false })?.workspaces
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return path.resolve(start);
    }
    dir = parent;
  }
}

/** Absolute base folder of locally published module repositories. */
export function resolveLocalPublishDir(config: Config, cwd?: string): string {
  const configured = config.getOptionalString(
    'mlInfra.scaffolder.localPublishDir',
  );
  const root = findRepoRoot(cwd);
  return path.resolve(root, configured ?? path.join('.data', 'repos'));
}

/**
 * Folder of one module's repository under the publish base; throws if `name` would resolve
 * outside of it (`..`, absolute paths, separators, symlinks).
 */
export function resolveModuleRepoDir(baseDir: string, name: string): string {
  if (!MODULE_NAME_PATTERN.test(name)) {
    throw new Error(`Module name '${name}' is not a DNS-safe name`);
  }
  return resolveSafeChildPath(baseDir, name);
}
