import { Link } from '@backstage/core-components';
import { alpha, makeStyles } from '@material-ui/core/styles';
import { CI_INTEGRATION_DOCS_URL } from '../../constants';

const useStyles = makeStyles(theme => ({
  // Looks like a button, but it navigates: announced as a link (Backstage's LinkButton is
  // announced as a button).
  root: {
    ...theme.typography.button,
    display: 'inline-flex',
    alignItems: 'center',
    padding: theme.spacing(0.625, 1.875),
    borderRadius: theme.shape.borderRadius,
    textDecoration: 'none',
    '&:hover': {
      textDecoration: 'none',
    },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  outlined: {
    border: `1px solid ${alpha(theme.palette.primary.main, 0.5)}`,
    color: theme.palette.primary.main,
    '&:hover': {
      border: `1px solid ${theme.palette.primary.main}`,
      backgroundColor: alpha(
        theme.palette.primary.main,
        theme.palette.action.hoverOpacity,
      ),
    },
  },
  contained: {
    border: '1px solid transparent',
    color: theme.palette.primary.contrastText,
    backgroundColor: theme.palette.primary.main,
    boxShadow: theme.shadows[2],
    '&:hover': {
      backgroundColor: theme.palette.primary.dark,
    },
  },
}));

export interface GuideLinkProps {
  variant?: 'outlined' | 'contained';
}

/** "Read the CI integration guide": the way to the docs every empty ML Infra view offers. */
export const GuideLink = ({ variant = 'outlined' }: GuideLinkProps) => {
  const classes = useStyles();
  return (
    <Link
      to={CI_INTEGRATION_DOCS_URL}
      className={`${classes.root} ${classes[variant]}`}
    >
      Read the CI integration guide
    </Link>
  );
};
