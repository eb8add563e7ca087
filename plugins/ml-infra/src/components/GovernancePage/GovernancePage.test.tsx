import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  compliance,
  pendingWaiver,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { GovernancePage } from './GovernancePage';

describe('GovernancePage', () => {
  const { server, respond } = setupMlInfraApi();

  /** Clicks a waiver's decision button (the first for `rule`, or any) and returns its dialog. */
  async function openDecision(
    action: 'Approve' | 'Reject' | 'Revoke',
    rule?: string,
  ) {
    fireEvent.click(
      await screen.findByRole('button', {
        name: new RegExp(`^${action} waiver ${rule ?? ''}`),
      }),
    );
    return screen.findByRole('dialog', {
      name: new RegExp(`^${action} waiver for ${rule ?? ''}`),
    });
  }

  it('shows KPIs, breakdowns and waivers grouped by what needs doing', async () => {
    respond(`${API_BASE}/compliance`, compliance);
    await renderWithMlInfra(<GovernancePage />);

    expect(
      await screen.findByTestId('summary-tile-pending-waivers'),
    ).toHaveTextContent('1Waivers pending');
    expect(screen.getByTestId('severity-chart')).toBeInTheDocument();
    expect(screen.getByTestId('trend-chart')).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Violations by rule and control' }),
    ).toHaveTextContent('SC-28');
    expect(
      screen.getByRole('table', { name: 'Violations by owner' }),
    ).toHaveTextContent('ml-platform');
    expect(
      screen.getByRole('table', { name: 'Drifted environments' }),
    ).toHaveTextContent('staging');
    expect(
      screen.getByRole('table', {
        name: 'Released versions without passing tests',
      }),
    ).toHaveTextContent('1.3.1');

    const pending = screen.getByRole('table', { name: 'Pending approval' });
    expect(
      within(pending).getByTestId('waiver-row-w-pending'),
    ).toBeInTheDocument();
    // A fresh approval is active, flagged when it expires soon; the heading counts it.
    const active = screen.getByRole('table', { name: 'Active' });
    expect(
      within(active).getByLabelText('Waiver: Expiring soon'),
    ).toBeInTheDocument();
    expect(
      within(active).getByRole('button', { name: /Revoke/ }),
    ).toBeInTheDocument();
    expect(screen.getByText('Active (1)')).toBeInTheDocument();
    // Every decision stays on record, the expired one included.
    const decided = screen.getByRole('table', { name: 'Decided' });
    expect(
      within(decided).getByTestId('waiver-row-w-expired'),
    ).toBeInTheDocument();
    expect(
      within(decided).getByTestId('waiver-row-w-approved'),
    ).toBeInTheDocument();
  });

  it('approves a pending waiver and reloads', async () => {
    let approved = false;
    server.use(
      http.get(`${API_BASE}/compliance`, () =>
        HttpResponse.json(
          approved
            ? {
                ...compliance,
                waivers: compliance.waivers.filter(
                  w => w.id !== pendingWaiver.id,
                ),
              }
            : compliance,
        ),
      ),
      http.post(`${API_BASE}/waivers/w-pending/approve`, () => {
        approved = true;
        return HttpResponse.json({ ...pendingWaiver, status: 'approved' });
      }),
    );
    await renderWithMlInfra(<GovernancePage />);

    const dialog = await openDecision('Approve', 'gpu_nodes_encrypted');
    expect(approved).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(approved).toBe(true));
    await waitFor(() =>
      expect(
        screen.queryByTestId('waiver-row-w-pending'),
      ).not.toBeInTheDocument(),
    );
  });

  it("keeps a refusal in the dialog in the server's words", async () => {
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.post(`${API_BASE}/waivers/w-pending/approve`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                'Waiver w-pending was requested by user:default/alice; someone else must approve it',
            },
            response: { statusCode: 403 },
          },
          { status: 403, statusText: 'Forbidden' },
        ),
      ),
    );
    await renderWithMlInfra(<GovernancePage />);
    const dialog = await openDecision('Approve', 'gpu_nodes_encrypted');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'someone else must approve it',
    );
    expect(dialog).not.toHaveTextContent('Request failed');
  });

  it('shows the history of a waiver on demand', async () => {
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.get(`${API_BASE}/waivers/w-pending/audit`, () =>
        HttpResponse.json({
          items: [
            {
              waiverId: 'w-pending',
              action: 'requested',
              actor: 'user:default/alice',
              at: pendingWaiver.requestedAt,
              comment: 'Needed for the KMS rollout',
            },
          ],
        }),
      ),
    );
    await renderWithMlInfra(<GovernancePage />);

    const toggle = await screen.findByRole('button', {
      name: 'Show history of waiver gpu_nodes_encrypted for component:default/gpu-training-cluster',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const history = await screen.findByRole('table', {
      name: 'History of waiver gpu_nodes_encrypted for component:default/gpu-training-cluster',
    });
    expect(
      within(history).getByLabelText('Action: Requested'),
    ).toBeInTheDocument();
    expect(
      within(history).getByRole('link', { name: 'alice' }),
    ).toBeInTheDocument();
    expect(history).toHaveTextContent('Needed for the KMS rollout');

    fireEvent.click(toggle);
    await waitFor(() =>
      expect(
        screen.queryByRole('table', { name: /^History of waiver/ }),
      ).not.toBeInTheDocument(),
    );
  });

  it('rejects a pending waiver with a comment after confirmation', async () => {
    let body: unknown;
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.post(`${API_BASE}/waivers/w-pending/reject`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...pendingWaiver, status: 'rejected' });
      }),
    );
    await renderWithMlInfra(<GovernancePage />);

    const dialog = await openDecision('Reject', 'gpu_nodes_encrypted');
    expect(body).toBeUndefined();
    fireEvent.change(within(dialog).getByLabelText('Comment'), {
      target: { value: 'Rotate the key first' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));

    await waitFor(() =>
      expect(body).toEqual({ comment: 'Rotate the key first' }),
    );
  });

  it('sends nothing when a revoke is cancelled', async () => {
    const comments: unknown[] = [];
    server.use(
      http.get(`${API_BASE}/compliance`, () => HttpResponse.json(compliance)),
      http.post(`${API_BASE}/waivers/:id/revoke`, async ({ request }) => {
        comments.push(((await request.json()) as { comment: string }).comment);
        return HttpResponse.json({});
      }),
    );
    await renderWithMlInfra(<GovernancePage />);

    const cancelled = await openDecision('Revoke');
    fireEvent.change(within(cancelled).getByLabelText('Comment'), {
      target: { value: 'never mind' },
    });
    fireEvent.click(within(cancelled).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    // Then revoke for real: a request the cancel had sent would have left before this one, so
    // once this one has arrived, it is the only one there may be.
    const confirmed = await openDecision('Revoke');
    fireEvent.change(within(confirmed).getByLabelText('Comment'), {
      target: { value: 'Key rotated' },
    });
    fireEvent.click(within(confirmed).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(comments).toContain('Key rotated'));
    expect(comments).toEqual(['Key rotated']);
  });

  it('exports what is on screen as CSV', async () => {
    respond(`${API_BASE}/compliance`, compliance);
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:compliance';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});

    await renderWithMlInfra(<GovernancePage />);
    fireEvent.click(
      await screen.findByRole('button', { name: /Waivers and decisions/ }),
    );

    expect(click).toHaveBeenCalled();
    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    const csv = (await blobs[0].text()).split('\r\n');
    expect(csv[0]).toMatch(/^waiver,module,rule,/);
    // One row per waiver.
    expect(csv).toHaveLength(compliance.waivers.length + 1);
    expect(csv.find(line => line.startsWith('w-pending,'))).toContain(
      'gpu_nodes_encrypted',
    );
    click.mockRestore();
  });

  it('shows an empty state before any module reports', async () => {
    respond(`${API_BASE}/compliance`, {
      ...compliance,
      totals: { ...compliance.totals, modules: 0 },
    });
    await renderWithMlInfra(<GovernancePage />);
    expect(
      await screen.findByText('No compliance data yet'),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(`${API_BASE}/compliance`, () =>
        HttpResponse.text('down', { status: 500 }),
      ),
    );
    await renderWithMlInfra(<GovernancePage />);
    expect((await screen.findAllByText(/500/)).length).toBeGreaterThan(0);
  });
});
