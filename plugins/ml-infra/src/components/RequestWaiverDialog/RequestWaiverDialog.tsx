import { FormEvent, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { DateTime } from 'luxon';
import type { WaiverRequest } from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';

export interface RequestWaiverDialogProps {
  open: boolean;
  entityRef: string;
  /** Prefills the form from the result the waiver is for. */
  initial?: Partial<Pick<WaiverRequest, 'rule' | 'environment' | 'resource'>>;
  onClose: () => void;
  onRequested: () => void;
}

const DEFAULT_DAYS = 30;

/** Asks governance for a time-boxed waiver of one rule on this module. */
export const RequestWaiverDialog = (props: RequestWaiverDialogProps) => {
  const { open, entityRef, initial, onClose, onRequested } = props;
  const api = useApi(mlInfraApiRef);
  const alertApi = useApi(alertApiRef);
  const [rule, setRule] = useState(initial?.rule ?? '');
  const [environment, setEnvironment] = useState(initial?.environment ?? '');
  const [resource, setResource] = useState(initial?.resource ?? '');
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState(
    DateTime.now().plus({ days: DEFAULT_DAYS }).toISODate()!,
  );
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const today = DateTime.now().toISODate()!;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      await api.requestWaiver({
        entityRef,
        rule: rule.trim(),
        environment: environment.trim() || undefined,
        resource: resource.trim() || undefined,
        justification: justification.trim(),
        // Valid through the chosen day, in the requester's time zone.
        expiresAt: DateTime.fromISO(expiresOn).endOf('day').toUTC().toISO()!,
      });
      alertApi.post({
        message: `Waiver for ${rule} requested`,
        severity: 'success',
        display: 'transient',
      });
      onRequested();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="request-waiver-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit}>
        <DialogTitle id="request-waiver-title">Request waiver</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A waiver lets a failing rule pass the promotion gate until it
            expires. Governance approves it; the result is shown as waived,
            never as passed.
          </DialogContentText>
          <TextField
            id="waiver-rule"
            label="Rule"
            value={rule}
            onChange={e => setRule(e.target.value)}
            required
            fullWidth
            margin="dense"
          />
          <TextField
            id="waiver-environment"
            label="Environment"
            helperText="Leave empty to cover every environment"
            value={environment}
            onChange={e => setEnvironment(e.target.value)}
            fullWidth
            margin="dense"
          />
          <TextField
            id="waiver-resource"
            label="Resource"
            value={resource}
            onChange={e => setResource(e.target.value)}
            fullWidth
            margin="dense"
          />
          <TextField
            id="waiver-justification"
            label="Justification"
            value={justification}
            onChange={e => setJustification(e.target.value)}
            required
            multiline
            minRows={3}
            fullWidth
            margin="dense"
          />
          <TextField
            id="waiver-expires"
            label="Expires on"
            type="date"
            value={expiresOn}
            onChange={e => setExpiresOn(e.target.value)}
            required
            fullWidth
            margin="dense"
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: today }}
          />
          {error && (
            <DialogContentText color="error" role="alert">
              {error}
            </DialogContentText>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={
              submitting || !rule.trim() || !justification.trim() || !expiresOn
            }
          >
            Submit request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
