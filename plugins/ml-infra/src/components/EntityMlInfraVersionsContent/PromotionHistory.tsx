import { InfoCard, Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import {
  isHttpUrl,
  type Deployment,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { ActorLink } from '../ActorLink';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';

const RunLink = ({ deployment }: { deployment: Deployment }) => {
  const label = deployment.run
    ? `${deployment.run.provider} #${deployment.run.runId}`
    : undefined;
  // Only http(s) becomes a link: a URL of another scheme from an older upload shows as text.
  if (isHttpUrl(deployment.runUrl)) {
    return <Link to={deployment.runUrl}>{label ?? 'CI run'}</Link>;
  }
  return <>{label ?? '—'}</>;
};

/**
 * Who deployed: a link only when a signed-in user reported it themselves; what a CI client
 * claims is shown as text, since nothing proves it.
 */
const DeployedBy = ({ deployment }: { deployment: Deployment }) =>
  deployment.reportedBy?.startsWith('user:') &&
  deployment.deployedBy === deployment.reportedBy ? (
    <ActorLink actor={deployment.deployedBy} />
  ) : (
    <>{deployment.deployedBy ?? '—'}</>
  );

/** Every deployment and rollback, newest first. */
export const PromotionHistory = ({ history }: { history: Deployment[] }) => {
  const sorted = [...history].sort((a, b) =>
    b.deployedAt.localeCompare(a.deployedAt),
  );
  return (
    <InfoCard title="Promotion history">
      <Table size="small" aria-label="Promotion history">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Environment</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>By</TableCell>
            <TableCell>Run</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((deployment, index) => (
            <TableRow
              key={`${deployment.environment}-${deployment.version}-${deployment.deployedAt}-${index}`}
            >
              <TableCell>
                <RelativeTime value={deployment.deployedAt} />
              </TableCell>
              <TableCell>{deployment.environment}</TableCell>
              <TableCell>{deployment.version}</TableCell>
              <TableCell>
                {deployment.action === 'rollback' ? (
                  <StatusChip status="warned" label="Rollback" />
                ) : (
                  'Deploy'
                )}
              </TableCell>
              <TableCell>
                <DeployedBy deployment={deployment} />
              </TableCell>
              <TableCell>
                <RunLink deployment={deployment} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
};
