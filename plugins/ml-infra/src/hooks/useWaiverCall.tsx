import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import DialogContentText from '@material-ui/core/DialogContentText';
import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { errorMessage } from '../utils/errors';

/**
 * A waiver dialog's one call to the API: `busy` while it runs; on success a transient alert and
 * the waiver as the server returned it go to `onDone`; a refusal stays in the dialog, in the
 * server's words (`refusal`), and the dialog can be sent again.
 */
export function useWaiverCall(onDone: (waiver: Waiver) => void) {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const run = async (call: () => Promise<Waiver>, success: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const waiver = await call();
      alertApi.post({
        message: success,
        severity: 'success',
        display: 'transient',
      });
      onDone(waiver);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const refusal = error ? (
    <DialogContentText color="error" role="alert">
      {error}
    </DialogContentText>
  ) : null;

  return { busy, run, refusal };
}
