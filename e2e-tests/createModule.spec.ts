import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkModuleRepository,
  createLimiter,
  failures,
  terraformToolchain,
} from '../plugins/scaffolder-backend-module-ml-infra/src/__testUtils__/terraformConformance';
import { saveScreenshot, signInAsGuest } from './helpers';

const repoRoot = path.resolve(__dirname, '..');

/**
 * The golden path as an engineer takes it: "Create ML module", pick the GPU training cluster,
 * fill the form, run the real scaffolder (local git publish on the embedded default), then find
 * the new module in the catalog and on the ML Infra page. The repository it published must then
 * pass real terraform as checked out: fmt, init + validate of every folder (the environments
 * fetch the module at its v0.1.0 tag from that repository) and the repository's own mock-provider
 * tests.
 */
test('create an ML module from a golden path', async ({ page }) => {
  test.setTimeout(1_200_000);
  // Before the browser work: without terraform the journey fails here, saying how to get it.
  const toolchain = terraformToolchain(repoRoot);
  const name = `e2e-gpu-${Date.now().toString(36)}`;
  await signInAsGuest(page);

  await page.goto('/ml-infra');
  await page.getByTestId('create-ml-module').click();
  await expect(page).toHaveURL(/\/create/);
  // The innermost element holding both the template's title and a Choose button is its card.
  const card = page
    .locator('div')
    .filter({
      has: page.getByRole('heading', {
        name: 'GPU training cluster',
        level: 4,
      }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last();
  await card.getByRole('button', { name: 'Choose' }).click();

  // Module
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page
    .getByRole('textbox', { name: 'Description' })
    .fill('Training node pools for the e2e journey');
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('ml-platform');
  await page
    .getByRole('option', { name: /ml-platform/ })
    .first()
    .click();
  await saveScreenshot(page, 'create-form');
  await page.getByRole('button', { name: 'Next' }).click();

  // Placement: choices come from the guardrails in app-config
  await page.getByLabel('Region').click();
  await page.getByRole('option', { name: /us-east-1/ }).click();
  await page.getByLabel('Accelerator').click();
  await page.getByRole('option', { name: /NVIDIA A100/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Governance
  await page.getByRole('textbox', { name: 'Cost center' }).fill('CC-4711');
  await page.getByLabel('Data classification').click();
  await page.getByRole('option', { name: /^internal/i }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Repository: local git repository is the default on the embedded default
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs every step and succeeds
  await expect(page.getByText(/Register with ML Infra/)).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByRole('link', { name: /Open in catalog/i }),
  ).toBeVisible({ timeout: 180_000 });
  await saveScreenshot(page, 'create-task');

  await page.getByRole('link', { name: /Open in catalog/i }).click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
    { timeout: 60_000 },
  );
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible({
    timeout: 120_000,
  });

  await page.goto('/ml-infra');
  await page.getByTestId('module-search').fill(name);
  await expect(
    page.getByTestId('module-table').getByRole('link', { name }),
  ).toBeVisible();

  // The published repository, checked out as a user would (environments pin its v0.1.0 tag).
  const published = path.join(repoRoot, '.data', 'repos', name);
  const checkout = fs.mkdtempSync(
    path.join(os.tmpdir(), 'ml-infra-e2e-module-'),
  );
  try {
    execFileSync('git', ['clone', '-q', published, checkout]);
    expect(
      execFileSync('git', ['tag', '--list'], {
        cwd: checkout,
        encoding: 'utf8',
      }),
    ).toContain('v0.1.0');
    const outcomes = await checkModuleRepository(checkout, {
      toolchain,
      limit: createLimiter(2),
      validate: 'all',
    });
    expect(outcomes.map(o => o.folder)).toEqual(
      expect.arrayContaining([
        '(repository)',
        '.',
        'examples/basic',
        'examples/complete',
        'environments/dev',
      ]),
    );
    expect(failures(outcomes)).toEqual([]);
  } finally {
    fs.rmSync(checkout, { recursive: true, force: true });
  }
});
