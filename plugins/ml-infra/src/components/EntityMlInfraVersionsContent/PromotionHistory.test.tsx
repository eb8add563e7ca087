import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { Deployment } from '@ml-infra-portal/plugin-ml-infra-common';
import { screen, within } from '@testing-library/react';
import { PromotionHistory } from './PromotionHistory';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

function deployment(overrides: Partial<Deployment>): Deployment {
  return {
    environment: 'dev',
    version: '1.0.0',
    action: 'deploy',
    deployedAt: '2026-12-01T10:00:00.000Z',
    run: { provider: 'github', runId: '42', attempt: 1 },
    ...overrides,
  };
}

describe('PromotionHistory', () => {
  it('never renders a javascript: URL as a link, and links http(s) run URLs', async () => {
    await renderInTestApp(
      <PromotionHistory
        history={[
          // eslint-disable-next-line no-script-url -- the hostile input under test
          deployment({ runUrl: 'javascript:alert(1)' }),
          deployment({
            deployedAt: '2026-12-01T11:00:00.000Z',
            runUrl: 'https://ci.example.com/runs/43',
            run: { provider: 'github', runId: '43', attempt: 1 },
          }),
        ]}
      />,
      mountedRoutes,
    );
    const links = screen.getAllByRole('link');
    expect(links.map(link => link.getAttribute('href'))).toEqual([
      'https://ci.example.com/runs/43',
    ]);
    expect(screen.getByText('github #42')).toBeInTheDocument();
    expect(
      document.querySelector('a[href^="javascript"]'),
    ).not.toBeInTheDocument();
  });

  it('shows what a CI client claims as text and links the signed-in user who reported it', async () => {
    await renderInTestApp(
      <PromotionHistory
        history={[
          deployment({
            deployedBy: 'user:default/ceo',
            reportedBy:
              'external:github-actions:repo:acme/x:ref:refs/heads/main',
          }),
          deployment({
            deployedAt: '2026-12-01T11:00:00.000Z',
            deployedBy: 'user:default/alice',
            reportedBy: 'user:default/alice',
          }),
        ]}
      />,
      mountedRoutes,
    );
    const rows = screen.getAllByRole('row');
    // Newest first: alice's row, then the CI claim.
    expect(
      within(rows[1]).getByRole('link', { name: 'alice' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    expect(within(rows[2]).getByText('user:default/ceo')).toBeInTheDocument();
    expect(
      within(rows[2]).queryByRole('link', { name: /ceo/ }),
    ).not.toBeInTheDocument();
  });
});
