import { Fragment, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
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
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  isHttpUrl,
  mlInfraWaiverCreatePermission,
  PolicyOutcome,
  PolicyResult,
  Severity,
  STANDING_WAIVER_STATUSES,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { useViewerRef } from '../../hooks/useViewerRef';
import {
  WaiverDecisionCell,
  WaiverExpiry,
} from '../GovernancePage/WaiverTable';
import { WaiverDecisionDialog } from '../WaiverDecisionDialog';
import { mlInfraApiRef } from '../../api';
import { useModuleEntityRef } from '../../hooks/useModuleEntityRef';
import { DataState } from '../DataState';
import { ActorLink } from '../ActorLink';
import { RelativeTime } from '../RelativeTime';
import { RequestWaiverDialog } from '../RequestWaiverDialog';
import { StatusChip } from '../StatusChip';
import { useWaiverHistoryFolds } from '../WaiverHistory';

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
      STANDING_WAIVER_STATUSES.includes(w.status) &&
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
    {waiver.status === 'approved' && (
      <Typography variant="caption" component="div">
        expires <RelativeTime value={waiver.expiresAt} />
      </Typography>
    )}
    {waiver.status === 'pending' && (
      <Typography variant="caption" component="div">
        requested <RelativeTime value={waiver.requestedAt} />, until{' '}
        <RelativeTime value={waiver.expiresAt} />
      </Typography>
    )}
  </Box>
);

/** Waivers as fetched, with the ones this page just requested or withdrew laid over them. */
function mergeWaivers(fetched: Waiver[], local: Record<string, Waiver>) {
  const ids = new Set(fetched.map(w => w.id));
  return [
    ...Object.values(local).filter(w => !ids.has(w.id)),
    ...fetched.map(w => local[w.id] ?? w),
  ];
}

/** The module's TechDocs page listing its policies and how to meet them, when it has docs. */
function useRemediationLink(): string | undefined {
  const { entity } = useEntity();
  if (!entity.metadata.annotations?.['backstage.io/techdocs-ref']) {
    return undefined;
  }
  const namespace = entity.metadata.namespace ?? 'default';
  return `/docs/${namespace}/${entity.kind.toLocaleLowerCase('en-US')}/${
    entity.metadata.name
  }/policies/`;
}

/**
 * Rule ids, resource addresses and file paths are identifiers without spaces: they may break
 * anywhere so the table columns can shrink to the page instead of overflowing it.
 */
const identifier = { overflowWrap: 'anywhere' } as const;

/** What the result is about: the resource, else the file the tool checked. */
const ResultResource = ({ result }: { result: PolicyResult }) => {
  if (result.resource) {
    return <code style={identifier}>{result.resource}</code>;
  }
  if (result.filename) {
    return (
      <>
        <Typography variant="caption" color="textSecondary">
          file{' '}
        </Typography>
        <code style={identifier}>{result.filename}</code>
      </>
    );
  }
  return <>—</>;
};

/** Where a result was found: its resource (or file), and the environment when it names one. */
const ResultWhere = ({ result }: { result: PolicyResult }) => (
  <>
    <ResultResource result={result} />
    {result.environment && (
      <Typography variant="caption" component="div" color="textSecondary">
        in {result.environment}
      </Typography>
    )}
  </>
);

/**
 * How to fix a failing result: the link its rule's metadata gives, else the module's policy
 * docs. Named by the control (or rule) so each link says what it fixes.
 */
const RemediationLink = ({
  result,
  moduleDocs,
}: {
  result: PolicyResult;
  moduleDocs?: string;
}) => {
  const to = isHttpUrl(result.remediationUrl)
    ? result.remediationUrl
    : moduleDocs;
  if (!to) {
    return null;
  }
  return (
    <Typography variant="caption" component="div">
      <Link to={to}>How to fix {result.control ?? result.rule}</Link>
    </Typography>
  );
};

/** Passed results, folded: the header counts the rows it holds. */
const PassedResults = ({
  results,
  open,
  onToggle,
}: {
  results: PolicyResult[];
  open: boolean;
  onToggle: () => void;
}) => (
  <Box mt={2}>
    <Button
      size="small"
      onClick={onToggle}
      aria-expanded={open}
      aria-controls="policy-passed-results"
      startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
    >
      {results.length} passed
    </Button>
    {open && (
      <Table
        size="small"
        aria-label="Passed results"
        id="policy-passed-results"
      >
        <TableHead>
          <TableRow>
            <TableCell>Rule</TableCell>
            <TableCell>Control</TableCell>
            <TableCell>Resource</TableCell>
            <TableCell>Message</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {results.map((result, index) => (
            <TableRow
              key={`${result.rule}-${result.resource}-${result.environment}-${index}`}
              data-testid={`policy-passed-${result.rule}`}
            >
              <TableCell>
                <code style={identifier}>{result.rule}</code>
              </TableCell>
              <TableCell>{result.control ?? '—'}</TableCell>
              <TableCell>
                <ResultWhere result={result} />
              </TableCell>
              <TableCell>{result.message ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
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
  const historyFolds = useWaiverHistoryFolds('policy-waiver-history-');
  const [localWaivers, setLocalWaivers] = useState<Record<string, Waiver>>({});
  const [withdrawing, setWithdrawing] = useState<Waiver>();
  const [showPassed, setShowPassed] = useState(false);
  const viewer = useViewerRef();
  const remediation = useRemediationLink();
  const remember = (waiver: Waiver) =>
    setLocalWaivers(local => ({ ...local, [waiver.id]: waiver }));

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
        {fetched => {
          const policy = {
            ...fetched,
            waivers: mergeWaivers(fetched.waivers, localWaivers),
          };
          const sorted = sortResults(policy.results);
          const attention = sorted.filter(r => r.outcome !== 'passed');
          const passed = sorted.filter(r => r.outcome === 'passed');
          return (
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
                        label={`${policy.counts[outcome]} ${outcome} check${
                          policy.counts[outcome] === 1 ? '' : 's'
                        }`}
                      />
                    ))}
                  </Box>
                  <Typography variant="body2" color="textSecondary" paragraph>
                    Counts are checks as the policy tool reports them; the
                    tables list each distinct result once.
                  </Typography>
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
                      {attention.length === 0 && (
                        <TableRow>
                          <TableCell colSpan={8}>
                            Nothing fails or warns
                            {passed.length > 0 ? ': every result passed.' : '.'}
                          </TableCell>
                        </TableRow>
                      )}
                      {attention.map((result, index) => {
                        const waiver = coveringWaiver(result, policy.waivers);
                        return (
                          <TableRow
                            key={`${result.rule}-${result.resource}-${result.environment}-${index}`}
                            data-testid={`policy-result-${result.rule}`}
                          >
                            <TableCell>
                              <code style={identifier}>{result.rule}</code>
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
                              <ResultWhere result={result} />
                            </TableCell>
                            <TableCell>
                              {result.message ?? '—'}
                              <RemediationLink
                                result={result}
                                moduleDocs={remediation}
                              />
                            </TableCell>
                            <TableCell>
                              {waiver ? <WaiverSummary waiver={waiver} /> : '—'}
                            </TableCell>
                            <TableCell>
                              {canRequest &&
                                !waiver &&
                                // A warning never blocks the gate: nothing to waive.
                                result.outcome === 'failed' && (
                                  <Button
                                    size="small"
                                    onClick={() => setDialogFor(result)}
                                    aria-label={`Request waiver for ${result.rule}`}
                                  >
                                    Request waiver
                                  </Button>
                                )}
                              {waiver?.status === 'pending' &&
                                viewer !== undefined &&
                                waiver.requestedBy === viewer && (
                                  <Button
                                    size="small"
                                    onClick={() => setWithdrawing(waiver)}
                                    aria-label={`Withdraw waiver request for ${result.rule}`}
                                  >
                                    Withdraw
                                  </Button>
                                )}
                            </TableCell>
                          </TableRow>
                        );
                      })}
                    </TableBody>
                  </Table>
                  {passed.length > 0 && (
                    <PassedResults
                      results={passed}
                      open={showPassed}
                      onToggle={() => setShowPassed(open => !open)}
                    />
                  )}
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
                                <code style={identifier}>{waiver.rule}</code>
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
                                <WaiverExpiry waiver={waiver} />
                              </TableCell>
                              <TableCell>
                                <WaiverDecisionCell waiver={waiver} />
                              </TableCell>
                              <TableCell>{waiver.justification}</TableCell>
                              <TableCell>
                                {historyFolds.toggle(waiver)}
                              </TableCell>
                            </TableRow>
                            {historyFolds.row(waiver, 8)}
                          </Fragment>
                        ))}
                      </TableBody>
                    </Table>
                  </InfoCard>
                </Grid>
              )}
            </Grid>
          );
        }}
      </DataState>
      {dialogFor && state.value && (
        <RequestWaiverDialog
          entityRef={entityRef}
          results={state.value.results}
          waivers={mergeWaivers(state.value.waivers, localWaivers)}
          initial={dialogFor}
          onClose={() => setDialogFor(undefined)}
          onRequested={waiver => {
            setDialogFor(undefined);
            remember(waiver);
          }}
        />
      )}
      {withdrawing && (
        <WaiverDecisionDialog
          waiver={withdrawing}
          decision="withdraw"
          onClose={() => setWithdrawing(undefined)}
          onDecided={waiver => {
            setWithdrawing(undefined);
            remember(waiver);
          }}
        />
      )}
    </>
  );
};
