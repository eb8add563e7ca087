import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { WaiverRequest } from '@ml-infra-portal/plugin-ml-infra-common';
import {
  API_BASE,
  moduleEntity,
  pendingWaiver,
  policy,
  renderWithMlInfra,
} from '../../__testUtils__';
import { EntityMlInfraPolicyContent } from './EntityMlInfraPolicyContent';

const POLICY_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/policy`;

describe('EntityMlInfraPolicyContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows results per rule with severity, control, outcome and waiver details', async () => {
    server.use(http.get(POLICY_URL, () => HttpResponse.json(policy)));
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: moduleEntity,
    });

    const table = await screen.findByRole('table', { name: 'Policy results' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getByLabelText(/^Outcome:/).textContent),
    ).toEqual(['Failed', 'Warned', 'Waived']);
    // Passes are folded away until asked for.
    fireEvent.click(screen.getByRole('button', { name: /^Show 1 passed/ }));
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => within(r).getByLabelText(/^Outcome:/).textContent),
    ).toEqual(['Failed', 'Warned', 'Waived', 'Passed']);
    const waived = screen.getByTestId('policy-result-public_ingress_denied');
    expect(waived).toHaveTextContent('SC-7');
    expect(waived).toHaveTextContent('was failed');
    expect(
      within(waived).getByLabelText('Waiver: Waiver approved'),
    ).toBeInTheDocument();
    expect(within(waived).getByLabelText('Severity: High')).toBeInTheDocument();
    // The failing rule already has a pending request, so it offers none.
    const failing = screen.getByTestId('policy-result-gpu_nodes_encrypted');
    expect(
      within(failing).getByLabelText('Waiver: Waiver pending'),
    ).toBeInTheDocument();
    expect(
      within(failing).queryByRole('button', { name: /Request waiver/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Policy counts' }),
    ).toHaveTextContent('1 failed');
  });

  it('posts a waiver request for a result', async () => {
    let posted: WaiverRequest | undefined;
    server.use(
      http.get(POLICY_URL, () => HttpResponse.json(policy)),
      http.post(`${API_BASE}/waivers`, async ({ request }) => {
        posted = (await request.json()) as WaiverRequest;
        return HttpResponse.json(
          {
            ...pendingWaiver,
            ...posted,
            environment: posted.environment,
            resource: posted.resource,
            id: 'w-new',
            status: 'pending',
          },
          { status: 201 },
        );
      }),
    );
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: moduleEntity,
    });

    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Request waiver for instance_family_allowed',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request waiver',
    });
    // The rule is picked from the failing ones, preselected from the row.
    expect(
      within(dialog).getByRole('button', {
        name: /^Rule.*instance_family_allowed/,
      }),
    ).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/^Justification/), {
      target: { value: 'p3 capacity reserved until Q1' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );

    await waitFor(() => expect(posted).toBeDefined());
    expect(posted).toMatchObject({
      entityRef: 'component:default/gpu-training-cluster',
      rule: 'instance_family_allowed',
      justification: 'p3 capacity reserved until Q1',
    });
    expect(Date.parse(posted!.expiresAt)).toBeGreaterThan(
      Date.now() + 29 * 86400_000,
    );
    // The row says "pending" at once, without a reload.
    const row = await screen.findByTestId(
      'policy-result-instance_family_allowed',
    );
    expect(
      await within(row).findByLabelText('Waiver: Waiver pending'),
    ).toBeInTheDocument();
    expect(
      within(row).queryByRole('button', { name: /Request waiver/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the history of a waiver on demand', async () => {
    server.use(
      http.get(POLICY_URL, () => HttpResponse.json(policy)),
      http.get(`${API_BASE}/waivers/w-approved/audit`, () =>
        HttpResponse.json({
          items: [
            {
              waiverId: 'w-approved',
              action: 'approved',
              actor: 'user:default/gov',
              at: new Date().toISOString(),
              comment: 'OK until the benchmark ends',
            },
          ],
        }),
      ),
    );
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: moduleEntity,
    });

    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Show history of waiver public_ingress_denied for component:default/gpu-training-cluster',
      }),
    );
    const history = await screen.findByRole('table', {
      name: 'History of waiver public_ingress_denied for component:default/gpu-training-cluster',
    });
    expect(
      within(history).getByLabelText('Action: Approved'),
    ).toBeInTheDocument();
    expect(
      within(history).getByRole('link', { name: 'gov' }),
    ).toBeInTheDocument();
    expect(history).toHaveTextContent('OK until the benchmark ends');
  });

  it('shows an empty state without results', async () => {
    server.use(
      http.get(POLICY_URL, () =>
        HttpResponse.json({
          counts: { passed: 0, warned: 0, failed: 0, waived: 0 },
          results: [],
          waivers: [],
        }),
      ),
    );
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: moduleEntity,
    });
    expect(
      await screen.findByText('No policy results reported yet'),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(POLICY_URL, () => HttpResponse.text('oops', { status: 500 })),
    );
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: moduleEntity,
    });
    expect((await screen.findAllByText(/500/)).length).toBeGreaterThan(0);
  });
});
