import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { useLocation, useNavigate } from 'react-router-dom';
import {
  MlInfraClient,
  type ModuleListResponse,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  API_BASE,
  moduleList,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { ModuleTable } from './ModuleTable';

/** The router's location and a Back button, rendered next to the table. */
const LocationProbe = () => {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output data-testid="location">{location.search}</output>
      <button type="button" onClick={() => navigate(-1)}>
        Back
      </button>
    </>
  );
};

const rowTitles = () =>
  within(screen.getByRole('table', { name: 'ML infra modules' }))
    .getAllByTestId('module-row')
    .map(row => within(row).getAllByRole('link')[0].textContent);

/** The fixture list narrowed to the modules whose title contains `search`. */
const answerFor = (search: string): ModuleListResponse => {
  const items = moduleList.items.filter(item =>
    (item.title ?? '').toLocaleLowerCase('en-US').includes(search),
  );
  return { ...moduleList, items, totalCount: items.length };
};

describe('ModuleTable', () => {
  const { server } = setupMlInfraApi();
  afterEach(() => jest.restoreAllMocks());

  /**
   * Serves /modules narrowed by the `search` query. The answer to a search in `held` waits
   * until its release is called. Returns each request's search.
   */
  function serveModules(held: Record<string, () => void> = {}) {
    const searches: string[] = [];
    server.use(
      http.get(`${API_BASE}/modules`, async ({ request }) => {
        const search = new URL(request.url).searchParams.get('search') ?? '';
        searches.push(search);
        if (search in held) {
          await new Promise<void>(release => {
            held[search] = release;
          });
        }
        return HttpResponse.json(answerFor(search));
      }),
    );
    return searches;
  }

  const render = (routeEntries?: string[]) =>
    renderWithMlInfra(
      <>
        <ModuleTable owners={[]} />
        <LocationProbe />
      </>,
      { routeEntries },
    );
  /** The table at /, once the unfiltered list has shown. */
  const renderFullList = async () => {
    await render();
    await waitFor(() =>
      expect(rowTitles()).toEqual(['GPU training cluster', 'Feature store']),
    );
  };

  it('asks for each search as it is typed and shows only the latest answer', async () => {
    const held: Record<string, () => void> = { feature: () => {} };
    const searches = serveModules(held);
    const listModules = jest.spyOn(MlInfraClient.prototype, 'listModules');
    await renderFullList();

    const field = screen.getByTestId('module-search');
    fireEvent.change(field, { target: { value: 'feature' } });
    fireEvent.change(field, { target: { value: 'gpu' } });
    await waitFor(() => expect(rowTitles()).toEqual(['GPU training cluster']));
    expect(searches).toEqual(['', 'feature', 'gpu']);

    // The answer to the earlier search arrives last and is not shown.
    await waitFor(() => expect(searches).toHaveLength(3));
    const featureAnswer = listModules.mock.results[1].value;
    await act(async () => {
      held.feature();
      await expect(featureAnswer).resolves.toEqual(answerFor('feature'));
    });
    expect(rowTitles()).toEqual(['GPU training cluster']);
    expect(field).toHaveValue('gpu');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('?q=gpu'),
    );
  });

  it('keeps the search in the URL: reload reads it, Back returns to the list before the search', async () => {
    const searches = serveModules();
    await render(['/?q=gpu']);
    await waitFor(() => expect(rowTitles()).toEqual(['GPU training cluster']));
    expect(searches).toEqual(['gpu']);
    const field = screen.getByTestId('module-search');
    expect(field).toHaveValue('gpu');

    fireEvent.change(field, { target: { value: '' } });
    await waitFor(() =>
      expect(rowTitles()).toEqual(['GPU training cluster', 'Feature store']),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(/^$/),
    );

    // The first character adds a history entry, the rest replace it.
    fireEvent.change(field, { target: { value: 'f' } });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('?q=f'),
    );
    fireEvent.change(field, { target: { value: 'fe' } });
    await waitFor(() => expect(rowTitles()).toEqual(['Feature store']));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('?q=fe'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() =>
      expect(rowTitles()).toEqual(['GPU training cluster', 'Feature store']),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
    expect(field).toHaveValue('');
    expect(searches.at(-1)).toBe('');
  });
  it('writes a search to the URL once its answer is shown, so Back and reload keep it', async () => {
    const held: Record<string, () => void> = { gpu: () => {} };
    const searches = serveModules(held);
    await renderFullList();

    fireEvent.change(screen.getByTestId('module-search'), {
      target: { value: 'gpu' },
    });
    await waitFor(() => expect(searches).toEqual(['', 'gpu']));
    // Asked, not answered: the URL does not show it yet.
    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);

    await act(async () => held.gpu());
    await waitFor(() => expect(rowTitles()).toEqual(['GPU training cluster']));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('?q=gpu'),
    );

    // Its own URL write does not ask again; Back does.
    expect(searches).toEqual(['', 'gpu']);
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() =>
      expect(rowTitles()).toEqual(['GPU training cluster', 'Feature store']),
    );
    expect(screen.getByTestId('module-search')).toHaveValue('');
    expect(searches).toEqual(['', 'gpu', '']);
  });

  it('keeps a search not yet answered when a filter changes', async () => {
    const held: Record<string, () => void> = { feature: () => {} };
    const searches = serveModules(held);
    await renderFullList();

    fireEvent.change(screen.getByTestId('module-search'), {
      target: { value: 'feature' },
    });
    await waitFor(() => expect(searches).toEqual(['', 'feature']));
    const releaseFirst = held.feature;
    fireEvent.mouseDown(screen.getByTestId('filter-status'));
    fireEvent.click(await screen.findByRole('option', { name: 'Drifted' }));

    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '?q=feature&status=drifted',
      ),
    );
    expect(screen.getByTestId('module-search')).toHaveValue('feature');
    await act(async () => {
      releaseFirst();
      held.feature();
    });
    await waitFor(() => expect(rowTitles()).toEqual(['Feature store']));
  });
});
