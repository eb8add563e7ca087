import { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';

const useStyles = makeStyles(theme => ({
  // A CSS grid rather than MUI's Grid: no negative margins, so the row never sticks out of the
  // page; tiles share the width and wrap when they get narrower than a readable tile.
  tiles: {
    listStyle: 'none',
    padding: 0,
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))',
    gap: theme.spacing(2),
  },
  item: { minWidth: 0 },
  tile: {
    padding: theme.spacing(2),
    height: '100%',
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  link: {
    textDecoration: 'none',
    color: 'inherit',
    '&:hover, &:focus-visible': { boxShadow: theme.shadows[4] },
  },
  selected: { outline: `2px solid ${theme.palette.primary.main}` },
  value: {
    fontWeight: theme.typography.fontWeightBold as number,
    lineHeight: 1.1,
  },
}));

export interface SummaryTile {
  id: string;
  label: string;
  /** Undefined while it loads: the tile keeps its place and size, with a placeholder number. */
  value?: number;
  icon?: ReactNode;
  /** Shown under the label, e.g. what the number counts. */
  hint?: string;
  /** Where a click leads, e.g. the module list filtered to what the tile counts. */
  to?: string;
  /** The tile's filter is the one applied now. */
  selected?: boolean;
}

/**
 * A row of headline numbers. Tiles whose number is still loading are drawn at their final size,
 * so what is below them does not move when the numbers arrive.
 */
export const SummaryTiles = ({ tiles }: { tiles: SummaryTile[] }) => {
  const classes = useStyles();
  const loading = tiles.some(tile => tile.value === undefined);
  return (
    <ul
      className={classes.tiles}
      aria-label="Summary"
      aria-busy={loading ? 'true' : undefined}
    >
      {tiles.map(tile => (
        <li key={tile.id} className={classes.item}>
          <Paper
            className={`${classes.tile} ${tile.to ? classes.link : ''} ${
              tile.selected ? classes.selected : ''
            }`}
            data-testid={`summary-tile-${tile.id}`}
            {...((tile.to
              ? {
                  component: RouterLink,
                  to: tile.to,
                  // The tile's visible text is its accessible name (WCAG 2.5.3, label in name).
                  'aria-current': tile.selected ? 'true' : undefined,
                }
              : {}) as object)}
          >
            {tile.icon}
            <div>
              <Typography variant="h4" component="p" className={classes.value}>
                {tile.value === undefined ? (
                  <Skeleton width="2ch" data-testid="summary-tile-loading" />
                ) : (
                  tile.value.toLocaleString('en-US')
                )}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {tile.label}
              </Typography>
              {tile.hint && (
                <Typography variant="caption" color="textSecondary">
                  {tile.hint}
                </Typography>
              )}
            </div>
          </Paper>
        </li>
      ))}
    </ul>
  );
};
