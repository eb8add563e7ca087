import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { ActorLink } from './ActorLink';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('ActorLink', () => {
  it('links catalog users', async () => {
    await renderInTestApp(
      <ActorLink actor="user:default/alice" />,
      mountedRoutes,
    );
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
  });

  it('shows bots and service subjects as text', async () => {
    await renderInTestApp(
      <ul>
        <li>
          <ActorLink actor="github-actions[bot]" />
        </li>
        <li>
          <ActorLink actor="external:ci-pipelines" />
        </li>
      </ul>,
      mountedRoutes,
    );
    expect(screen.getByText('github-actions[bot]')).toBeInTheDocument();
    expect(screen.getByText('external:ci-pipelines')).toBeInTheDocument();
    expect(screen.queryByRole('link')).toBeNull();
  });
});
