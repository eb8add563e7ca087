import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { AppPageLayout } from './PageLayout';

describe('AppPageLayout', () => {
  it('shows sub-pages as navigation links, the current one marked, and no tabs without panels', async () => {
    renderInTestApp(
      <AppPageLayout
        title="Create"
        tabs={[
          { id: 'templates', label: 'Templates', href: '/create/templates' },
          { id: 'tasks', label: 'Tasks', href: '/create/tasks' },
        ]}
      >
        <p>form</p>
      </AppPageLayout>,
      { initialRouteEntries: ['/create/templates/default/x'] },
    );
    const sections = await screen.findByRole('navigation', {
      name: 'Create sections',
    });
    expect(sections).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Templates' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(screen.getByRole('link', { name: 'Tasks' })).not.toHaveAttribute(
      'aria-current',
    );
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(screen.getByText('form')).toBeInTheDocument();
  });

  it('renders only the content when the page brings its own header', async () => {
    renderInTestApp(
      <AppPageLayout title="ML Infra" noHeader>
        <p>own header</p>
      </AppPageLayout>,
    );
    expect(await screen.findByText('own header')).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });
});
