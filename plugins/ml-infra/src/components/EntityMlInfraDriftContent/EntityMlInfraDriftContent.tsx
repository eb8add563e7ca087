import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  EnvironmentDrift,
  ModuleDrift,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { useModuleEntityRef } from '../../hooks/useModuleEntityRef';
import { formatDuration } from '../../utils/time';
import { DataState } from '../DataState';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';
import { DriftHistoryChart } from './DriftHistoryChart';

const DriftedResources = ({ env }: { env: EnvironmentDrift }) => (
  <InfoCard
    title={`Drifted resources in ${env.environment}`}
    subheader={`${env.resources.length} resource${
      env.resources.length === 1 ? '' : 's'
    }`}
  >
    <Table size="small" aria-label={`Drifted resources in ${env.environment}`}>
      <TableHead>
        <TableRow>
          <TableCell>Resource</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Source</TableCell>
          <TableCell>Changed attributes</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {env.resources.map(resource => (
          <TableRow key={`${resource.address}-${resource.source}`}>
            <TableCell>
              <code>{resource.address}</code>
              {resource.previousAddress && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  was {resource.previousAddress}
                </Typography>
              )}
            </TableCell>
            <TableCell>{resource.type}</TableCell>
            <TableCell>{resource.action}</TableCell>
            <TableCell>
              {resource.source === 'drift'
                ? 'Changed outside Terraform'
                : 'Pending change'}
            </TableCell>
            <TableCell>
              <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                {resource.changedAttributes.length === 0
                  ? '—'
                  : resource.changedAttributes.map(attr => (
                      <Chip key={attr} size="small" label={attr} />
                    ))}
              </Box>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </InfoCard>
);

const EnvironmentTable = ({ drift }: { drift: ModuleDrift }) => (
  <InfoCard title="Drift per environment">
    <Table size="small" aria-label="Drift per environment">
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Drifted since</TableCell>
          <TableCell>For</TableCell>
          <TableCell>Drifted resources</TableCell>
          <TableCell>Last checked</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {drift.environments.map(env => (
          <TableRow
            key={env.environment}
            data-testid={`drift-env-${env.environment}`}
          >
            <TableCell>{env.environment}</TableCell>
            <TableCell>
              <StatusChip
                subject={`${env.environment} drift`}
                status={env.status}
                label={env.status === 'clean' ? 'In sync' : undefined}
              />
            </TableCell>
            <TableCell>
              <RelativeTime
                value={env.status === 'drifted' ? env.driftedSince : undefined}
              />
            </TableCell>
            <TableCell>
              {env.status === 'drifted' && env.driftedSince
                ? formatDuration(env.driftedSince)
                : '—'}
            </TableCell>
            <TableCell>
              {env.status === 'drifted' ? env.resources.length : '—'}
            </TableCell>
            <TableCell>
              <RelativeTime value={env.checkedAt} fallback="never" />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </InfoCard>
);

const EpisodeTable = ({ episodes }: { episodes: ModuleDrift['episodes'] }) => (
  <InfoCard title="Drift episodes">
    <Table size="small" aria-label="Drift episodes">
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>First seen</TableCell>
          <TableCell>Resolved</TableCell>
          <TableCell>Duration</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {[...episodes]
          .sort((a, b) => b.firstSeenAt.localeCompare(a.firstSeenAt))
          .map(episode => (
            <TableRow key={`${episode.environment}-${episode.firstSeenAt}`}>
              <TableCell>{episode.environment}</TableCell>
              <TableCell>
                <RelativeTime value={episode.firstSeenAt} />
              </TableCell>
              <TableCell>
                {episode.resolvedAt ? (
                  <RelativeTime value={episode.resolvedAt} />
                ) : (
                  <StatusChip status="drifted" label="Open" />
                )}
              </TableCell>
              <TableCell>
                {formatDuration(episode.firstSeenAt, episode.resolvedAt)}
              </TableCell>
            </TableRow>
          ))}
      </TableBody>
    </Table>
  </InfoCard>
);

/** The "Drift" tab of a module. */
export const EntityMlInfraDriftContent = () => {
  const api = useApi(mlInfraApiRef);
  const entityRef = useModuleEntityRef();
  const state = useAsync(() => api.getDrift(entityRef), [api, entityRef]);

  return (
    <DataState
      {...state}
      title="No drift checks reported yet"
      description="The scheduled drift-check workflow sends `terraform plan` output to the portal; its results appear here."
      isEmpty={drift =>
        drift.environments.length === 0 && drift.checks.length === 0
      }
    >
      {drift => (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <EnvironmentTable drift={drift} />
          </Grid>
          {drift.environments
            .filter(env => env.status === 'drifted' && env.resources.length > 0)
            .map(env => (
              <Grid item xs={12} key={env.environment}>
                <DriftedResources env={env} />
              </Grid>
            ))}
          <Grid item xs={12} lg={7}>
            <InfoCard title="Drift history">
              {drift.checks.length > 0 ? (
                <DriftHistoryChart
                  checks={drift.checks}
                  environments={[
                    ...new Set(drift.checks.map(c => c.environment)),
                  ]}
                />
              ) : (
                <Typography color="textSecondary">No checks yet.</Typography>
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12} lg={5}>
            <EpisodeTable episodes={drift.episodes} />
          </Grid>
        </Grid>
      )}
    </DataState>
  );
};
