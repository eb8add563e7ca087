import { expect, test } from '@playwright/test';
import {
  ciToken,
  entityTab,
  saveScreenshot,
  sidebar,
  signInAsGuest,
} from './helpers';

/**
 * What teams and governance do with the demo data: browse and filter the module catalog, open a
 * module and read each tab, then approve a pending waiver on the governance page (the guest is a
 * member of group ml-governance in the demo org).
 */
test.describe('ML Infra journey', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });

  test('browse, filter and open a module, then read every tab', async ({
    page,
  }) => {
    await sidebar(page)
      .getByRole('link', { name: 'ML Infra', exact: true })
      .click();
    const table = page.getByTestId('module-table');
    // The six demo modules (plus any a golden-path journey created before this one).
    for (const name of [
      'GPU training cluster',
      'Model serving endpoint',
      'Feature store',
      'Dataset and model artifact store',
      'Experiment tracking',
      'Inference GPU pool',
    ]) {
      await expect(
        table.getByRole('link', { name, exact: true }),
      ).toBeVisible();
    }
    await expect(page.getByTestId('create-ml-module')).toBeVisible();
    await saveScreenshot(page, 'ml-infra-modules');

    // Only drifted modules once filtered by status.
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: /drifted/i }).click();
    await expect(table.getByTestId('module-row')).toHaveCount(2);
    await expect(
      table.getByRole('link', {
        name: /GPU training cluster|gpu-training-cluster/,
      }),
    ).toBeVisible();
    await expect(
      table.getByRole('link', { name: /Feature store|feature-store/ }),
    ).toHaveCount(0);

    await table
      .getByRole('link', { name: /GPU training cluster|gpu-training-cluster/ })
      .first()
      .click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/gpu-training-cluster/,
    );
    await expect(page.getByTestId('latest-version')).toHaveText(/1\.3\.0/);
    await saveScreenshot(page, 'module-overview');

    await entityTab(page, 'Versions & environments').click();
    await expect(page.getByTestId('version-matrix')).toBeVisible();
    await expect(page.getByTestId('gate-decision')).toBeVisible();
    await expect(
      page.getByRole('table', { name: 'Promotion history' }),
    ).toContainText('1.2.0');
    await saveScreenshot(page, 'module-versions');

    await entityTab(page, 'Drift').click();
    await expect(
      page.getByText('aws_eks_node_group.gpu').first(),
    ).toBeVisible();
    await saveScreenshot(page, 'module-drift');

    await entityTab(page, 'Policy').click();
    await expect(
      page.getByRole('table', { name: 'Policy results' }),
    ).toContainText('ML-LOG-001');
    await saveScreenshot(page, 'module-policy');

    await entityTab(page, 'Tests').click();
    await expect(page.getByRole('table', { name: 'Test runs' })).toBeVisible();
    await expect(page.getByText('TestPlanBasicExample').first()).toBeVisible();
    await saveScreenshot(page, 'module-tests');
  });

  test('the module rows stay put when the summary numbers arrive', async ({
    page,
  }) => {
    // Hold the overview back until the rows are on screen, as a slow /compliance would.
    let release = () => {};
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    await page.route('**/api/ml-infra/compliance', async route => {
      await released;
      await route.continue();
    });
    await sidebar(page)
      .getByRole('link', { name: 'ML Infra', exact: true })
      .click();
    const firstRow = page.getByTestId('module-row').first();
    await expect(firstRow).toBeVisible();
    const drifted = page.getByTestId('summary-tile-drifted');
    await expect(drifted).toHaveText('Drifted environments');
    const before = await firstRow.boundingBox();

    release();
    await expect(drifted).toHaveText(/^\d+Drifted environments$/);
    await expect(
      page.getByRole('list', { name: 'Summary' }),
    ).not.toHaveAttribute('aria-busy', 'true');
    expect(await firstRow.boundingBox()).toEqual(before);
  });

  test('governance approves a pending waiver', async ({ page, request }) => {
    // A CI pipeline files the request (as the golden-path workflows can); the guest decides it.
    const justification = `e2e ${Date.now()}: endpoint stays public until the private link ships`;
    const created = await request.post(
      'http://localhost:7007/api/ml-infra/waivers',
      {
        headers: { Authorization: `Bearer ${ciToken}` },
        data: {
          entityRef: 'component:default/model-serving-endpoint',
          rule: 'ML-NET-001',
          environment: 'dev',
          justification,
          expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        },
      },
    );
    expect(created.status()).toBe(201);
    const waiver = await created.json();

    await page.goto('/ml-infra/compliance');
    const row = page.getByTestId(`waiver-row-${waiver.id}`).first();
    await expect(row).toContainText(justification);
    await saveScreenshot(page, 'governance');
    await row.getByRole('button', { name: /^Approve waiver/ }).click();
    // Approving asks for confirmation, with an optional comment.
    await page
      .getByRole('dialog', { name: /^Approve waiver for/ })
      .getByRole('button', { name: 'Approve' })
      .click();
    await expect(
      page.getByRole('button', { name: /^Revoke waiver ML-NET-001/ }).first(),
    ).toBeVisible();

    const after = await request.get(
      `http://localhost:7007/api/ml-infra/waivers?entityRef=component:default/model-serving-endpoint`,
      {
        headers: { Authorization: `Bearer ${ciToken}` },
      },
    );
    const stored = (await after.json()).items.find(
      (w: { id: string }) => w.id === waiver.id,
    );
    expect(stored).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/guest',
    });
  });
});
