import { ReactNode, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Collapse from '@material-ui/core/Collapse';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  isHttpUrl,
  RunIdentity,
  TestCaseResult,
  TestRun,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { useModuleEntityRef } from '../../hooks/useModuleEntityRef';
import { formatMillis } from '../../utils/time';
import { DataState } from '../DataState';
import { FoldToggle } from '../FoldToggle';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  failure: {
    borderTop: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1, 0),
  },
  summary: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  output: {
    margin: 0,
    padding: theme.spacing(1.5),
    maxHeight: 400,
    overflow: 'auto',
    width: '100%',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    backgroundColor: theme.palette.background.default,
  },
}));

const runLabel = (run: RunIdentity) =>
  `${run.provider} #${run.runId} (attempt ${run.attempt})`;

/** The run, linked to its CI page when the CI reported one. */
const RunLink = ({ run }: { run: TestRun }) =>
  isHttpUrl(run.url) ? (
    <Link to={run.url} externalLinkIcon>
      {runLabel(run.run)}
    </Link>
  ) : (
    <>{runLabel(run.run)}</>
  );

/** The latest run of each version (runs come newest first). */
function latestPerVersion(runs: TestRun[]): TestRun[] {
  const seen = new Set<string>();
  return runs.filter(run => {
    const key = run.version ?? '';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Tests named with their suite, the version and the run that reported them. */
const TestList = ({
  label,
  tests,
  marker,
}: {
  label: string;
  tests: { run: TestRun; test: TestCaseResult }[];
  /** Shown before each test's name. */
  marker?: ReactNode;
}) => (
  <Table size="small" aria-label={label}>
    <TableHead>
      <TableRow>
        <TableCell>Test</TableCell>
        <TableCell>Suite</TableCell>
        <TableCell>Version</TableCell>
        <TableCell>Run</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {tests.map(({ run, test }) => (
        <TableRow key={`${run.id}-${test.suite}-${test.name}`}>
          <TableCell>
            {marker && <>{marker} </>}
            <code>{test.name}</code>
          </TableCell>
          <TableCell>{test.suite}</TableCell>
          <TableCell>{run.version ?? '—'}</TableCell>
          <TableCell>
            <RunLink run={run} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

const SkippedTests = ({ runs }: { runs: TestRun[] }) => {
  const latest = latestPerVersion(runs);
  const skipped = latest.flatMap(run =>
    (run.skipped ?? []).map(test => ({ run, test })),
  );
  const unnamed = latest.filter(
    run => run.skipped === undefined && run.totals.skipped > 0,
  );
  return (
    <InfoCard
      title={`Skipped tests (${skipped.length})`}
      subheader="In the latest run of each version"
    >
      {skipped.length === 0 && unnamed.length === 0 && (
        <Typography color="textSecondary">No skipped tests.</Typography>
      )}
      {skipped.length > 0 && <TestList label="Skipped tests" tests={skipped} />}
      {unnamed.map(run => (
        <Typography key={run.id} variant="body2" color="textSecondary">
          {run.totals.skipped} skipped in {runLabel(run.run)}; their names were
          not kept for this run.
        </Typography>
      ))}
    </InfoCard>
  );
};

const RunsTable = ({ runs }: { runs: TestRun[] }) => (
  <InfoCard title="Test runs">
    <Table size="small" aria-label="Test runs">
      <TableHead>
        <TableRow>
          <TableCell>Version</TableCell>
          <TableCell>Reported</TableCell>
          <TableCell>Run</TableCell>
          <TableCell>Format</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Totals</TableCell>
          <TableCell>Duration</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {runs.map(run => (
          <TableRow key={run.id} data-testid={`test-run-${run.id}`}>
            <TableCell>{run.version ?? '—'}</TableCell>
            <TableCell>
              <RelativeTime value={run.reportedAt} />
            </TableCell>
            <TableCell>
              <RunLink run={run} />
            </TableCell>
            <TableCell>
              {run.format === 'junit' ? 'JUnit XML' : 'go test -json'}
            </TableCell>
            <TableCell>
              <StatusChip subject="Tests" status={run.status} />
            </TableCell>
            <TableCell>
              {run.totals.passed} passed, {run.totals.failed} failed,{' '}
              {run.totals.skipped} skipped of {run.totals.total}
            </TableCell>
            <TableCell>
              {run.durationMs !== undefined
                ? formatMillis(run.durationMs)
                : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </InfoCard>
);

/** A failing test: a summary row with a short toggle, its captured output folded below. */
const FailingTest = ({ test, run }: { test: TestCaseResult; run: TestRun }) => {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const id = `failure-${run.id}-${test.suite}-${test.name}`.replace(
    /[^\w-]/g,
    '_',
  );
  return (
    <div className={classes.failure} data-testid="failing-test">
      <div className={classes.summary}>
        <StatusChip status="failed" />
        <Typography component="span">
          <code>{test.name}</code>
        </Typography>
        <Typography variant="body2" color="textSecondary" component="span">
          {test.suite} · {run.version ?? 'unversioned'} ·{' '}
          {test.durationMs !== undefined
            ? formatMillis(test.durationMs)
            : 'no duration'}
        </Typography>
        <FoldToggle
          open={open}
          onToggle={() => setOpen(value => !value)}
          controls={id}
          label={`Output of ${test.name} in ${run.version ?? 'unversioned'}`}
        >
          Output
        </FoldToggle>
      </div>
      <Collapse in={open}>
        <Box pt={1} id={id}>
          {test.output ? (
            <pre
              className={classes.output}
              aria-label={`Output of ${test.name}`}
            >
              {test.output}
            </pre>
          ) : (
            <Typography color="textSecondary">No output captured.</Typography>
          )}
          {test.outputTruncated && (
            <Typography variant="caption" color="textSecondary">
              Output truncated: the start and end are kept.
            </Typography>
          )}
          {isHttpUrl(run.url) && (
            <Typography variant="body2">
              <Link to={run.url} externalLinkIcon>
                Open the CI run
              </Link>
            </Typography>
          )}
        </Box>
      </Collapse>
    </div>
  );
};

/** The "Tests" tab of a module. */
export const EntityMlInfraTestsContent = () => {
  const api = useApi(mlInfraApiRef);
  const entityRef = useModuleEntityRef();
  const state = useAsync(async () => {
    const tests = await api.getTests(entityRef);
    return [...tests.runs].sort((a, b) =>
      b.reportedAt.localeCompare(a.reportedAt),
    );
  }, [api, entityRef]);

  return (
    <DataState
      {...state}
      title="No test runs reported yet"
      description="The test workflow sends Terratest output (`go test -json` or JUnit XML) to the portal; its runs appear here."
      isEmpty={runs => runs.length === 0}
    >
      {runs => {
        const failures = runs.flatMap(run =>
          run.failures.map(test => ({ run, test })),
        );
        const flaky = runs.flatMap(run =>
          run.flaky.map(test => ({ run, test })),
        );
        return (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <RunsTable runs={runs} />
            </Grid>
            <Grid item xs={12}>
              <InfoCard title={`Failing tests (${failures.length})`}>
                {failures.length === 0 ? (
                  <StatusChip status="passed" label="No failing tests" />
                ) : (
                  failures.map(({ run, test }) => (
                    <FailingTest
                      key={`${run.id}-${test.suite}-${test.name}`}
                      run={run}
                      test={test}
                    />
                  ))
                )}
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <InfoCard
                title={`Flaky tests (${flaky.length})`}
                subheader="Failed, then passed on a retry of the same version"
              >
                {flaky.length === 0 ? (
                  <Typography color="textSecondary">No flaky tests.</Typography>
                ) : (
                  <TestList
                    label="Flaky tests"
                    tests={flaky}
                    marker={<StatusChip status="warned" label="Flaky" />}
                  />
                )}
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <SkippedTests runs={runs} />
            </Grid>
          </Grid>
        );
      }}
    </DataState>
  );
};
