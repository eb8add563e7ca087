import { ReactNode } from 'react';
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
  DriftResource,
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

/**
 * Resource addresses, types and attribute names are identifiers without spaces: they may break
 * anywhere so the table columns can shrink to the page instead of overflowing it.
 */
const identifier = { overflowWrap: 'anywhere' } as const;

/** A value as the plan gave it; what the plan marks sensitive was never stored. */
const AttributeValue = ({
  value,
  sensitive,
  unknown,
}: {
  value?: string;
  sensitive?: boolean;
  unknown?: boolean;
}) => {
  let text: ReactNode =
    value === undefined ? <em>null</em> : <code>{value}</code>;
  if (sensitive) {
    text = <em>(sensitive)</em>;
  } else if (unknown) {
    text = <em>(known after apply)</em>;
  }
  return <span style={identifier}>{text}</span>;
};

/** Before → after per changed attribute; attribute names only where the plan had no values. */
const AttributeChanges = ({ resource }: { resource: DriftResource }) => {
  if (!resource.attributes?.length) {
    return (
      <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
        {resource.changedAttributes.length === 0
          ? '—'
          : resource.changedAttributes.map(attr => (
              <Chip key={attr} size="small" label={attr} />
            ))}
      </Box>
    );
  }
  return (
    <Table
      size="small"
      padding="none"
      aria-label={`Changed attributes of ${resource.address}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Attribute</TableCell>
          <TableCell>Before</TableCell>
          <TableCell>After</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {resource.attributes.map(attribute => (
          <TableRow key={attribute.name}>
            <TableCell>
              <code style={identifier}>{attribute.name}</code>
            </TableCell>
            <TableCell>
              <AttributeValue
                value={attribute.before}
                sensitive={attribute.sensitive}
              />
            </TableCell>
            <TableCell>
              <AttributeValue
                value={attribute.after}
                sensitive={attribute.sensitive}
                unknown={attribute.afterUnknown}
              />
              {attribute.truncated && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  values shortened
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

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
          <TableCell>Changes</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {env.resources.map(resource => (
          <TableRow key={`${resource.address}-${resource.source}`}>
            <TableCell>
              <code style={identifier}>{resource.address}</code>
              {resource.previousAddress && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  was <span style={identifier}>{resource.previousAddress}</span>
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <span style={identifier}>{resource.type}</span>
            </TableCell>
            <TableCell>{resource.action}</TableCell>
            <TableCell>
              {resource.source === 'drift'
                ? 'Changed outside Terraform'
                : 'Pending change'}
            </TableCell>
            <TableCell style={{ minWidth: 280 }}>
              <AttributeChanges resource={resource} />
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
      description="The scheduled drift-check workflow runs `terraform plan` in each environment and sends the JSON plan to the portal; what changed outside Terraform, and the values before and after, appear here."
      // Configured environments alone are no check: a new module shows how to start, not "unknown" rows.
      isEmpty={drift => drift.checks.length === 0}
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
