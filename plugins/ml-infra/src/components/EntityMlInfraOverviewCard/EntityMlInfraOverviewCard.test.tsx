import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  API_BASE,
  moduleEntity,
  moduleSummary,
  renderWithMlInfra,
} from '../../__testUtils__';
import { EntityMlInfraOverviewCard } from './EntityMlInfraOverviewCard';

const MODULE_URL = `${API_BASE}/modules/component/default/gpu-training-cluster`;

describe('EntityMlInfraOverviewCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows the latest version and every environment with its health', async () => {
    server.use(http.get(MODULE_URL, () => HttpResponse.json(moduleSummary)));
    await renderWithMlInfra(<EntityMlInfraOverviewCard />, {
      entity: moduleEntity,
    });
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
    server.use(
      http.get(MODULE_URL, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no such module' } },
          { status: 404 },
        ),
      ),
    );
    await renderWithMlInfra(<EntityMlInfraOverviewCard />, {
      entity: moduleEntity,
    });
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
    await renderWithMlInfra(<EntityMlInfraOverviewCard />, {
      entity: moduleEntity,
    });
    expect((await screen.findAllByText(/503/)).length).toBeGreaterThan(0);
  });
});
