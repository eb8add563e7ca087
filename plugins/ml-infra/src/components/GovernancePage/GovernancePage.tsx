import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { ContentHeader, InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import GetApp from '@material-ui/icons/GetApp';
import type {
  ComplianceOverview,
  Severity,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { downloadCsv } from '../../utils/csv';
import { formatDuration } from '../../utils/time';
import { DataState } from '../DataState';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';
import { SummaryTiles } from '../SummaryTiles';
import { EVIDENCE_TABLES, EvidenceTable, evidenceCsv } from './complianceCsv';
import { SeverityChart, TrendChart } from './GovernanceCharts';
import { SimpleColumn, TableCard } from './SimpleTable';
import { groupWaivers } from './waivers';
import { WaiverTable } from './WaiverTable';

/** A rule id: an identifier, so it may break anywhere rather than widen its column. */
const RuleId = ({ rule }: { rule: string }) => (
  <code style={{ overflowWrap: 'anywhere' }}>{rule}</code>
);

/** A right-aligned count: the row's number under `key`. */
const count = <K extends string>(
  title: string,
  key: K,
): SimpleColumn<Record<K, number>> => ({
  title,
  render: r => r[key],
  numeric: true,
});

// The columns several breakdowns share.
const moduleColumn: SimpleColumn<{ entityRef: string }> = {
  title: 'Module',
  render: r => <EntityRefLink entityRef={r.entityRef} hideIcon />,
};
const severityColumn: SimpleColumn<{ severity: Severity }> = {
  title: 'Severity',
  render: r => <StatusChip subject="Severity" status={r.severity} />,
};
type OutcomeCounts = { failed: number; warned: number; waived: number };
const outcomeColumns: SimpleColumn<OutcomeCounts>[] = [
  count('Failed', 'failed'),
  count('Warned', 'warned'),
  count('Waived', 'waived'),
];

const Governance = ({
  overview,
  onChanged,
}: {
  overview: ComplianceOverview;
  onChanged: () => void;
}) => {
  const waivers = useMemo(
    () => groupWaivers(overview.waivers),
    [overview.waivers],
  );
  const { totals } = overview;

  return (
    <>
      <ContentHeader title="Governance">
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          {(Object.keys(EVIDENCE_TABLES) as EvidenceTable[]).map(table => (
            <Button
              key={table}
              variant="outlined"
              color="primary"
              startIcon={<GetApp />}
              onClick={() =>
                downloadCsv(
                  `ml-infra-${table}-${new Date()
                    .toISOString()
                    .slice(0, 10)}.csv`,
                  evidenceCsv(table, overview),
                )
              }
              data-testid={`export-${table}-csv`}
            >
              {EVIDENCE_TABLES[table]} (CSV)
            </Button>
          ))}
        </Box>
      </ContentHeader>
      <Box mb={3}>
        <SummaryTiles
          tiles={[
            { id: 'modules', label: 'Modules', value: totals.modules },
            {
              id: 'drifted',
              label: 'Drifted environments',
              value: totals.driftedEnvironments,
            },
            {
              id: 'policies',
              label: 'Failing policies',
              value: totals.failingPolicies,
            },
            {
              id: 'untested',
              label: 'Untested releases',
              value: totals.untestedReleases,
            },
            {
              id: 'pending-waivers',
              label: 'Waivers pending',
              value: totals.pendingWaivers,
            },
            {
              id: 'expiring-waivers',
              label: 'Waivers expiring',
              value: totals.expiringWaivers,
            },
          ]}
        />
      </Box>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard
            title="Waivers"
            subheader="Approve, reject or revoke time-boxed exceptions; every decision stays on record"
          >
            <WaiverTable
              title="Pending approval"
              variant="pending"
              waivers={waivers.pending}
              emptyText="No waiver requests waiting."
              onChanged={onChanged}
            />
            <WaiverTable
              title="Active"
              variant="active"
              waivers={waivers.active}
              emptyText="No approved waiver is in force."
              onChanged={onChanged}
            />
            <WaiverTable
              title="Decided"
              variant="decided"
              waivers={waivers.decided}
              emptyText="No decision has been taken yet."
              onChanged={onChanged}
            />
          </InfoCard>
        </Grid>
        <TableCard
          title="Violations by severity"
          width={{ md: 6 }}
          rows={overview.bySeverity}
          rowKey={r => r.severity}
          emptyText="No violations."
          columns={[severityColumn, ...outcomeColumns]}
        >
          <SeverityChart data={overview.bySeverity} />
        </TableCard>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Trend"
            subheader="Failed, warned and waived results and drifted environments per day"
          >
            <TrendChart data={overview.trend} />
          </InfoCard>
        </Grid>
        {/* Five and six columns: side by side only where half the page fits them. */}
        <TableCard
          title="Violations by owner"
          width={{ xl: 6 }}
          rows={overview.byOwner}
          rowKey={r => r.owner}
          emptyText="No owners with violations."
          columns={[
            {
              title: 'Owner',
              render: r => (
                <EntityRefLink
                  entityRef={r.owner}
                  defaultKind="group"
                  hideIcon
                />
              ),
            },
            count('Modules', 'modules'),
            ...outcomeColumns,
          ]}
        />
        <TableCard
          title="Violations by rule and control"
          width={{ xl: 6 }}
          rows={overview.byRule}
          rowKey={r => r.rule}
          emptyText="No rule has violations."
          columns={[
            { title: 'Rule', render: r => <RuleId rule={r.rule} /> },
            { title: 'Control', render: r => r.control ?? '—' },
            severityColumn,
            count('Modules', 'modules'),
            count('Failed', 'failed'),
            count('Waived', 'waived'),
          ]}
        />
        <TableCard
          title="Drifted environments"
          width={{ md: 6 }}
          rows={overview.driftedEnvironments}
          rowKey={r => `${r.entityRef}-${r.environment}`}
          emptyText="No environment is drifted."
          columns={[
            moduleColumn,
            { title: 'Environment', render: r => r.environment },
            {
              title: 'Since',
              render: r => <RelativeTime value={r.driftedSince} />,
            },
            { title: 'For', render: r => formatDuration(r.driftedSince) },
            count('Resources', 'resources'),
          ]}
        />
        <TableCard
          title="Released versions without passing tests"
          width={{ md: 6 }}
          rows={overview.untestedReleases}
          rowKey={r => `${r.entityRef}@${r.version}`}
          emptyText="Every released version has passing tests."
          columns={[
            moduleColumn,
            { title: 'Version', render: r => r.version },
            {
              title: 'Released',
              render: r => <RelativeTime value={r.releasedAt} />,
            },
            {
              title: 'Tests',
              render: r => <StatusChip subject="Tests" status={r.tests} />,
            },
          ]}
        />
        <TableCard
          title="By environment"
          label="Violations and drift by environment"
          rows={overview.byEnvironment}
          rowKey={r => r.environment}
          emptyText="No environments."
          columns={[
            { title: 'Environment', render: r => r.environment },
            count('Failed policies', 'failed'),
            count('Drifted modules', 'drifted'),
          ]}
        />
      </Grid>
    </>
  );
};

/** Compliance across all modules: KPIs, breakdowns, waivers and trends. */
export const GovernancePage = () => {
  const api = useApi(mlInfraApiRef);
  const state = useAsyncRetry(() => api.getCompliance(), [api]);
  return (
    <DataState
      {...state}
      title="No compliance data yet"
      isEmpty={overview => overview.totals.modules === 0}
    >
      {overview => <Governance overview={overview} onChanged={state.retry} />}
    </DataState>
  );
};
