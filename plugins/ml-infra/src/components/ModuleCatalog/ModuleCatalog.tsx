import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { ContentHeader, LinkButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import AddIcon from '@material-ui/icons/Add';
import Extension from '@material-ui/icons/Extension';
import SyncProblem from '@material-ui/icons/SyncProblem';
import Policy from '@material-ui/icons/Policy';
import BugReport from '@material-ui/icons/BugReport';
import { useSearchParams } from 'react-router-dom';
import type { ModuleListQuery } from '@ml-infra-portal/plugin-ml-infra-common';
import { CREATE_MODULE_PATH } from '../../constants';
import { mlInfraApiRef } from '../../api';
import { ModuleTable } from '../ModuleTable';
import { SummaryTiles } from '../SummaryTiles';

/** The module catalog tab: headline numbers, then the module table. */
export const ModuleCatalog = () => {
  const api = useApi(mlInfraApiRef);
  // The overview feeds the tiles and the owner filter; the table stays usable if it fails.
  // Until it answers the tiles stand with placeholder numbers, so the rows below do not move.
  const { value: compliance, error } = useAsync(
    () => api.getCompliance(),
    [api],
  );
  const totals = compliance?.totals;
  const [params] = useSearchParams();
  const status = params.get('status') ?? '';

  /** A tile counting a problem: it filters the table to `filter`, red unless the count is 0. */
  const problemTile = (
    id: string,
    label: string,
    value: number | undefined,
    filter: NonNullable<ModuleListQuery['status']>,
    Icon: typeof SyncProblem,
  ) => ({
    id,
    label,
    value,
    to: `?status=${filter}`,
    selected: status === filter,
    icon: <Icon color={value ? 'error' : 'disabled'} />,
  });

  return (
    <>
      <ContentHeader title="Modules">
        <LinkButton
          to={CREATE_MODULE_PATH}
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          data-testid="create-ml-module"
        >
          Create ML module
        </LinkButton>
      </ContentHeader>
      {!error && (
        <Box mb={3}>
          <SummaryTiles
            tiles={[
              {
                id: 'modules',
                label: 'Modules',
                value: totals?.modules,
                icon: <Extension color="primary" />,
                to: '?',
                selected: params.toString() === '',
              },
              problemTile(
                'drifted',
                'Drifted environments',
                totals?.driftedEnvironments,
                'drifted',
                SyncProblem,
              ),
              problemTile(
                'policies',
                'Failing policies',
                totals?.failingPolicies,
                'policy-failed',
                Policy,
              ),
              problemTile(
                'untested',
                'Releases without passing tests',
                totals?.untestedReleases,
                'tests-failed',
                BugReport,
              ),
            ]}
          />
        </Box>
      )}
      <ModuleTable
        owners={(compliance?.byOwner ?? []).map(o => o.owner).sort()}
      />
    </>
  );
};
