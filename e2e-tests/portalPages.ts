import { expect, Page } from '@playwright/test';
import { entityTab } from './helpers';

/** A page of the portal, and how to open it until its content shows. */
export interface PortalPage {
  name: string;
  open: (page: Page) => Promise<void>;
}

/** The ML Infra page, governance and every module tab: what the layout and axe journeys check. */
export const mlInfraPages: PortalPage[] = [
  {
    name: 'ml-infra',
    open: async page => {
      await page.goto('/ml-infra');
      await expect(
        page
          .getByTestId('module-table')
          .getByRole('link', { name: 'GPU training cluster' }),
      ).toBeVisible();
    },
  },
  {
    name: 'governance',
    open: async page => {
      await page.goto('/ml-infra/compliance');
      await expect(
        page.getByRole('heading', { name: /^Pending approval/ }),
      ).toBeVisible();
      await expect(
        page.locator('[data-testid^="waiver-row-"]').first(),
      ).toBeVisible();
    },
  },
  {
    name: 'module-overview',
    open: async page => {
      await page.goto('/catalog/default/component/gpu-training-cluster');
      await expect(page.getByTestId('latest-version')).toHaveText(
        /\d+\.\d+\.\d+/,
      );
    },
  },
  ...[
    {
      name: 'module-versions',
      tab: 'Versions & environments',
      ready: (page: Page) => page.getByTestId('version-matrix'),
    },
    {
      name: 'module-drift',
      tab: 'Drift',
      ready: (page: Page) => page.getByText('aws_eks_node_group.gpu').first(),
    },
    {
      name: 'module-policy',
      tab: 'Policy',
      ready: (page: Page) =>
        page.getByRole('table', { name: 'Policy results' }),
    },
    {
      name: 'module-tests',
      tab: 'Tests',
      ready: (page: Page) => page.getByRole('table', { name: 'Test runs' }),
    },
  ].map(({ name, tab, ready }) => ({
    name,
    open: async (page: Page) => {
      await page.goto('/catalog/default/component/gpu-training-cluster');
      await entityTab(page, tab).click();
      await expect(ready(page)).toBeVisible();
    },
  })),
];
