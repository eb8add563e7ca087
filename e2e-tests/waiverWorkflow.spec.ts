import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { ciToken, entityTab, saveScreenshot, signInAsGuest } from './helpers';

/**
 * Waivers as a workflow and the governance evidence (issue 14): the guest requests a waiver on a
 * module's Policy tab and withdraws it; governance approves a request with a comment and finds
 * the decision under "Decided"; the findings CSV has one row per failing rule.
 */
const API = 'http://localhost:7007/api/ml-infra';
const MODULE = 'component:default/model-serving-endpoint';

test.use({ viewport: { width: 1280, height: 900 } });

test.describe('waiver workflow', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });

  test('request a waiver on the Policy tab, then withdraw it', async ({
    page,
  }) => {
    await page.goto('/catalog/default/component/model-serving-endpoint');
    await entityTab(page, 'Policy').click();
    await page
      .getByRole('button', { name: 'Request waiver for ML-NET-001' })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'Request waiver' });
    await expect(
      dialog.getByRole('button', { name: /^Rule.*ML-NET-001/ }),
    ).toBeVisible();
    await dialog
      .getByRole('textbox', { name: 'Justification' })
      .fill('e2e: private link ships next sprint');
    await saveScreenshot(page, 'waiver-dialog');
    await dialog.getByRole('button', { name: 'Request waiver' }).click();

    const row = page.getByTestId('policy-result-ML-NET-001').first();
    await expect(row.getByLabel('Waiver: Waiver pending')).toBeVisible();
    await row
      .getByRole('button', { name: 'Withdraw waiver request for ML-NET-001' })
      .click();
    const withdraw = page.getByRole('dialog', {
      name: 'Withdraw waiver for ML-NET-001',
    });
    await withdraw
      .getByRole('textbox', { name: 'Comment' })
      .fill('filed too early');
    await withdraw.getByRole('button', { name: 'Withdraw' }).click();
    await expect(
      row.getByRole('button', { name: 'Request waiver for ML-NET-001' }),
    ).toBeVisible();

    const after = await page.request.get(
      `${API}/waivers?entityRef=${MODULE}&status=withdrawn`,
      {
        headers: { Authorization: `Bearer ${ciToken}` },
      },
    );
    const withdrawn = (await after.json()).items;
    expect(withdrawn).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: 'withdrawn',
          decisionComment: 'filed too early',
          decidedBy: 'user:default/guest',
        }),
      ]),
    );
  });

  test('approve a request with a comment; it appears under Decided', async ({
    page,
    request,
  }) => {
    const justification = `e2e ${Date.now()}: staging endpoint stays public for the load test`;
    const created = await request.post(`${API}/waivers`, {
      headers: { Authorization: `Bearer ${ciToken}` },
      data: {
        entityRef: MODULE,
        rule: 'ML-NET-001',
        environment: 'staging',
        justification,
        expiresAt: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
      },
    });
    expect(created.status()).toBe(201);
    const waiver = await created.json();

    await page.goto('/ml-infra/compliance');
    const pending = page.getByRole('table', { name: 'Pending approval' });
    const row = pending.getByTestId(`waiver-row-${waiver.id}`);
    await expect(row).toContainText(justification);
    await row
      .getByRole('button', { name: /^Approve waiver ML-NET-001/ })
      .click();
    const dialog = page.getByRole('dialog', {
      name: 'Approve waiver for ML-NET-001',
    });
    await dialog
      .getByRole('textbox', { name: 'Comment' })
      .fill('until the load test ends');
    await dialog.getByRole('button', { name: 'Approve' }).click();

    const decided = page.getByRole('table', { name: 'Decided' });
    const decidedRow = decided.getByTestId(`waiver-row-${waiver.id}`);
    await expect(decidedRow).toContainText('until the load test ends');
    await expect(decidedRow.getByLabel('Waiver: Approved')).toBeVisible();
    await expect(
      page
        .getByRole('table', { name: 'Active' })
        .getByTestId(`waiver-row-${waiver.id}`),
    ).toBeVisible();
    await saveScreenshot(page, 'governance-page');
  });

  test('a filter state survives opening a module and going Back', async ({
    page,
    request,
  }) => {
    // What the backend lists for the filter: the table must show exactly these, before and after.
    const listed = await request.get(
      `${API}/modules?status=drifted&search=gpu`,
      { headers: { Authorization: `Bearer ${ciToken}` } },
    );
    expect(listed.status(), await listed.text()).toBe(200);
    const expected: string[] = (await listed.json()).items.map(
      (m: { entityRef: string }) => m.entityRef,
    );
    expect(expected).toContain('component:default/gpu-training-cluster');

    await page.goto('/ml-infra');
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: /drifted/i }).click();
    await page.getByTestId('module-search').fill('gpu');
    await expect(page).toHaveURL(/status=drifted/);
    await expect(page).toHaveURL(/q=gpu/);
    const table = page.getByTestId('module-table');
    // The previous page stays on screen while the filtered one loads: wait for the filtered rows.
    await expect(table.getByTestId('module-row')).toHaveCount(expected.length);
    await table
      .getByRole('link', { name: /GPU training cluster/ })
      .first()
      .click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/gpu-training-cluster/,
    );
    await page.goBack();
    await expect(page).toHaveURL(/status=drifted/);
    await expect(page).toHaveURL(/q=gpu/);
    await expect(page.getByTestId('module-search')).toHaveValue('gpu');
    await expect(page.getByTestId('filter-status')).toHaveText(/Drifted/);
    await expect(table.getByTestId('module-row')).toHaveCount(expected.length);
    await expect(
      table.getByRole('link', { name: /GPU training cluster/ }),
    ).toBeVisible();
  });

  test('the findings CSV has one row per failing rule', async ({
    page,
    request,
  }) => {
    const overview = await (
      await request.get(`${API}/compliance`, {
        headers: { Authorization: `Bearer ${ciToken}` },
      })
    ).json();
    const findings: Array<{ entityRef: string; rule: string }> =
      overview.findings;
    expect(findings.length).toBeGreaterThan(0);

    await page.goto('/ml-infra/compliance');
    const exportButton = page.getByTestId('export-findings-csv');
    await expect(exportButton).toBeVisible({ timeout: 60_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportButton.click(),
    ]);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toMatch(
      /^module,owner,version,rule,control,severity,environment,resource,status/,
    );
    const rows = lines.slice(1);
    expect(rows).toHaveLength(findings.length);
    for (const finding of findings) {
      expect(
        rows.some(
          r =>
            r.startsWith(`${finding.entityRef},`) &&
            r.includes(`,${finding.rule},`),
        ),
      ).toBe(true);
    }
  });
});
