import { expect, test } from '@playwright/test';
import { saveScreenshot, sidebar, signInAsGuest } from './helpers';

test.describe('portal smoke', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });

  test('the catalog lists the portal itself', async ({ page }) => {
    await sidebar(page)
      .getByRole('link', { name: 'Catalog', exact: true })
      .click();
    await expect(
      page.getByRole('link', { name: 'ML Infra Portal' }),
    ).toBeVisible();
    await saveScreenshot(page, 'catalog');
  });

  test('the ML Infra page opens from the sidebar', async ({ page }) => {
    await sidebar(page)
      .getByRole('link', { name: 'ML Infra', exact: true })
      .click();
    await expect(page).toHaveURL(/\/ml-infra/);
    await expect(
      page.getByRole('heading', { name: 'ML Infra', level: 1 }),
    ).toBeVisible();
    await saveScreenshot(page, 'ml-infra');
  });

  test('the Create page opens', async ({ page }) => {
    await page.goto('/create');
    await expect(
      page.getByRole('heading', { name: 'Templates' }),
    ).toBeVisible();
    await expect(page.getByText('GPU training cluster')).toBeVisible();
    await saveScreenshot(page, 'create');
  });
});
