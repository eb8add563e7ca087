import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  renderModuleTab,
  setupMlInfraApi,
  tests,
} from '../../__testUtils__';
import { EntityMlInfraTestsContent } from './EntityMlInfraTestsContent';

const TESTS_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/tests`;

describe('EntityMlInfraTestsContent', () => {
  const { server, respond } = setupMlInfraApi();

  it('shows runs with totals and durations, failing tests with output, and flaky tests', async () => {
    respond(TESTS_URL, tests);
    await renderModuleTab(<EntityMlInfraTestsContent />);

    const latest = await screen.findByTestId('test-run-run-1');
    expect(latest).toHaveTextContent('1.4.0');
    expect(latest).toHaveTextContent('10 passed, 1 failed, 1 skipped of 12');
    expect(latest).toHaveTextContent('12 minutes, 34 seconds');
    expect(latest).toHaveTextContent('go test -json');
    expect(within(latest).getByLabelText('Tests: Failed')).toBeInTheDocument();
    expect(screen.getByTestId('test-run-run-0')).toHaveTextContent('JUnit XML');

    const failure = screen.getByTestId('failing-test');
    expect(failure).toHaveTextContent('TestGpuNodePoolScales');
    // The summary row is no button: one short toggle names the test and folds its output.
    const toggle = within(failure).getByRole('button', {
      name: 'Output of TestGpuNodePoolScales in 1.4.0',
    });
    expect(within(failure).getAllByRole('button')).toHaveLength(1);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByLabelText('Output of TestGpuNodePoolScales'),
    ).toHaveTextContent('expected 2 nodes, got 0');
    expect(failure).toHaveTextContent('Output truncated');

    expect(
      screen.getByRole('table', { name: 'Flaky tests' }),
    ).toHaveTextContent('TestClusterEndpointReachable');
  });

  it('links runs to their CI run and lists the skipped tests of the latest run per version', async () => {
    const [latest, older] = tests.runs;
    const skippedCase = {
      suite: 'github.com/acme/gpu-training-cluster/test',
      status: 'skipped' as const,
      flaky: false,
    };
    respond(TESTS_URL, {
      runs: [
        {
          ...latest,
          url: 'https://github.com/acme/gpu-training-cluster/actions/runs/1200/attempts/1',
          skipped: [{ ...skippedCase, name: 'TestApplyCompleteExample' }],
        },
        {
          // An earlier run of the same version: its skips are not the current picture.
          ...latest,
          id: 'run-1-earlier',
          reportedAt: older.reportedAt,
          skipped: [{ ...skippedCase, name: 'TestSkippedLongAgo' }],
        },
        // A script URL is never a link.
        // eslint-disable-next-line no-script-url -- the hostile input under test
        { ...older, url: 'javascript:alert(1)', skipped: [] },
      ],
    });
    await renderModuleTab(<EntityMlInfraTestsContent />);

    const run = await screen.findByTestId('test-run-run-1');
    expect(
      within(run).getByRole('link', { name: /github #1200 \(attempt 1\)/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/gpu-training-cluster/actions/runs/1200/attempts/1',
    );
    const unlinked = screen.getByTestId('test-run-run-0');
    expect(unlinked).toHaveTextContent('github #990 (attempt 2)');
    expect(within(unlinked).queryByRole('link')).not.toBeInTheDocument();

    fireEvent.click(
      within(screen.getAllByTestId('failing-test')[0]).getByRole('button'),
    );
    expect(
      screen.getAllByRole('link', { name: /Open the CI run/ })[0],
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/gpu-training-cluster/actions/runs/1200/attempts/1',
    );

    const skipped = screen.getByRole('table', { name: 'Skipped tests' });
    const rows = within(skipped).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('TestApplyCompleteExample');
    expect(rows[0]).toHaveTextContent('1.4.0');
    expect(screen.getByText('Skipped tests (1)')).toBeInTheDocument();
  });

  it('says how many were skipped when a run has no names for them', async () => {
    respond(TESTS_URL, tests);
    await renderModuleTab(<EntityMlInfraTestsContent />);
    expect(
      await screen.findByText(
        /1 skipped in github #1200 \(attempt 1\); their names were not kept/,
      ),
    ).toBeInTheDocument();
  });

  it('shows an empty state without runs', async () => {
    respond(TESTS_URL, { runs: [] });
    await renderModuleTab(<EntityMlInfraTestsContent />);
    expect(
      await screen.findByText('No test runs reported yet'),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(TESTS_URL, () =>
        HttpResponse.text('unavailable', { status: 503 }),
      ),
    );
    await renderModuleTab(<EntityMlInfraTestsContent />);
    expect((await screen.findAllByText(/503/)).length).toBeGreaterThan(0);
  });
});
