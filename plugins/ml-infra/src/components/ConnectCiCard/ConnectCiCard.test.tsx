import { screen } from '@testing-library/react';
import { moduleEntity, renderWithMlInfra } from '../../__testUtils__';
import { ConnectCiCard } from './ConnectCiCard';

describe('ConnectCiCard', () => {
  it('offers the CI integration guide as a link to its docs page', async () => {
    await renderWithMlInfra(<ConnectCiCard />, { entity: moduleEntity });
    const guide = await screen.findByRole('link', {
      name: 'Read the CI integration guide',
    });
    expect(guide).toHaveAttribute(
      'href',
      '/docs/default/component/ml-infra-portal/ci-integration/',
    );
    // It navigates, so nothing announces it as a button.
    expect(
      screen.queryByRole('button', { name: 'Read the CI integration guide' }),
    ).not.toBeInTheDocument();
  });
});
