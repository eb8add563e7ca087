import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
    flexShrink: 0,
  },
});

/**
 * The portal's mark: three stacked layers (infrastructure as code, promoted dev → staging → prod)
 * with a chip at the top (the ML accelerator). Decorative: the link around it carries the name.
 */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      viewBox="0 0 32 32"
      xmlns="http://www.w3.org/2000/svg"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M16 3 29 9.5 16 16 3 9.5Z" fill="#7df3e1" />
      <path
        d="M3 15.5 16 22l13-6.5M3 21.5 16 28l13-6.5"
        fill="none"
        stroke="#7df3e1"
        strokeWidth="2.4"
        strokeLinejoin="round"
      />
      <rect x="12.5" y="7" width="7" height="5" rx="1" fill="#171717" />
    </svg>
  );
};
