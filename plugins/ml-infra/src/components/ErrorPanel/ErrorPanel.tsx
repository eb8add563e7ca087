import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../utils/errors';

export interface ErrorPanelProps {
  error: unknown;
  /** What failed, e.g. "Could not load the promotion gate". */
  title?: string;
}

/**
 * A failure in the server's words. Unlike `ResponseErrorPanel` it never shows the stack trace
 * and the raw response a development backend sends along.
 */
export const ErrorPanel = ({ error, title }: ErrorPanelProps) => (
  <WarningPanel severity="error" title={title ?? 'Something went wrong'}>
    <Typography role="alert" variant="body2">
      {errorMessage(error)}
    </Typography>
  </WarningPanel>
);
