import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  API_BASE,
  moduleEntity,
  policy,
  renderWithMlInfra,
} from '../../__testUtils__';
import { EntityMlInfraPolicyContent } from './EntityMlInfraPolicyContent';

const POLICY_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/policy`;

// A file of its own: usePermission caches answers (SWR) per module instance, so a denial must not
// share a test file with tests where everything is allowed.
describe('EntityMlInfraPolicyContent without permissions', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('offers no waiver request', async () => {
    server.use(http.get(POLICY_URL, () => HttpResponse.json(policy)));
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: moduleEntity,
      allowed: false,
    });
    await screen.findByRole('table', { name: 'Policy results' });
    expect(
      screen.queryByRole('button', { name: /Request waiver/ }),
    ).not.toBeInTheDocument();
  });
});
