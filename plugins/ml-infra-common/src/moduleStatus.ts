import type { ModuleSummary } from './types';

/**
 * Whether CI ever reported anything for a module: a release, a run, a deployment or a drift
 * check. A module without reports is "not reported", never "healthy".
 */
export function isReported(
  module: Pick<
    ModuleSummary,
    | 'latestVersion'
    | 'updatedAt'
    | 'tests'
    | 'policy'
    | 'drift'
    | 'environments'
  >,
): boolean {
  return (
    module.latestVersion !== undefined ||
    module.updatedAt !== undefined ||
    module.tests !== 'unknown' ||
    module.policy !== 'unknown' ||
    module.drift !== 'unknown' ||
    module.environments.some(
      e => e.version !== undefined || e.drift !== 'unknown',
    )
  );
}
