import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { WaiverAuditEvent } from '@ml-infra-portal/plugin-ml-infra-common';
import {
  API_BASE,
  renderWithMlInfra,
  setupMlInfraApi,
} from '../../__testUtils__';
import { WaiverHistory } from './WaiverHistory';

const AUDIT_URL = `${API_BASE}/waivers/w-pending/audit`;

const events: WaiverAuditEvent[] = [
  {
    waiverId: 'w-pending',
    action: 'approved',
    actor: 'user:default/gov',
    at: new Date(Date.now() - 3600_000).toISOString(),
    comment: 'OK for one sprint',
  },
  {
    waiverId: 'w-pending',
    action: 'requested',
    actor: 'github-actions[bot]',
    at: new Date(Date.now() - 5 * 3600_000).toISOString(),
  },
];

describe('WaiverHistory', () => {
  const { server, respond } = setupMlInfraApi();

  it('shows the audit trail oldest first, with actor, action and comment', async () => {
    respond(AUDIT_URL, { items: events });
    await renderWithMlInfra(<WaiverHistory waiverId="w-pending" />);

    const table = await screen.findByRole('table', {
      name: 'History of waiver w-pending',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByLabelText('Action: Requested'),
    ).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('github-actions[bot]');
    expect(
      within(rows[1]).getByLabelText('Action: Approved'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByRole('link', { name: 'gov' })).toHaveAttribute(
      'href',
      '/catalog/default/user/gov',
    );
    expect(rows[1]).toHaveTextContent('OK for one sprint');
  });

  it('says so when there are no events', async () => {
    respond(AUDIT_URL, { items: [] });
    await renderWithMlInfra(<WaiverHistory waiverId="w-pending" />);
    expect(await screen.findByText('No events')).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(AUDIT_URL, () =>
        HttpResponse.text('audit down', { status: 500 }),
      ),
    );
    await renderWithMlInfra(<WaiverHistory waiverId="w-pending" />);
    expect((await screen.findAllByText(/500/)).length).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
