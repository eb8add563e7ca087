import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { useWaiverCall } from '../../hooks/useWaiverCall';
import { StatusChip } from '../StatusChip';

export type WaiverDecision = 'approve' | 'reject' | 'revoke' | 'withdraw';

const WORDING: Record<
  WaiverDecision,
  { verb: string; done: string; explain: string }
> = {
  approve: {
    verb: 'Approve',
    done: 'approved',
    explain:
      'While approved, the failure is shown as waived and no longer blocks the promotion gate.',
  },
  reject: {
    verb: 'Reject',
    done: 'rejected',
    explain: 'The failure keeps blocking the promotion gate.',
  },
  revoke: {
    verb: 'Revoke',
    done: 'revoked',
    explain: 'The failure blocks the promotion gate again from now on.',
  },
  withdraw: {
    verb: 'Withdraw',
    done: 'withdrawn',
    explain:
      'Your request is taken back; governance no longer sees it as pending.',
  },
};

export interface WaiverDecisionDialogProps {
  waiver: Waiver;
  decision: WaiverDecision;
  onClose: () => void;
  /** Called with the waiver as the server returned it after the decision. */
  onDecided: (waiver: Waiver) => void;
}

/**
 * Confirms one decision on a waiver, with an optional comment kept in its history. A refusal
 * stays in the dialog, in the server's words, so the user can read why.
 */
export const WaiverDecisionDialog = ({
  waiver,
  decision,
  onClose,
  onDecided,
}: WaiverDecisionDialogProps) => {
  const api = useApi(mlInfraApiRef);
  const [comment, setComment] = useState('');
  const { busy, run, refusal } = useWaiverCall(onDecided);
  const { verb, done, explain } = WORDING[decision];

  const confirm = async () => {
    const text = comment.trim() || undefined;
    const calls = {
      approve: () => api.approveWaiver(waiver.id, text),
      reject: () => api.rejectWaiver(waiver.id, text),
      revoke: () => api.revokeWaiver(waiver.id, text),
      withdraw: () => api.withdrawWaiver(waiver.id, text),
    };
    await run(calls[decision], `Waiver for ${waiver.rule} ${done}`);
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="waiver-decision-dialog-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="waiver-decision-dialog-title">
        {verb} waiver for {waiver.rule}
      </DialogTitle>
      <DialogContent>
        <DialogContentText component="div">
          <StatusChip subject="Waiver" status={waiver.status} /> {verb} the
          waiver of <code>{waiver.rule}</code> on {waiver.entityRef}
          {waiver.environment ? ` in ${waiver.environment}` : ''}? {explain}
        </DialogContentText>
        <DialogContentText variant="body2">
          Justification: {waiver.justification}
        </DialogContentText>
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
        {refusal}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          {verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
