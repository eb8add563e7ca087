import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  environmentMatrix,
  gateDecision,
  renderModuleTab,
  setupMlInfraApi,
  versions,
} from '../../__testUtils__';
import { EntityMlInfraVersionsContent } from './EntityMlInfraVersionsContent';

const MODULE_URL = `${API_BASE}/modules/component/default/gpu-training-cluster`;

describe('EntityMlInfraVersionsContent', () => {
  const { server } = setupMlInfraApi();

  it('shows the matrix, the gate with its reasons, history and evidence', async () => {
    let gateQuery: URLSearchParams | undefined;
    server.use(
      http.get(`${MODULE_URL}/versions`, () =>
        HttpResponse.json({ items: versions }),
      ),
      http.get(`${MODULE_URL}/environments`, () =>
        HttpResponse.json(environmentMatrix),
      ),
      http.get(`${API_BASE}/gates/promotion`, ({ request }) => {
        gateQuery = new URL(request.url).searchParams;
        return HttpResponse.json(gateDecision);
      }),
    );
    await renderModuleTab(<EntityMlInfraVersionsContent />);

    expect(await screen.findByTestId('version-matrix')).toBeInTheDocument();
    expect(screen.getByTestId('matrix-1.4.0-dev')).toHaveTextContent('Running');
    expect(screen.getByTestId('matrix-1.4.0-staging')).toHaveTextContent('—');
    expect(screen.getByTestId('matrix-1.3.2-staging')).toHaveTextContent(
      'Running',
    );

    expect(await screen.findByTestId('gate-decision')).toHaveTextContent(
      'Promotion blocked',
    );
    expect(gateQuery?.get('version')).toBe('1.4.0');
    expect(gateQuery?.get('environment')).toBe('staging');
    expect(gateQuery?.get('entityRef')).toBe(
      'component:default/gpu-training-cluster',
    );
    const reasons = within(
      screen.getByRole('list', { name: 'Gate reasons' }),
    ).getAllByRole('listitem');
    expect(reasons).toHaveLength(3);
    expect(reasons[1]).toHaveTextContent(
      /gpu_nodes_encrypted failed.*policy check: failed/,
    );

    const history = within(
      screen.getByRole('table', { name: 'Promotion history' }),
    ).getAllByRole('row');
    expect(history).toHaveLength(4);
    expect(
      within(history[1]).getByRole('link', { name: /github #1001/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/gpu-training-cluster/actions/runs/1001',
    );
    expect(history[3]).toHaveTextContent('Rollback');

    const latest = screen.getByTestId('version-1.4.0');
    // A heading names the version; a short toggle, not the whole card, folds its evidence.
    expect(
      within(latest).getByRole('heading', { name: '1.4.0' }),
    ).toBeInTheDocument();
    expect(
      within(latest).getByRole('button', { name: 'Evidence of 1.4.0' }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(within(latest).getByTestId('test-totals')).toHaveTextContent(
      '41 passed, 0 failed, 1 skipped of 42',
    );
    expect(within(latest).getByTestId('policy-counts')).toHaveTextContent(
      '2 failed, 1 warned, 1 waived, 18 passed',
    );
    expect(
      within(latest).getByText('Support H100 node pools'),
    ).toBeInTheDocument();
  });

  it('shows an empty state without releases', async () => {
    server.use(
      http.get(`${MODULE_URL}/versions`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${MODULE_URL}/environments`, () =>
        HttpResponse.json({ environments: ['dev'], current: [], history: [] }),
      ),
    );
    await renderModuleTab(<EntityMlInfraVersionsContent />);
    expect(
      await screen.findByText('No versions released yet'),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(`${MODULE_URL}/versions`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'not allowed to read' },
          },
          { status: 403 },
        ),
      ),
      http.get(`${MODULE_URL}/environments`, () =>
        HttpResponse.json(environmentMatrix),
      ),
    );
    await renderModuleTab(<EntityMlInfraVersionsContent />);
    expect(
      (await screen.findAllByText(/not allowed to read/)).length,
    ).toBeGreaterThan(0);
  });
});
