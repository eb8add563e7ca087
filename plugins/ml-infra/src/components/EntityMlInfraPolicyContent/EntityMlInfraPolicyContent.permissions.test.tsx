import { screen } from '@testing-library/react';
import {
  API_BASE,
  policy,
  renderModuleTab,
  setupMlInfraApi,
} from '../../__testUtils__';
import { EntityMlInfraPolicyContent } from './EntityMlInfraPolicyContent';

const POLICY_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/policy`;

// A file of its own: usePermission caches answers (SWR) per module instance, so a denial must not
// share a test file with tests where everything is allowed.
describe('EntityMlInfraPolicyContent without permissions', () => {
  const { respond } = setupMlInfraApi();

  it('offers no waiver request', async () => {
    respond(POLICY_URL, policy);
    await renderModuleTab(<EntityMlInfraPolicyContent />, { allowed: false });
    await screen.findByRole('table', { name: 'Policy results' });
    expect(
      screen.queryByRole('button', { name: /Request waiver/ }),
    ).not.toBeInTheDocument();
  });
});
