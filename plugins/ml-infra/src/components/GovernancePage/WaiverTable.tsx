import { Fragment, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ActorLink } from '../ActorLink';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  mlInfraWaiverApprovePermission,
  mlInfraWaiverRevokePermission,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';
import { WaiverHistoryRow, WaiverHistoryToggle } from '../WaiverHistory';

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
  const [historyOpen, setHistoryOpen] = useState<Record<string, boolean>>({});
  const [confirming, setConfirming] = useState<{
    waiver: Waiver;
    decision: Exclude<Decision, 'approve'>;
  }>();
  const [comment, setComment] = useState('');

  const decide = async (
    waiver: Waiver,
    decision: Decision,
    decisionComment?: string,
  ) => {
    setBusy(waiver.id);
    try {
      if (decision === 'approve') {
        await api.approveWaiver(waiver.id);
      } else if (decision === 'reject') {
        await api.rejectWaiver(waiver.id, decisionComment);
      } else {
        await api.revokeWaiver(waiver.id, decisionComment);
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
      onClick={() => {
        if (decision === 'approve') {
          decide(waiver, decision);
        } else {
          setComment('');
          setConfirming({ waiver, decision });
        }
      }}
      data-testid={`${decision}-waiver-${waiver.id}`}
      aria-label={`${label} waiver ${waiver.rule} for ${waiver.entityRef}`}
    >
      {label}
    </Button>
  );

  const closeConfirm = () => setConfirming(undefined);
  const confirm = () => {
    if (!confirming) {
      return;
    }
    const trimmed = comment.trim();
    closeConfirm();
    decide(confirming.waiver, confirming.decision, trimmed || undefined);
  };
  const confirmVerb = confirming?.decision === 'reject' ? 'Reject' : 'Revoke';

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
              <TableCell>History</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {waivers.map(waiver => (
              <Fragment key={waiver.id}>
                <TableRow data-testid={`waiver-row-${waiver.id}`}>
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
                          {actionButton(
                            waiver,
                            'approve',
                            'Approve',
                            'primary',
                          )}
                          {actionButton(waiver, 'reject', 'Reject', 'default')}
                        </>
                      )}
                      {waiver.status === 'approved' &&
                        Date.parse(waiver.expiresAt) > Date.now() &&
                        canRevoke &&
                        actionButton(waiver, 'revoke', 'Revoke', 'default')}
                    </Box>
                  </TableCell>
                  <TableCell>
                    <WaiverHistoryToggle
                      waiver={waiver}
                      open={!!historyOpen[waiver.id]}
                      rowId={`waiver-history-row-${waiver.id}`}
                      onToggle={() =>
                        setHistoryOpen(open => ({
                          ...open,
                          [waiver.id]: !open[waiver.id],
                        }))
                      }
                    />
                  </TableCell>
                </TableRow>
                {historyOpen[waiver.id] && (
                  <WaiverHistoryRow
                    waiver={waiver}
                    rowId={`waiver-history-row-${waiver.id}`}
                    colSpan={9}
                  />
                )}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
      <Dialog
        open={!!confirming}
        onClose={closeConfirm}
        aria-labelledby="waiver-decision-dialog-title"
        fullWidth
        maxWidth="sm"
      >
        <DialogTitle id="waiver-decision-dialog-title">
          {confirmVerb} waiver
        </DialogTitle>
        <DialogContent>
          {confirming && (
            <DialogContentText>
              {confirmVerb} the waiver for <code>{confirming.waiver.rule}</code>{' '}
              on {confirming.waiver.entityRef}?
            </DialogContentText>
          )}
          <TextField
            id="waiver-decision-comment"
            label="Comment"
            helperText="Optional; recorded in the waiver's history"
            value={comment}
            onChange={e => setComment(e.target.value)}
            fullWidth
            multiline
            minRows={2}
            margin="dense"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={closeConfirm}>Cancel</Button>
          <Button color="primary" variant="contained" onClick={confirm}>
            Confirm
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};
