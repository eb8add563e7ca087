import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  compliance,
  moduleList,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { Route, Routes } from 'react-router-dom';
import { MlInfraPage } from './MlInfraPage';

// Apps mount the page under a splat route (`/ml-infra/*`); the tabs read the rest of the path from it.
const MountedPage = () => (
  <Routes>
    <Route path="/*" element={<MlInfraPage />} />
  </Routes>
);

describe('MlInfraPage', () => {
  const { server } = setupMlInfraApi();

  beforeEach(() => {
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.get(`${API_BASE}/modules`, () => HttpResponse.json(moduleList)),
    );
  });

  it('shows the module catalog with a Governance tab', async () => {
    await renderWithMlInfra(<MountedPage />);
    expect(
      screen.getByRole('heading', { name: 'ML Infra' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('GPU training cluster')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Modules' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Governance' })).toBeInTheDocument();
  });

  it('shows the governance page under /compliance', async () => {
    await renderWithMlInfra(<MountedPage />, { routeEntries: ['/compliance'] });
    expect(
      await screen.findByRole('table', { name: 'Pending approval' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Governance' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
