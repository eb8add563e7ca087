import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { mlInfraApiRef } from '../../api';
import { useModuleEntityRef } from '../../hooks/useModuleEntityRef';
import { isReported } from '@ml-infra-portal/plugin-ml-infra-common';
import { isNotFound } from '../../utils/errors';
import { ConnectCiCard } from '../ConnectCiCard';
import { DataState } from '../DataState';
import { RelativeTime } from '../RelativeTime';
import { ModuleStatusChips, StatusChip } from '../StatusChip';

/**
 * Latest version and, per environment, the version running there and its drift; until the first
 * CI report, how to connect CI instead.
 */
export const EntityMlInfraOverviewCard = () => {
  const api = useApi(mlInfraApiRef);
  const entityRef = useModuleEntityRef();
  const state = useAsync(() => api.getModule(entityRef), [api, entityRef]);

  if (
    !state.loading &&
    ((state.error && isNotFound(state.error)) ||
      (state.value && !isReported(state.value)))
  ) {
    return <ConnectCiCard />;
  }

  return (
    <InfoCard
      title="ML Infra"
      subheader="Versions and environments at a glance"
    >
      <DataState {...state} title="No releases reported yet">
        {module => (
          <>
            <Box
              display="flex"
              alignItems="baseline"
              flexWrap="wrap"
              style={{ gap: 8 }}
              mb={2}
            >
              <Typography
                variant="h5"
                component="p"
                data-testid="latest-version"
              >
                {module.latestVersion ?? 'No release yet'}
              </Typography>
              {module.latestReleasedAt && (
                <Typography variant="body2" color="textSecondary">
                  latest, released{' '}
                  <RelativeTime value={module.latestReleasedAt} />
                </Typography>
              )}
            </Box>
            <Box display="flex" flexWrap="wrap" style={{ gap: 4 }} mb={2}>
              <ModuleStatusChips module={module} />
            </Box>
            <Table size="small" aria-label="Environments">
              <TableHead>
                <TableRow>
                  <TableCell>Environment</TableCell>
                  <TableCell>Version</TableCell>
                  <TableCell>Deployed</TableCell>
                  <TableCell>Health</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {module.environments.map(env => (
                  <TableRow key={env.environment}>
                    <TableCell>{env.environment}</TableCell>
                    <TableCell>{env.version ?? '—'}</TableCell>
                    <TableCell>
                      <RelativeTime value={env.deployedAt} />
                    </TableCell>
                    <TableCell>
                      <StatusChip
                        subject={`${env.environment} drift`}
                        status={env.drift}
                        label={env.drift === 'clean' ? 'In sync' : undefined}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </DataState>
    </InfoCard>
  );
};
