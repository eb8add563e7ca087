import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  moduleSummary,
  renderModuleTab,
  setupMlInfraApi,
} from '../../__testUtils__';
import { EntityMlInfraOverviewCard } from './EntityMlInfraOverviewCard';

const MODULE_URL = `${API_BASE}/modules/component/default/gpu-training-cluster`;

describe('EntityMlInfraOverviewCard', () => {
  const { server, respond } = setupMlInfraApi();

  it('shows the latest version and every environment with its health', async () => {
    respond(MODULE_URL, moduleSummary);
    await renderModuleTab(<EntityMlInfraOverviewCard />);
    expect(await screen.findByTestId('latest-version')).toHaveTextContent(
      '1.4.0',
    );
    const rows = within(
      screen.getByRole('table', { name: 'Environments' }),
    ).getAllByRole('row');
    expect(rows[2]).toHaveTextContent('staging1.3.2');
    expect(
      within(rows[2]).getByLabelText('staging drift: Drifted'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Policy: Policy: 2 failing'),
    ).toBeInTheDocument();
  });

  it('shows how to connect CI when the backend has nothing for the module', async () => {
    respond(
      MODULE_URL,
      { error: { name: 'NotFoundError', message: 'no such module' } },
      { status: 404 },
    );
    await renderModuleTab(<EntityMlInfraOverviewCard />);
    expect(await screen.findByTestId('connect-ci-card')).toBeInTheDocument();
    expect(screen.getByText('http://localhost:7007')).toBeInTheDocument();
    // Without a GitHub repository the pipeline uses a static token.
    expect(screen.getByTestId('ci-identity')).toHaveTextContent(
      'ML_INFRA_TOKEN',
    );
    expect(
      screen.getByText('Read the CI integration guide').closest('a'),
    ).toHaveAttribute('href', expect.stringContaining('ci-integration'));
  });

  it('shows errors', async () => {
    server.use(
      http.get(MODULE_URL, () => HttpResponse.text('boom', { status: 503 })),
    );
    await renderModuleTab(<EntityMlInfraOverviewCard />);
    expect((await screen.findAllByText(/503/)).length).toBeGreaterThan(0);
  });
});
