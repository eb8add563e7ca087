import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  API_BASE,
  moduleEntity,
  renderWithMlInfra,
  tests,
} from '../../__testUtils__';
import { EntityMlInfraTestsContent } from './EntityMlInfraTestsContent';

const TESTS_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/tests`;

describe('EntityMlInfraTestsContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows runs with totals and durations, failing tests with output, and flaky tests', async () => {
    server.use(http.get(TESTS_URL, () => HttpResponse.json(tests)));
    await renderWithMlInfra(<EntityMlInfraTestsContent />, {
      entity: moduleEntity,
    });

    const latest = await screen.findByTestId('test-run-run-1');
    expect(latest).toHaveTextContent('1.4.0');
    expect(latest).toHaveTextContent('10 passed, 1 failed, 1 skipped of 12');
    expect(latest).toHaveTextContent('12 minutes, 34 seconds');
    expect(latest).toHaveTextContent('go test -json');
    expect(within(latest).getByLabelText('Tests: Failed')).toBeInTheDocument();
    expect(screen.getByTestId('test-run-run-0')).toHaveTextContent('JUnit XML');

    const failure = screen.getByTestId('failing-test');
    expect(failure).toHaveTextContent('TestGpuNodePoolScales');
    fireEvent.click(within(failure).getByRole('button'));
    expect(
      screen.getByLabelText('Output of TestGpuNodePoolScales'),
    ).toHaveTextContent('expected 2 nodes, got 0');
    expect(failure).toHaveTextContent('Output truncated');

    expect(
      screen.getByRole('table', { name: 'Flaky tests' }),
    ).toHaveTextContent('TestClusterEndpointReachable');
  });

  it('shows an empty state without runs', async () => {
    server.use(http.get(TESTS_URL, () => HttpResponse.json({ runs: [] })));
    await renderWithMlInfra(<EntityMlInfraTestsContent />, {
      entity: moduleEntity,
    });
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
    await renderWithMlInfra(<EntityMlInfraTestsContent />, {
      entity: moduleEntity,
    });
    expect((await screen.findAllByText(/503/)).length).toBeGreaterThan(0);
  });
});
