import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import { ErrorPanel } from '../ErrorPanel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { WaiverAuditEvent } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { ActorLink } from '../ActorLink';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';

const ACTION_LABELS: Record<WaiverAuditEvent['action'], string> = {
  requested: 'Requested',
  approved: 'Approved',
  rejected: 'Rejected',
  revoked: 'Revoked',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

export interface WaiverHistoryProps {
  waiverId: string;
  /** Names the table for assistive technology, e.g. "History of waiver X". */
  title?: string;
}

/** The audit trail of one waiver: who requested, decided on or revoked it, and when. */
export const WaiverHistory = ({ waiverId, title }: WaiverHistoryProps) => {
  const api = useApi(mlInfraApiRef);
  const { loading, error, value } = useAsync(
    () => api.getWaiverAudit(waiverId),
    [api, waiverId],
  );

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ErrorPanel error={error} title="Could not load the history" />;
  }
  if (!value || value.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events
      </Typography>
    );
  }
  const events = [...value].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Table
      size="small"
      aria-label={title ?? `History of waiver ${waiverId}`}
      data-testid={`waiver-history-${waiverId}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Action</TableCell>
          <TableCell>By</TableCell>
          <TableCell>When</TableCell>
          <TableCell>Comment</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {events.map((event, index) => (
          <TableRow key={`${event.at}-${event.action}-${index}`}>
            <TableCell>
              <StatusChip
                status={event.action === 'requested' ? 'pending' : event.action}
                label={ACTION_LABELS[event.action] ?? event.action}
                subject="Action"
              />
            </TableCell>
            <TableCell>
              <ActorLink actor={event.actor} />
            </TableCell>
            <TableCell>
              <RelativeTime value={event.at} />
            </TableCell>
            <TableCell>{event.comment ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
