import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
    color: '#ffffff',
    whiteSpace: 'nowrap',
  },
  name: {
    fontSize: 18,
    fontWeight: 700,
    lineHeight: 1.1,
    letterSpacing: 0.2,
  },
});

/** The mark and the portal's name, shown when the sidebar is open. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <LogoIcon />
      <span className={classes.name}>ML Infra Portal</span>
    </span>
  );
};
