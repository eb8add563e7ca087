import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

const useStyles = makeStyles({
  toggle: {
    marginLeft: 'auto',
    whiteSpace: 'nowrap',
  },
});

export interface FoldToggleProps {
  /** The short visible label, e.g. "Output". */
  children: string;
  /** The accessible name, naming what it folds (it must contain the visible label). */
  label: string;
  open: boolean;
  /** The id of the folded content. */
  controls: string;
  onToggle: () => void;
}

/**
 * The short toggle at the end of a summary row that opens and closes the details below it. The
 * icon stands first: at the end, the button's negative margin pushed it out of the label.
 */
export const FoldToggle = ({
  children,
  label,
  open,
  controls,
  onToggle,
}: FoldToggleProps) => {
  const classes = useStyles();
  return (
    <Button
      size="small"
      className={classes.toggle}
      onClick={onToggle}
      aria-expanded={open}
      aria-controls={controls}
      aria-label={label}
      startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
    >
      {children}
    </Button>
  );
};
