import type { ModuleSummary } from '@ml-infra-portal/plugin-ml-infra-common';
import { StatusChip } from './StatusChip';

const DRIFT_LABELS: Record<ModuleSummary['drift'], string> = {
  clean: 'No drift',
  drifted: 'Drifted',
  unknown: 'Drift unknown',
};

/**
 * A module's drift, policy and tests status as three chips, worded the same in the module list
 * and on the module's overview card. The caller lays them out.
 */
export const ModuleStatusChips = ({
  module,
}: {
  module: Pick<ModuleSummary, 'drift' | 'policy' | 'failingPolicies' | 'tests'>;
}) => (
  <>
    <StatusChip
      subject="Drift"
      status={module.drift}
      label={DRIFT_LABELS[module.drift]}
    />
    <StatusChip
      subject="Policy"
      status={module.policy}
      label={
        module.policy === 'failed'
          ? `Policy: ${module.failingPolicies} failing`
          : `Policy: ${module.policy}`
      }
    />
    <StatusChip
      subject="Tests"
      status={module.tests}
      label={`Tests: ${module.tests}`}
    />
  </>
);
