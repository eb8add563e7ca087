import { expect, Page, test } from '@playwright/test';
import {
  entityTab,
  findLayoutProblems,
  saveThemedScreenshots,
  signInAsGuest,
} from './helpers';

/**
 * Layout that reads at common desktop widths: no horizontal overflow, no word split mid-word and no
 * wrapped button label on the ML Infra, governance and module pages, measured from the DOM; and
 * every page in the light and the dark theme, saved as screenshots at 1280 px.
 */
const pages: Array<{ name: string; open: (page: Page) => Promise<void> }> = [
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
        page.getByRole('heading', { name: /waivers/i }).first(),
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

for (const width of [1280, 1920]) {
  test.describe(`layout at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('ML Infra, governance and module pages neither overflow nor break words', async ({
      page,
    }) => {
      test.setTimeout(300_000);
      await signInAsGuest(page);
      const found: string[] = [];
      for (const target of pages) {
        await target.open(page);
        // Charts and tables finish their layout after the data arrives.
        await page.waitForLoadState('networkidle');
        for (const problem of await findLayoutProblems(page)) {
          found.push(
            `${target.name}: ${problem.kind} ${problem.element} (${problem.detail})`,
          );
        }
        if (width === 1280) {
          await saveThemedScreenshots(page, `${target.name}-1280`);
        }
      }
      expect(found, found.join('\n')).toEqual([]);
    });
  });
}
