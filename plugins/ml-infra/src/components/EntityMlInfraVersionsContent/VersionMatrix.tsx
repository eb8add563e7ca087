import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import PlayCircleFilled from '@material-ui/icons/PlayCircleFilled';
import History from '@material-ui/icons/History';
import SyncProblem from '@material-ui/icons/SyncProblem';
import { InfoCard } from '@backstage/core-components';
import type {
  EnvironmentMatrix,
  ModuleVersion,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  cell: {
    border: `1px solid ${theme.palette.divider}`,
    textAlign: 'center',
    minWidth: 110,
  },
  // A tint of the primary colour under the theme's own text colour: readable (WCAG AA) in the
  // light and the dark theme, where primary.light/dark under contrastText was not.
  running: {
    backgroundColor: alpha(theme.palette.primary.main, 0.16),
    boxShadow: `inset 0 0 0 2px ${theme.palette.primary.main}`,
    color: theme.palette.text.primary,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  previous: {
    backgroundColor: theme.palette.action.hover,
    color: theme.palette.text.primary,
  },
  label: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  icon: { fontSize: 16 },
}));

/** Versions down, environments across: where each version runs now and where it ran before. */
export const VersionMatrix = ({
  versions,
  matrix,
}: {
  versions: ModuleVersion[];
  matrix: EnvironmentMatrix;
}) => {
  const classes = useStyles();
  const versionNames = [
    ...new Set([
      ...versions.map(v => v.version),
      ...matrix.history.map(d => d.version),
    ]),
  ];
  const evidence = new Map(versions.map(v => [v.version, v]));

  return (
    <InfoCard
      title="Version × environment"
      subheader="Where each version runs now, and where it ran before"
    >
      <Table
        size="small"
        aria-label="Version by environment matrix"
        data-testid="version-matrix"
      >
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            {matrix.environments.map(env => (
              <TableCell key={env} className={classes.cell}>
                {env}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {versionNames.map(version => (
            <TableRow key={version}>
              <TableCell component="th" scope="row">
                <Typography variant="body2">{version}</Typography>
                {evidence.get(version) && (
                  <Typography variant="caption" color="textSecondary">
                    <RelativeTime value={evidence.get(version)!.releasedAt} />
                  </Typography>
                )}
              </TableCell>
              {matrix.environments.map(env => {
                const current = matrix.current.find(c => c.environment === env);
                if (current?.version === version) {
                  return (
                    <TableCell
                      key={env}
                      className={`${classes.cell} ${classes.running}`}
                      data-testid={`matrix-${version}-${env}`}
                    >
                      <span className={classes.label}>
                        <PlayCircleFilled
                          className={classes.icon}
                          aria-hidden
                        />
                        Running
                        {current.drift === 'drifted' && (
                          <SyncProblem
                            className={classes.icon}
                            titleAccess="drifted"
                            role="img"
                          />
                        )}
                      </span>
                    </TableCell>
                  );
                }
                const past = matrix.history.find(
                  d => d.environment === env && d.version === version,
                );
                if (past) {
                  return (
                    <TableCell
                      key={env}
                      className={`${classes.cell} ${classes.previous}`}
                      data-testid={`matrix-${version}-${env}`}
                    >
                      <span className={classes.label}>
                        <History className={classes.icon} aria-hidden />
                        Previously
                      </span>
                    </TableCell>
                  );
                }
                return (
                  <TableCell
                    key={env}
                    className={classes.cell}
                    data-testid={`matrix-${version}-${env}`}
                  >
                    <span aria-label="never deployed">—</span>
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {matrix.current.some(c => c.drift === 'drifted') && (
        <Typography variant="caption" color="textSecondary" component="p">
          <StatusChip status="drifted" /> marks an environment whose
          infrastructure differs from its Terraform state.
        </Typography>
      )}
    </InfoCard>
  );
};
