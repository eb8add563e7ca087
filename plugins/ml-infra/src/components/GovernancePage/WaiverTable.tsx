import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ActorLink } from '../ActorLink';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  mlInfraWaiverApprovePermission,
  mlInfraWaiverRevokePermission,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';

type Decision = 'approve' | 'reject' | 'revoke';

const PAST_TENSE: Record<Decision, string> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};

export interface WaiverTableProps {
  title: string;
  waivers: Waiver[];
  /** Marks the rows, e.g. "expiring" for waivers about to lapse. */
  statusOverride?: string;
  emptyText: string;
  onChanged: () => void;
}

/**
 * Waivers with the decisions the current user may take. The backend enforces the same
 * permissions; hiding the buttons only spares users a refusal.
 */
export const WaiverTable = ({
  title,
  waivers,
  statusOverride,
  emptyText,
  onChanged,
}: WaiverTableProps) => {
  const api = useApi(mlInfraApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed: canApprove } = usePermission({
    permission: mlInfraWaiverApprovePermission,
  });
  const { allowed: canRevoke } = usePermission({
    permission: mlInfraWaiverRevokePermission,
  });
  const [busy, setBusy] = useState<string>();

  const decide = async (waiver: Waiver, decision: Decision) => {
    setBusy(waiver.id);
    try {
      if (decision === 'approve') {
        await api.approveWaiver(waiver.id);
      } else if (decision === 'reject') {
        await api.rejectWaiver(waiver.id);
      } else {
        await api.revokeWaiver(waiver.id);
      }
      alertApi.post({
        message: `Waiver for ${waiver.rule} ${PAST_TENSE[decision]}`,
        severity: 'success',
        display: 'transient',
      });
      onChanged();
    } catch (e) {
      alertApi.post({
        message: `Could not ${decision} waiver: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };

  const actionButton = (
    waiver: Waiver,
    decision: Decision,
    label: string,
    color: 'primary' | 'default',
  ) => (
    <Button
      size="small"
      variant={decision === 'approve' ? 'contained' : 'outlined'}
      color={color}
      disabled={busy === waiver.id}
      onClick={() => decide(waiver, decision)}
      data-testid={`${decision}-waiver-${waiver.id}`}
      aria-label={`${label} waiver ${waiver.rule} for ${waiver.entityRef}`}
    >
      {label}
    </Button>
  );

  return (
    <Box mb={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {title} ({waivers.length})
      </Typography>
      {waivers.length === 0 ? (
        <Typography color="textSecondary">{emptyText}</Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>Module</TableCell>
              <TableCell>Rule</TableCell>
              <TableCell>Scope</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Requested</TableCell>
              <TableCell>Expires</TableCell>
              <TableCell>Justification</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {waivers.map(waiver => (
              <TableRow key={waiver.id} data-testid={`waiver-row-${waiver.id}`}>
                <TableCell>
                  <EntityRefLink entityRef={waiver.entityRef} hideIcon />
                </TableCell>
                <TableCell>
                  <code>{waiver.rule}</code>
                </TableCell>
                <TableCell>
                  {[waiver.environment, waiver.resource]
                    .filter(Boolean)
                    .join(' · ') || 'All'}
                </TableCell>
                <TableCell>
                  <StatusChip
                    subject="Waiver"
                    status={statusOverride ?? waiver.status}
                  />
                </TableCell>
                <TableCell>
                  <ActorLink actor={waiver.requestedBy} />,{' '}
                  <RelativeTime value={waiver.requestedAt} />
                </TableCell>
                <TableCell>
                  <RelativeTime value={waiver.expiresAt} />
                </TableCell>
                <TableCell>{waiver.justification}</TableCell>
                <TableCell>
                  <Box display="flex" style={{ gap: 8 }}>
                    {waiver.status === 'pending' && canApprove && (
                      <>
                        {actionButton(waiver, 'approve', 'Approve', 'primary')}
                        {actionButton(waiver, 'reject', 'Reject', 'default')}
                      </>
                    )}
                    {waiver.status === 'approved' &&
                      Date.parse(waiver.expiresAt) > Date.now() &&
                      canRevoke &&
                      actionButton(waiver, 'revoke', 'Revoke', 'default')}
                  </Box>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};
