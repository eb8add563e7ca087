import { expect, test } from '@playwright/test';
import {
  backendUrl,
  createModuleFromGoldenPath,
  entityTab,
  saveScreenshot,
  signInAsGuest,
  uploadTestRun,
} from './helpers';

/**
 * A new module tells its owner how to connect CI (issue 14): created from a golden path (local
 * publish on the embedded default), its Overview shows the Connect CI card with the portal URL,
 * the identity its CI uses and the clone command; after the first upload through the real
 * ingestion API with the CI identity, the card gives way to the module's ML Infra card.
 */
test.use({ viewport: { width: 1280, height: 900 } });

test('a new module shows the Connect CI card until its first upload', async ({
  page,
  request,
}) => {
  test.setTimeout(600_000);
  const name = `e2e-ci-${Date.now().toString(36)}`;
  await signInAsGuest(page);

  const entityRef = await createModuleFromGoldenPath(
    request,
    'dataset-artifact-store',
    {
      name,
      description: 'Datasets for the Connect CI journey',
      owner: 'group:default/ml-platform',
      cloud: 'aws',
      region: 'us-east-1',
      environments: ['dev', 'staging', 'prod'],
      costCenter: 'ml-4711',
      dataClassification: 'internal',
      publishTarget: 'local',
    },
  );

  await page.goto(`/catalog/default/component/${name}`);
  const card = page.getByTestId('connect-ci-card');
  await expect(card).toBeVisible({ timeout: 60_000 });
  await expect(card).toContainText(backendUrl);
  await expect(card.getByTestId('ci-identity')).toContainText('ML_INFRA_TOKEN');
  // Published locally: the card says how to get the code, not a dead file:// link.
  await expect(card).toContainText(`git clone `);
  await expect(card).toContainText(name);
  await expect(
    card.locator('a', { hasText: 'Read the CI integration guide' }),
  ).toHaveAttribute('href', /\/docs\/.*ci-integration/);
  await saveScreenshot(page, 'new-module-overview');

  // The first report arrives through the ingestion API, as test.yml sends it.
  await uploadTestRun(request, entityRef, '0.1.0');

  await page.reload();
  await expect(entityTab(page, 'Overview')).toBeVisible();
  await expect(
    page.getByText('Versions and environments at a glance'),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId('connect-ci-card')).toHaveCount(0);
});
