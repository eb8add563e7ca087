import { expect, test } from '@playwright/test';
import { mlInfraPages, PortalPage } from './portalPages';
import { runAxe, sidebar, signInAsGuest, waitForSearch } from './helpers';

/**
 * axe (WCAG 2.1 A/AA) on every page a team or governance uses: no serious or critical violation.
 * Full reports per page are written to e2e-test-results/axe/.
 */
const targets: PortalPage[] = [
  ...mlInfraPages,
  {
    name: 'create-form',
    open: async page => {
      await page.goto('/create/templates/default/gpu-training-cluster');
      await expect(page.getByRole('textbox', { name: 'Name' })).toBeVisible();
    },
  },
  {
    name: 'search',
    open: async page => {
      await page.goto('/search?query=drifted');
      await expect(
        page.locator('main').getByRole('list').getByRole('link').first(),
      ).toBeVisible();
    },
  },
  {
    name: 'docs',
    open: async page => {
      await page.goto('/docs/default/component/ml-infra-portal/');
      // The built site, not the page frame around a build still running (TechDocs builds on first open).
      await expect(
        page.getByRole('link', { name: 'Governance guide' }).first(),
      ).toBeVisible({ timeout: 180_000 });
      await expect(page.getByRole('progressbar')).toHaveCount(0, {
        timeout: 180_000,
      });
    },
  },
];

test.describe('accessibility', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });

  for (const target of targets) {
    test(`${target.name} has no serious or critical axe violation`, async ({
      page,
      request,
    }) => {
      test.setTimeout(300_000);
      if (target.name === 'search') {
        await waitForSearch(request, 'drifted', hits => hits.length > 0, {
          types: ['ml-infra-module'],
        });
      }
      await target.open(page);
      await page.waitForLoadState('networkidle');
      const { byImpact, blocking } = await runAxe(page, target.name);
      test.info().annotations.push({
        type: 'axe',
        description: `${target.name}: ${JSON.stringify(byImpact)}`,
      });
      expect(blocking, blocking.join('\n')).toEqual([]);
    });
  }

  test('a skip link is the first keyboard stop and moves focus to the content', async ({
    page,
  }) => {
    await page.goto('/ml-infra');
    await expect(page.getByTestId('module-table')).toBeVisible();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main').first()).toBeFocused();
  });

  test('sort headers show a visible focus indicator', async ({ page }) => {
    await page.goto('/ml-infra');
    const header = page
      .getByTestId('module-table')
      .getByRole('button', { name: /^Module/ })
      .first();
    await expect(header).toBeVisible();
    await header.focus();
    const outline = await header.evaluate(el => {
      const style = getComputedStyle(el);
      return {
        width: parseFloat(style.outlineWidth),
        style: style.outlineStyle,
        shadow: style.boxShadow,
      };
    });
    expect(
      outline.style !== 'none' && outline.width >= 2
        ? true
        : outline.shadow !== 'none',
    ).toBe(true);
  });

  test('the sidebar shows the portal, not Backstage', async ({ page }) => {
    await expect(
      sidebar(page).getByRole('link', { name: 'ML Infra Portal home' }),
    ).toBeVisible();
  });
});
