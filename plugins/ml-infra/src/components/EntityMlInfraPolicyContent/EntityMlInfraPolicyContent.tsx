import { Fragment, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  mlInfraWaiverCreatePermission,
  PolicyOutcome,
  PolicyResult,
  Severity,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { useModuleEntityRef } from '../../hooks/useModuleEntityRef';
import { DataState } from '../DataState';
import { ActorLink } from '../ActorLink';
import { RelativeTime } from '../RelativeTime';
import { RequestWaiverDialog } from '../RequestWaiverDialog';
import { StatusChip } from '../StatusChip';
import { WaiverHistoryRow, WaiverHistoryToggle } from '../WaiverHistory';

const OUTCOME_ORDER: PolicyOutcome[] = ['failed', 'warned', 'waived', 'passed'];
const SEVERITY_ORDER: Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** Failures first, then by severity, so what needs attention is on top. */
export function sortResults(results: PolicyResult[]): PolicyResult[] {
  return [...results].sort(
    (a, b) =>
      OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.rule.localeCompare(b.rule),
  );
}

/** A live waiver or request already covering this result. */
function coveringWaiver(
  result: PolicyResult,
  waivers: Waiver[],
): Waiver | undefined {
  if (result.waiverId) {
    return waivers.find(w => w.id === result.waiverId);
  }
  return waivers.find(
    w =>
      w.rule === result.rule &&
      (w.status === 'pending' || w.status === 'approved') &&
      (!w.environment || w.environment === result.environment) &&
      (!w.resource || w.resource === result.resource),
  );
}

const WaiverSummary = ({ waiver }: { waiver: Waiver }) => (
  <Box data-testid={`waiver-${waiver.id}`}>
    <StatusChip
      subject="Waiver"
      status={waiver.status}
      label={`Waiver ${waiver.status}`}
    />
    <Typography variant="caption" component="div">
      expires <RelativeTime value={waiver.expiresAt} />
    </Typography>
    <Typography variant="caption" component="div" color="textSecondary">
      {waiver.justification}
    </Typography>
  </Box>
);

/** The "Policy" tab of a module: results per rule, waivers, and waiver requests. */
export const EntityMlInfraPolicyContent = () => {
  const api = useApi(mlInfraApiRef);
  const entityRef = useModuleEntityRef();
  const state = useAsyncRetry(() => api.getPolicy(entityRef), [api, entityRef]);
  const { allowed: canRequest } = usePermission({
    permission: mlInfraWaiverCreatePermission,
    resourceRef: entityRef,
  });
  const [dialogFor, setDialogFor] = useState<
    Partial<PolicyResult> | undefined
  >();
  const [historyOpen, setHistoryOpen] = useState<Record<string, boolean>>({});

  return (
    <>
      <DataState
        {...state}
        title="No policy results reported yet"
        description="The policy-check workflow sends `conftest test --output json` to the portal; its results appear here."
        isEmpty={policy =>
          policy.results.length === 0 && policy.waivers.length === 0
        }
      >
        {policy => (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <InfoCard
                title={
                  policy.version
                    ? `Policy results for ${policy.version}`
                    : 'Policy results'
                }
                action={
                  canRequest ? (
                    <Button
                      variant="outlined"
                      color="primary"
                      onClick={() => setDialogFor({})}
                    >
                      Request waiver
                    </Button>
                  ) : undefined
                }
              >
                <Box
                  display="flex"
                  flexWrap="wrap"
                  style={{ gap: 8 }}
                  mb={2}
                  aria-label="Policy counts"
                  role="group"
                >
                  {OUTCOME_ORDER.map(outcome => (
                    <StatusChip
                      key={outcome}
                      status={outcome}
                      size="medium"
                      label={`${policy.counts[outcome]} ${outcome}`}
                    />
                  ))}
                </Box>
                <Table size="small" aria-label="Policy results">
                  <TableHead>
                    <TableRow>
                      <TableCell>Rule</TableCell>
                      <TableCell>Control</TableCell>
                      <TableCell>Severity</TableCell>
                      <TableCell>Outcome</TableCell>
                      <TableCell>Resource</TableCell>
                      <TableCell>Message</TableCell>
                      <TableCell>Waiver</TableCell>
                      <TableCell>Actions</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {sortResults(policy.results).map((result, index) => {
                      const waiver = coveringWaiver(result, policy.waivers);
                      return (
                        <TableRow
                          key={`${result.rule}-${result.resource}-${result.environment}-${index}`}
                          data-testid={`policy-result-${result.rule}`}
                        >
                          <TableCell>
                            <code>{result.rule}</code>
                          </TableCell>
                          <TableCell>{result.control ?? '—'}</TableCell>
                          <TableCell>
                            <StatusChip
                              subject="Severity"
                              status={result.severity}
                            />
                          </TableCell>
                          <TableCell>
                            <StatusChip
                              subject="Outcome"
                              status={result.outcome}
                            />
                            {result.outcome !== result.rawOutcome && (
                              <Typography
                                variant="caption"
                                component="div"
                                color="textSecondary"
                              >
                                was {result.rawOutcome}
                              </Typography>
                            )}
                          </TableCell>
                          <TableCell>
                            {result.resource ? (
                              <code>{result.resource}</code>
                            ) : (
                              '—'
                            )}
                            {result.environment && (
                              <Typography
                                variant="caption"
                                component="div"
                                color="textSecondary"
                              >
                                in {result.environment}
                              </Typography>
                            )}
                          </TableCell>
                          <TableCell>{result.message ?? '—'}</TableCell>
                          <TableCell>
                            {waiver ? <WaiverSummary waiver={waiver} /> : '—'}
                          </TableCell>
                          <TableCell>
                            {canRequest &&
                              !waiver &&
                              (result.outcome === 'failed' ||
                                result.outcome === 'warned') && (
                                <Button
                                  size="small"
                                  onClick={() => setDialogFor(result)}
                                  aria-label={`Request waiver for ${result.rule}`}
                                >
                                  Request waiver
                                </Button>
                              )}
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </InfoCard>
            </Grid>
            {policy.waivers.length > 0 && (
              <Grid item xs={12}>
                <InfoCard title="Waivers">
                  <Table size="small" aria-label="Waivers">
                    <TableHead>
                      <TableRow>
                        <TableCell>Rule</TableCell>
                        <TableCell>Scope</TableCell>
                        <TableCell>Status</TableCell>
                        <TableCell>Requested</TableCell>
                        <TableCell>Expires</TableCell>
                        <TableCell>Decision</TableCell>
                        <TableCell>Justification</TableCell>
                        <TableCell>History</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {policy.waivers.map(waiver => (
                        <Fragment key={waiver.id}>
                          <TableRow
                            data-testid={`policy-waiver-row-${waiver.id}`}
                          >
                            <TableCell>
                              <code>{waiver.rule}</code>
                            </TableCell>
                            <TableCell>
                              {[waiver.environment, waiver.resource]
                                .filter(Boolean)
                                .join(' · ') || 'All'}
                            </TableCell>
                            <TableCell>
                              <StatusChip
                                subject="Waiver"
                                status={waiver.status}
                              />
                            </TableCell>
                            <TableCell>
                              <ActorLink actor={waiver.requestedBy} />
                              , <RelativeTime value={waiver.requestedAt} />
                            </TableCell>
                            <TableCell>
                              <RelativeTime value={waiver.expiresAt} />
                            </TableCell>
                            <TableCell>
                              {waiver.decidedBy ? (
                                <>
                                  <ActorLink actor={waiver.decidedBy} />
                                  , <RelativeTime value={waiver.decidedAt} />
                                  {waiver.decisionComment && (
                                    <Typography
                                      variant="caption"
                                      component="div"
                                    >
                                      {waiver.decisionComment}
                                    </Typography>
                                  )}
                                </>
                              ) : (
                                '—'
                              )}
                            </TableCell>
                            <TableCell>{waiver.justification}</TableCell>
                            <TableCell>
                              <WaiverHistoryToggle
                                waiver={waiver}
                                open={!!historyOpen[waiver.id]}
                                rowId={`policy-waiver-history-${waiver.id}`}
                                onToggle={() =>
                                  setHistoryOpen(open => ({
                                    ...open,
                                    [waiver.id]: !open[waiver.id],
                                  }))
                                }
                              />
                            </TableCell>
                          </TableRow>
                          {historyOpen[waiver.id] && (
                            <WaiverHistoryRow
                              waiver={waiver}
                              rowId={`policy-waiver-history-${waiver.id}`}
                              colSpan={8}
                            />
                          )}
                        </Fragment>
                      ))}
                    </TableBody>
                  </Table>
                </InfoCard>
              </Grid>
            )}
          </Grid>
        )}
      </DataState>
      {dialogFor && (
        <RequestWaiverDialog
          open
          entityRef={entityRef}
          initial={dialogFor}
          onClose={() => setDialogFor(undefined)}
          onRequested={() => {
            setDialogFor(undefined);
            state.retry();
          }}
        />
      )}
    </>
  );
};
