import { screen } from '@testing-library/react';
import {
  API_BASE,
  compliance,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { GovernancePage } from './GovernancePage';

// A file of its own: usePermission caches answers (SWR) per module instance, so a denial must not
// share a test file with tests where everything is allowed.
describe('GovernancePage without permissions', () => {
  const { respond } = setupMlInfraApi();

  it('hides approve, reject and revoke without the permissions', async () => {
    respond(`${API_BASE}/compliance`, compliance);
    await renderWithMlInfra(<GovernancePage />, { allowed: false });

    expect(
      await screen.findByTestId('waiver-row-w-pending'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Reject/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Revoke/ }),
    ).not.toBeInTheDocument();
  });
});
