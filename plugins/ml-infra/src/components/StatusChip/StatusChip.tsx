import { ReactElement } from 'react';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircle from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import Warning from '@material-ui/icons/Warning';
import HelpOutline from '@material-ui/icons/HelpOutline';
import VerifiedUser from '@material-ui/icons/VerifiedUser';
import Schedule from '@material-ui/icons/Schedule';
import HighlightOff from '@material-ui/icons/HighlightOff';
import TimerOff from '@material-ui/icons/TimerOff';
import SyncProblem from '@material-ui/icons/SyncProblem';
import Info from '@material-ui/icons/Info';
import Undo from '@material-ui/icons/Undo';
import RemoveCircleOutline from '@material-ui/icons/RemoveCircleOutline';

type Tone = 'ok' | 'error' | 'warning' | 'info' | 'neutral';

interface StatusStyle {
  tone: Tone;
  label: string;
  icon: ReactElement;
}

/**
 * Every status the plugin shows, across tests, policy, drift, waivers, gates and severities.
 * Each one has its own icon and text so the meaning never rests on colour alone.
 */
const STATUSES: Record<string, StatusStyle> = {
  passed: { tone: 'ok', label: 'Passed', icon: <CheckCircle /> },
  clean: { tone: 'ok', label: 'In sync', icon: <CheckCircle /> },
  healthy: { tone: 'ok', label: 'Healthy', icon: <CheckCircle /> },
  allowed: { tone: 'ok', label: 'Allowed', icon: <CheckCircle /> },
  approved: { tone: 'ok', label: 'Approved', icon: <CheckCircle /> },
  failed: { tone: 'error', label: 'Failed', icon: <ErrorIcon /> },
  drifted: { tone: 'error', label: 'Drifted', icon: <SyncProblem /> },
  blocked: { tone: 'error', label: 'Blocked', icon: <ErrorIcon /> },
  rejected: { tone: 'error', label: 'Rejected', icon: <HighlightOff /> },
  expired: { tone: 'error', label: 'Expired', icon: <TimerOff /> },
  warned: { tone: 'warning', label: 'Warned', icon: <Warning /> },
  pending: { tone: 'warning', label: 'Pending', icon: <Schedule /> },
  expiring: { tone: 'warning', label: 'Expiring soon', icon: <Schedule /> },
  waived: { tone: 'info', label: 'Waived', icon: <VerifiedUser /> },
  revoked: { tone: 'neutral', label: 'Revoked', icon: <RemoveCircleOutline /> },
  withdrawn: { tone: 'neutral', label: 'Withdrawn', icon: <Undo /> },
  skipped: { tone: 'neutral', label: 'Skipped', icon: <RemoveCircleOutline /> },
  unknown: { tone: 'neutral', label: 'Unknown', icon: <HelpOutline /> },
  critical: { tone: 'error', label: 'Critical', icon: <ErrorIcon /> },
  high: { tone: 'error', label: 'High', icon: <Warning /> },
  medium: { tone: 'warning', label: 'Medium', icon: <Warning /> },
  low: { tone: 'info', label: 'Low', icon: <Info /> },
  info: { tone: 'neutral', label: 'Info', icon: <Info /> },
};

const useStyles = makeStyles(theme => {
  const tone = (color: string) => ({
    borderColor: color,
    color: theme.palette.text.primary,
    '& $icon': { color },
  });
  return {
    icon: {},
    // Compact below 1440 px so a row's three status chips sit side by side instead of stacking;
    // colour, icon and text all stay.
    compact: {
      '@media (max-width: 1439.95px)': {
        height: 20,
        fontSize: theme.typography.pxToRem(12),
        '& .MuiChip-label': {
          paddingLeft: theme.spacing(0.5),
          paddingRight: theme.spacing(0.75),
        },
        '& $icon': { fontSize: 14, marginLeft: theme.spacing(0.5) },
      },
    },
    ok: tone(theme.palette.status.ok),
    error: tone(theme.palette.status.error),
    warning: tone(theme.palette.status.warning),
    info: tone(theme.palette.info.main),
    neutral: tone(theme.palette.text.secondary),
  };
});

export interface StatusChipProps {
  status: string;
  /** Overrides the status's default text, e.g. "Drifted (3 resources)". */
  label?: string;
  /** Names the aspect for screen readers, e.g. "Policy". */
  subject?: string;
  size?: 'small' | 'medium';
}

/** A status as colour, icon and text together. */
export const StatusChip = ({
  status,
  label,
  subject,
  size = 'small',
}: StatusChipProps) => {
  const classes = useStyles();
  const style = STATUSES[status] ?? STATUSES.unknown;
  const text = label ?? style.label;
  return (
    <Chip
      variant="outlined"
      size={size}
      icon={style.icon}
      label={text}
      classes={{
        root: `${classes[style.tone]} ${
          size === 'small' ? classes.compact : ''
        }`,
        icon: classes.icon,
      }}
      aria-label={subject ? `${subject}: ${text}` : text}
      data-testid={`status-chip-${status}`}
    />
  );
};
