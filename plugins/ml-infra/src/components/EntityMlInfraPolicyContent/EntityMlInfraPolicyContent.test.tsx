import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { WaiverRequest } from '@ml-infra-portal/plugin-ml-infra-common';
import {
  API_BASE,
  approvedWaiver,
  moduleEntity,
  pendingWaiver,
  policy,
  renderModuleTab,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { EntityMlInfraPolicyContent } from './EntityMlInfraPolicyContent';

const POLICY_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/policy`;

describe('EntityMlInfraPolicyContent', () => {
  const { server, respond } = setupMlInfraApi();

  it('shows results per rule with severity, control, outcome and waiver details', async () => {
    respond(POLICY_URL, policy);
    await renderModuleTab(<EntityMlInfraPolicyContent />);

    const table = await screen.findByRole('table', { name: 'Policy results' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getByLabelText(/^Outcome:/).textContent),
    ).toEqual(['Failed', 'Warned', 'Waived']);
    // Passes are folded away until asked for; the fold counts the rows it holds.
    expect(
      screen.queryByRole('table', { name: 'Passed results' }),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '1 passed' }));
    const passed = screen.getByRole('table', { name: 'Passed results' });
    expect(within(passed).getAllByRole('row').slice(1)).toHaveLength(1);
    expect(passed).toHaveTextContent('tags_mandatory');
    expect(within(table).getAllByRole('row').slice(1)).toHaveLength(3);
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

  it('shows the resource of each result, else the file the tool checked', async () => {
    respond(POLICY_URL, {
      ...policy,
      results: [
        policy.results[0],
        {
          ...policy.results[2],
          rule: 'data.main.deny',
          filename: 'foo.txt',
        },
      ],
    });
    await renderModuleTab(<EntityMlInfraPolicyContent />);
    expect(
      await screen.findByTestId('policy-result-gpu_nodes_encrypted'),
    ).toHaveTextContent('aws_eks_node_group.gpu["a100"]in staging');
    expect(
      screen.getByTestId('policy-result-data.main.deny'),
    ).toHaveTextContent('file foo.txt');
  });

  it('links each failure to how to fix it in the module docs', async () => {
    respond(POLICY_URL, policy);
    await renderWithMlInfra(<EntityMlInfraPolicyContent />, {
      entity: {
        ...moduleEntity,
        metadata: {
          ...moduleEntity.metadata,
          annotations: {
            ...moduleEntity.metadata.annotations,
            'backstage.io/techdocs-ref': 'dir:.',
          },
        },
      },
    });
    const failing = await screen.findByTestId(
      'policy-result-gpu_nodes_encrypted',
    );
    expect(
      within(failing).getByRole('link', { name: 'How to fix SC-28' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/gpu-training-cluster/policies/',
    );
    expect(
      screen
        .getAllByRole('link', { name: /^How to fix/ })
        .map(l => l.textContent),
    ).toEqual(['How to fix SC-28', 'How to fix CM-2', 'How to fix SC-7']);
  });

  it("prefers the link the rule's metadata gives, and never links a script URL", async () => {
    respond(POLICY_URL, {
      ...policy,
      results: [
        {
          ...policy.results[0],
          remediationUrl: 'https://policies.example.com/SC-28#fix',
        },
        // eslint-disable-next-line no-script-url -- the hostile input under test
        { ...policy.results[2], remediationUrl: 'javascript:alert(1)' },
      ],
    });
    await renderModuleTab(<EntityMlInfraPolicyContent />);
    const failing = await screen.findByTestId(
      'policy-result-gpu_nodes_encrypted',
    );
    expect(
      within(failing).getByRole('link', { name: /^How to fix SC-28/ }),
    ).toHaveAttribute('href', 'https://policies.example.com/SC-28#fix');
    // No module docs and no usable link: no link at all rather than a dead one.
    expect(
      within(
        screen.getByTestId('policy-result-instance_family_allowed'),
      ).queryByRole('link'),
    ).not.toBeInTheDocument();
  });

  it('says so when nothing fails, with every pass folded', async () => {
    server.use(
      http.get(POLICY_URL, () =>
        HttpResponse.json({
          ...policy,
          counts: { passed: 17, warned: 0, failed: 0, waived: 0 },
          waivers: [],
          results: ['a', 'b', 'c', 'd', 'e', 'f'].map(rule => ({
            ...policy.results[3],
            rule,
          })),
        }),
      ),
    );
    await renderModuleTab(<EntityMlInfraPolicyContent />);
    const table = await screen.findByRole('table', { name: 'Policy results' });
    expect(table).toHaveTextContent(
      'Nothing fails or warns: every result passed.',
    );
    expect(
      screen.getByRole('group', { name: 'Policy counts' }),
    ).toHaveTextContent('17 passed checks');
    const fold = screen.getByRole('button', { name: '6 passed' });
    expect(fold).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(fold);
    expect(
      within(
        screen.getByRole('table', { name: 'Passed results' }),
      ).getAllByRole('row'),
    ).toHaveLength(7);
  });

  it('posts a waiver request for a failing result, and offers none for a warning', async () => {
    let posted: WaiverRequest | undefined;
    server.use(
      // No request stands for the failing rule yet.
      http.get(POLICY_URL, () =>
        HttpResponse.json({ ...policy, waivers: [approvedWaiver] }),
      ),
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
    await renderModuleTab(<EntityMlInfraPolicyContent />);

    // A warning never blocks the gate: the server refuses to waive it, so no button offers it.
    const warned = await screen.findByTestId(
      'policy-result-instance_family_allowed',
    );
    expect(
      within(warned).queryByRole('button', { name: /Request waiver/ }),
    ).not.toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Request waiver for gpu_nodes_encrypted',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request waiver',
    });
    // The rule is picked from the failing ones, preselected from the row.
    expect(
      within(dialog).getByRole('button', {
        name: /^Rule.*gpu_nodes_encrypted/,
      }),
    ).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/^Justification/), {
      target: { value: 'CMK rollout scheduled for next sprint' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );

    await waitFor(() => expect(posted).toBeDefined());
    expect(posted).toMatchObject({
      entityRef: 'component:default/gpu-training-cluster',
      rule: 'gpu_nodes_encrypted',
      environment: 'staging',
      justification: 'CMK rollout scheduled for next sprint',
    });
    expect(Date.parse(posted!.expiresAt)).toBeGreaterThan(
      Date.now() + 29 * 86400_000,
    );
    // The row says "pending" at once, without a reload.
    const row = await screen.findByTestId('policy-result-gpu_nodes_encrypted');
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
    await renderModuleTab(<EntityMlInfraPolicyContent />);

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
    respond(POLICY_URL, {
      counts: { passed: 0, warned: 0, failed: 0, waived: 0 },
      results: [],
      waivers: [],
    });
    await renderModuleTab(<EntityMlInfraPolicyContent />);
    expect(
      await screen.findByText('No policy results reported yet'),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(POLICY_URL, () => HttpResponse.text('oops', { status: 500 })),
    );
    await renderModuleTab(<EntityMlInfraPolicyContent />);
    expect((await screen.findAllByText(/500/)).length).toBeGreaterThan(0);
  });
});
