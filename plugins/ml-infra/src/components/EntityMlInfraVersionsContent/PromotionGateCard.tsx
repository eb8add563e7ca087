import useAsync from 'react-use/esm/useAsync';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { InfoCard, Progress } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Cancel from '@material-ui/icons/Cancel';
import { Link } from '@backstage/core-components';
import { DateTime } from 'luxon';
import {
  EnvironmentMatrix,
  GateReason,
  ML_INFRA_ENTITY_TABS,
  ModuleVersion,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { ErrorPanel } from '../ErrorPanel';
import { StatusChip } from '../StatusChip';

/** Where each failing check's evidence is, as a tab of the module's entity page. */
const EVIDENCE_TAB: Partial<
  Record<GateReason['check'], { path: string; label: string }>
> = {
  tests: { path: ML_INFRA_ENTITY_TABS.tests, label: 'See the failing tests' },
  policy: {
    path: ML_INFRA_ENTITY_TABS.policy,
    label: 'See the failing rules',
  },
  drift: {
    path: ML_INFRA_ENTITY_TABS.drift,
    label: 'See the drifted resources',
  },
};

/** The gate speaks ISO 8601 for CI logs; people read local dates. */
export function humanizeTimes(message: string): string {
  return message.replace(
    /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g,
    iso => {
      const time = DateTime.fromISO(iso);
      return time.isValid ? time.toLocaleString(DateTime.DATETIME_MED) : iso;
    },
  );
}

/** The first environment, in promotion order, that does not yet run `version`. */
export function nextEnvironment(
  matrix: EnvironmentMatrix,
  version: string,
): string | undefined {
  return matrix.environments.find(
    env => matrix.current.find(c => c.environment === env)?.version !== version,
  );
}

/** The promotion gate's current answer for the latest version and its next environment. */
export const PromotionGateCard = ({
  entityRef,
  latest,
  matrix,
}: {
  entityRef: string;
  latest?: ModuleVersion;
  matrix: EnvironmentMatrix;
}) => {
  const api = useApi(mlInfraApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const entityPage = entityRoute({
    kind: kind.toLocaleLowerCase('en-US'),
    namespace,
    name,
  });
  const environment = latest
    ? nextEnvironment(matrix, latest.version)
    : undefined;
  const { value, loading, error } = useAsync(async () => {
    if (!latest || !environment) {
      return undefined;
    }
    return api.getPromotionGate(entityRef, latest.version, environment);
  }, [api, entityRef, latest?.version, environment]);

  let body;
  if (!latest) {
    body = <Typography>No version released yet.</Typography>;
  } else if (!environment) {
    body = (
      <Typography>
        {latest.version} already runs in every environment.
      </Typography>
    );
  } else if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <ErrorPanel error={error} title="Could not ask the promotion gate" />
    );
  } else if (value) {
    body = (
      <>
        <Typography component="p" data-testid="gate-decision">
          <StatusChip
            status={value.allowed ? 'allowed' : 'blocked'}
            label={value.allowed ? 'Promotion allowed' : 'Promotion blocked'}
            size="medium"
          />{' '}
          {value.version} → {value.environment}
        </Typography>
        <List dense aria-label="Gate reasons">
          {value.reasons.map(reason => (
            <ListItem key={`${reason.check}-${reason.message}`}>
              <ListItemIcon>
                {reason.ok ? (
                  <CheckCircle style={{ color: 'green' }} titleAccess="ok" />
                ) : (
                  <Cancel color="error" titleAccess="failed" />
                )}
              </ListItemIcon>
              <ListItemText
                primary={humanizeTimes(reason.message)}
                primaryTypographyProps={{ style: { whiteSpace: 'normal' } }}
                secondary={
                  <>
                    {`${reason.check} check: ${reason.ok ? 'ok' : 'failed'}`}
                    {!reason.ok && EVIDENCE_TAB[reason.check] && (
                      <>
                        {' · '}
                        <Link
                          to={`${entityPage}/${
                            EVIDENCE_TAB[reason.check]!.path
                          }`}
                        >
                          {EVIDENCE_TAB[reason.check]!.label}
                        </Link>
                      </>
                    )}
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      </>
    );
  }

  return (
    <InfoCard
      title="Promotion gate"
      subheader={
        environment && latest
          ? `May ${latest.version} go to ${environment} now?`
          : undefined
      }
    >
      {body}
    </InfoCard>
  );
};
