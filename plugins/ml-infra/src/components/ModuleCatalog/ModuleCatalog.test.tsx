import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  compliance,
  moduleList,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { ModuleCatalog } from './ModuleCatalog';

describe('ModuleCatalog', () => {
  const { server } = setupMlInfraApi();

  /** Serves the fixture module list and compliance; returns each /modules request's query. */
  function serveModules() {
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.get(`${API_BASE}/modules`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json(moduleList);
      }),
    );
    return queries;
  }

  it('shows summary tiles, the create button and one row per module with environment columns', async () => {
    const queries = serveModules();
    await renderWithMlInfra(<ModuleCatalog />);

    expect(await screen.findByText('GPU training cluster')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Create ML module/ }),
    ).toHaveAttribute('href', '/create?filters[tags]=ml-infra');
    expect(await screen.findByTestId('summary-tile-drifted')).toHaveTextContent(
      '1Drifted environments',
    );
    expect(screen.getByTestId('summary-tile-modules')).toHaveTextContent(
      '2Modules',
    );

    const table = screen.getByRole('table', { name: 'ML infra modules' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual(
      expect.arrayContaining(['dev', 'staging', 'prod', 'Latest version']),
    );
    const rows = within(table).getAllByTestId('module-row');
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByRole('link', { name: 'GPU training cluster' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/gpu-training-cluster',
    );
    expect(
      within(rows[0]).getByRole('img', { name: 'drifted' }),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByLabelText('Policy: Policy: 2 failing'),
    ).toBeInTheDocument();
    expect(queries[0].get('sort')).toBe('name');
    expect(queries[0].get('limit')).toBe('25');
  });

  it('holds the tiles in place until the overview answers, and leaves them out if it fails', async () => {
    let answer = () => {};
    const answered = new Promise<void>(resolve => {
      answer = resolve;
    });
    server.use(
      http.get(`${API_BASE}/compliance`, async () => {
        await answered;
        return HttpResponse.json(compliance);
      }),
      http.get(`${API_BASE}/modules`, () => HttpResponse.json(moduleList)),
    );
    const { unmount } = await renderWithMlInfra(<ModuleCatalog />);
    await screen.findByText('GPU training cluster');
    // The rows are on screen before the numbers: the tiles stand, labelled, with placeholders.
    const summary = screen.getByRole('list', { name: 'Summary' });
    expect(summary).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId('summary-tile-drifted')).toHaveTextContent(
      /^Drifted environments$/,
    );
    expect(within(summary).getAllByTestId('summary-tile-loading')).toHaveLength(
      4,
    );

    answer();
    await waitFor(() =>
      expect(screen.getByTestId('summary-tile-drifted')).toHaveTextContent(
        '1Drifted environments',
      ),
    );
    expect(summary).not.toHaveAttribute('aria-busy');
    expect(screen.queryByTestId('summary-tile-loading')).toBeNull();
    unmount();

    server.use(
      http.get(`${API_BASE}/compliance`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'overview failed' } },
          { status: 500 },
        ),
      ),
    );
    await renderWithMlInfra(<ModuleCatalog />);
    await screen.findByText('GPU training cluster');
    await waitFor(() =>
      expect(screen.queryByRole('list', { name: 'Summary' })).toBeNull(),
    );
    expect(screen.getAllByTestId('module-row')).toHaveLength(2);
  });

  it('sends filters, search and sorting to the backend', async () => {
    const queries = serveModules();
    await renderWithMlInfra(<ModuleCatalog />);
    await screen.findByText('GPU training cluster');

    fireEvent.mouseDown(screen.getByTestId('filter-status'));
    fireEvent.click(await screen.findByRole('option', { name: 'Drifted' }));
    await waitFor(() => expect(queries.at(-1)?.get('status')).toBe('drifted'));

    fireEvent.change(screen.getByTestId('module-search'), {
      target: { value: 'gpu' },
    });
    await waitFor(() => expect(queries.at(-1)?.get('search')).toBe('gpu'));

    fireEvent.click(
      within(screen.getByRole('table')).getByRole('button', { name: 'Owner' }),
    );
    await waitFor(() => expect(queries.at(-1)?.get('sort')).toBe('owner'));
    expect(queries.at(-1)?.get('status')).toBe('drifted');
  });

  it('reads filters from the URL, offers "Not reported" and names owners as people know them', async () => {
    const queries = serveModules();
    await renderWithMlInfra(<ModuleCatalog />, {
      routeEntries: ['/?status=drifted&environment=prod&q=gpu&sort=owner'],
      catalogEntities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'ml-platform', namespace: 'default' },
          spec: { type: 'team', profile: { displayName: 'ML Platform team' } },
        },
      ],
    });
    await screen.findByText('GPU training cluster');
    expect(queries[0].get('status')).toBe('drifted');
    expect(queries[0].get('environment')).toBe('prod');
    expect(queries[0].get('search')).toBe('gpu');
    expect(queries[0].get('sort')).toBe('owner');
    expect(screen.getByTestId('module-search')).toHaveValue('gpu');
    // The tile of the applied filter says so, and every tile is a link to its filter.
    expect(screen.getByTestId('summary-tile-drifted')).toHaveAttribute(
      'aria-current',
      'true',
    );
    expect(screen.getByTestId('summary-tile-policies')).toHaveAttribute(
      'href',
      '/?status=policy-failed',
    );

    fireEvent.mouseDown(screen.getByTestId('filter-status'));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Not reported' }),
    );
    await waitFor(() =>
      expect(queries.at(-1)?.get('status')).toBe('not-reported'),
    );

    fireEvent.mouseDown(screen.getByTestId('filter-owner'));
    expect(
      await screen.findByRole('option', { name: 'ML Platform team' }),
    ).toBeInTheDocument();
  });

  it('shows an empty state with the CI integration hint', async () => {
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.get(`${API_BASE}/modules`, () =>
        HttpResponse.json({ items: [], totalCount: 0, environments: ['dev'] }),
      ),
    );
    await renderWithMlInfra(<ModuleCatalog />);
    expect(
      await screen.findByText('No ML infra modules yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /CI integration guide/ }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/ml-infra-portal/ci-integration/',
    );
  });

  it('shows the backend error', async () => {
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.get(`${API_BASE}/modules`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database is down' } },
          { status: 500 },
        ),
      ),
    );
    await renderWithMlInfra(<ModuleCatalog />);
    expect(
      (await screen.findAllByText(/database is down/)).length,
    ).toBeGreaterThan(0);
  });
});
