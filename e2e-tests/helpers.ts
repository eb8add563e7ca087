import { expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** The CI token of the embedded default (app-config.yaml), as the golden-path workflows use it. */
export const ciToken = process.env.ML_INFRA_TOKEN ?? 'local-dev-ci-token-not-for-production';

/** Where journeys save page screenshots (the README uses one of them). */
export const screenshotDir = path.resolve(__dirname, '..', 'e2e-screenshots');

export async function signInAsGuest(page: Page) {
  // The dev server's overlay lists build warnings (from dependencies too) on top of the page and
  // would swallow clicks; build errors still fail the journey because the page does not render.
  await page.addInitScript(() => {
    const style = document.createElement('style');
    style.textContent = '#webpack-dev-server-client-overlay { display: none !important; }';
    document.addEventListener('DOMContentLoaded', () => document.head.appendChild(style));
  });
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(sidebar(page).getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
}

export async function saveScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'sidebar nav' });
}

/** A tab of the catalog entity page (rendered as links in the page header). */
export function entityTab(page: Page, name: string) {
  return page.getByRole('link', { name, exact: true });
}
