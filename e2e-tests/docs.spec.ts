import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { mkdocsYmlPath } from './globalSetup';
import {
  backendUrl,
  guestToken,
  saveThemedScreenshots,
  signInAsGuest,
} from './helpers';

/**
 * Every route to documentation opens: the CI integration guide from a module page (TechDocs of the
 * portal, built by the local mkdocs), and the TechDocs tab of a module freshly created from a golden
 * path (its generated mkdocs.yml built the same way).
 */
test.describe('docs that open', () => {
  test('the CI integration guide opens from a module page with no results yet', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    const name = await createModule(request, 'docs');
    await signInAsGuest(page);
    await page.goto(`/catalog/default/component/${name}`);
    // A new module has no CI results yet; its empty state links to the guide.
    // A link styled as a button: it navigates, so it is announced as a link.
    await page
      .getByRole('link', { name: 'Read the CI integration guide' })
      .first()
      .click();
    await expect(page).toHaveURL(
      /\/docs\/default\/component\/ml-infra-portal\/ci-integration/,
    );
    await expect(
      page.getByRole('heading', { name: /CI integration/i, level: 1 }),
    ).toBeVisible({ timeout: 180_000 });
    await saveThemedScreenshots(page, 'docs-ci-integration');
    // The portal's docs are a local `dir:` source, which the generator patches in place; the
    // build leaves mkdocs.yml as it was before the run (see app-config.yaml, techdocs).
    expect(readFileSync(mkdocsYmlPath, 'utf8')).toBe(
      process.env.E2E_MKDOCS_YML_BEFORE,
    );
  });

  test('the TechDocs tab of a freshly created module shows its docs', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    const name = await createModule(request, 'tdoc');
    await signInAsGuest(page);
    await page.goto(`/catalog/default/component/${name}/docs`);
    // The generated docs/index.md starts with the module's name as its heading.
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible({
      timeout: 180_000,
    });
    await expect(
      page.getByRole('link', { name: 'Operations' }).first(),
    ).toBeVisible();
  });
});

/**
 * Creates a GPU training cluster module through the scaffolder's real API (local git publish on the
 * embedded default) and waits until the catalog holds it.
 */
export async function createModule(
  request: import('@playwright/test').APIRequestContext,
  prefix: string,
) {
  const name = `e2e-${prefix}-${Date.now().toString(36)}`;
  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const created = await request.post(`${backendUrl}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/gpu-training-cluster',
      values: {
        name,
        description: 'Created by the docs journey',
        owner: 'group:default/ml-platform',
        cloud: 'aws',
        region: 'us-east-1',
        acceleratorType: 'nvidia-a100',
        environments: ['dev', 'staging', 'prod'],
        costCenter: 'CC-4711',
        dataClassification: 'internal',
        publishTarget: 'local',
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get(`${backendUrl}/api/scaffolder/v2/tasks/${id}`, {
              headers,
            })
          ).json()
        ).status,
      {
        message: `scaffolder task ${id} finishes`,
        timeout: 240_000,
        intervals: [2_000],
      },
    )
    .toMatch(/completed|failed|cancelled/);
  const task = await (
    await request.get(`${backendUrl}/api/scaffolder/v2/tasks/${id}`, {
      headers,
    })
  ).json();
  expect(task.status, `scaffolder task ${id}`).toBe('completed');
  await expect
    .poll(
      async () =>
        (
          await request.get(
            `${backendUrl}/api/catalog/entities/by-name/component/default/${name}`,
            { headers },
          )
        ).status(),
      {
        message: `catalog holds ${name}`,
        timeout: 180_000,
        intervals: [2_000],
      },
    )
    .toBe(200);
  return name;
}
