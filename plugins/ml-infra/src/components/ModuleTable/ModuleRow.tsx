import { memo } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import SyncProblem from '@material-ui/icons/SyncProblem';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import {
  ModuleEnvironmentSummary,
  ModuleSummary,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { RelativeTime } from '../RelativeTime';
import { ModuleStatusChips } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  envCell: { whiteSpace: 'nowrap' },
  envIcon: {
    fontSize: 16,
    verticalAlign: 'text-bottom',
    marginLeft: theme.spacing(0.5),
  },
  drifted: { color: theme.palette.status.error },
  clean: { color: theme.palette.status.ok },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

/** The icon of a drift status shown beside a deployed version, and what it announces. */
const DRIFT_ICONS = {
  drifted: { Icon: SyncProblem, label: 'drifted', className: 'drifted' },
  clean: { Icon: CheckCircleOutline, label: 'in sync', className: 'clean' },
} as const;

const EnvironmentCell = ({ env }: { env?: ModuleEnvironmentSummary }) => {
  const classes = useStyles();
  if (!env?.version) {
    return <span aria-label="not deployed">—</span>;
  }
  const drift =
    env.drift === 'drifted' || env.drift === 'clean'
      ? DRIFT_ICONS[env.drift]
      : undefined;
  const icon = drift && (
    <drift.Icon
      className={`${classes.envIcon} ${classes[drift.className]}`}
      role="img"
      aria-label={drift.label}
      titleAccess={drift.label}
    />
  );
  return (
    <span className={classes.envCell}>
      {env.version}
      {icon && env.drift === 'drifted' ? (
        <Tooltip title="Drifted">{icon}</Tooltip>
      ) : (
        icon
      )}
    </span>
  );
};

/** A cell linking to an entity, or a dash when there is none. */
const RefCell = ({
  entityRef,
  defaultKind,
}: {
  entityRef?: string;
  defaultKind: string;
}) => (
  <TableCell>
    {entityRef ? (
      <EntityRefLink entityRef={entityRef} defaultKind={defaultKind} hideIcon />
    ) : (
      '—'
    )}
  </TableCell>
);

/**
 * One module's row. Memoised: typing, a URL change or the loading bar re-render the table, and
 * a row's links, chips and relative time are what made each of those renders slow; a row
 * renders again only for a new answer's module or other columns.
 */
export const ModuleRow = memo(
  ({
    module,
    environments,
  }: {
    module: ModuleSummary;
    environments: string[];
  }) => {
    const classes = useStyles();
    return (
      <TableRow hover data-testid="module-row">
        <TableCell>
          <EntityRefLink entityRef={module.entityRef} hideIcon>
            {module.title ?? module.entityRef.split('/').pop()}
          </EntityRefLink>
        </TableCell>
        <RefCell entityRef={module.owner} defaultKind="group" />
        <RefCell entityRef={module.system} defaultKind="system" />
        <TableCell>{module.latestVersion ?? '—'}</TableCell>
        {environments.map(env => (
          <TableCell key={env}>
            <EnvironmentCell
              env={module.environments.find(e => e.environment === env)}
            />
          </TableCell>
        ))}
        <TableCell>
          <div className={classes.chips}>
            <ModuleStatusChips module={module} />
          </div>
        </TableCell>
        <TableCell>
          <RelativeTime value={module.updatedAt} />
        </TableCell>
      </TableRow>
    );
  },
);
