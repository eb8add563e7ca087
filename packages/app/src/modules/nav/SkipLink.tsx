import { makeStyles } from '@material-ui/core';
import { MouseEvent } from 'react';

const useStyles = makeStyles(theme => ({
  link: {
    position: 'fixed',
    top: theme.spacing(1),
    left: theme.spacing(1),
    zIndex: theme.zIndex.tooltip + 1,
    padding: theme.spacing(1, 2),
    borderRadius: theme.shape.borderRadius,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    fontWeight: 700,
    textDecoration: 'underline',
    outline: `3px solid ${theme.palette.primary.main}`,
    // Off screen until it receives keyboard focus, as the first stop of every page.
    transform: 'translateY(-200%)',
    '&:focus': {
      transform: 'none',
    },
  },
}));

/**
 * "Skip to content": the first keyboard stop, moving focus past the sidebar to the page's main
 * region. Backstage's own skip button only renders when the content exists before the sidebar,
 * which the app layout never guarantees.
 */
export const SkipLink = () => {
  const classes = useStyles();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    const main = document.querySelector<HTMLElement>('main');
    if (!main) return;
    event.preventDefault();
    main.setAttribute('tabindex', '-1');
    main.focus();
  };
  return (
    <a href="#main" className={classes.link} onClick={skip}>
      Skip to content
    </a>
  );
};
