import { expect, Page, test } from '@playwright/test';
import {
  backendUrl,
  ciToken,
  saveThemedScreenshots,
  sidebar,
  signInAsGuest,
  waitForSearch,
} from './helpers';

/**
 * One search bar for modules, their status and the docs: the catalog, ML Infra and TechDocs
 * collators feed the real search backend (in-memory engine on the embedded default); the sidebar's
 * search bar opens the search page, whose results open the module tabs and docs pages.
 */
test.describe('search', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });

  test('"training cluster" finds the GPU training cluster module', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    await waitForSearch(request, 'training cluster', hits =>
      hits.some(
        h =>
          h.document.location ===
          '/catalog/default/component/gpu-training-cluster',
      ),
    );
    await searchFromSidebar(page, 'training cluster');
    const results = resultLinks(page);
    await expect(results.first()).toHaveText(/GPU training cluster/);
    // The golden-path template carries the same title; the module is the result that opens its page,
    // and it ranks among the first results.
    const module = '/catalog/default/component/gpu-training-cluster';
    await expectFirstResults(page, 3, hrefs => expect(hrefs).toContain(module));
    await results
      .filter({ hasText: /^GPU training cluster$/ })
      .and(page.locator(`[href="${module}"]`))
      .first()
      .click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/gpu-training-cluster$/,
    );
    // The module's entity page: its name heads the page and its ML Infra tabs are there.
    const main = page.getByRole('main');
    await expect(
      main.getByRole('heading', { name: 'GPU training cluster' }),
    ).toBeVisible();
    await expect(
      main
        .getByRole('navigation', { name: 'Content navigation' })
        .getByRole('link', { name: 'Drift', exact: true }),
    ).toBeVisible();
  });

  test('a rule id finds the modules failing it, linked to their Policy tab', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    const rule = 'ML-NET-001';
    // Which modules fail the rule comes from the ML Infra API itself, not from this test.
    const failing = await modulesFailing(request, rule);
    expect(failing.length).toBeGreaterThan(0);
    const policyTab = (ref: string) =>
      `/catalog/default/component/${ref.split('/')[1]}/ml-infra-policy`;
    await waitForSearch(
      request,
      rule,
      hits =>
        failing.every(ref =>
          hits.some(h => h.document.location === policyTab(ref)),
        ),
      { types: ['ml-infra-module'] },
    );

    await searchFromSidebar(page, rule);
    // The module-status results only (the result type filter of the search page).
    await page.getByRole('button', { name: /ML Infra modules/ }).click();
    const results = resultLinks(page);
    const expected = failing.map(policyTab);
    // The failing modules rank first, before modules that merely share words of the id. Until the
    // filtered query answers, the page still shows the unfiltered results (where the docs of a module
    // created by another journey may rank first).
    await expectFirstResults(page, expected.length, hrefs =>
      expect([...hrefs].sort()).toEqual([...expected].sort()),
    );
    await saveThemedScreenshots(page, 'search');

    await results.first().click();
    await expect(page).toHaveURL(/\/ml-infra-policy$/);
    await expect(
      page.getByRole('table', { name: 'Policy results' }),
    ).toContainText(rule);
  });

  test('a phrase of the docs finds the docs page', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    // TechDocs are built when first opened (local builder); open the guide once, as a reader would.
    await page.goto('/docs/default/component/ml-infra-portal/governance/');
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible({
      timeout: 180_000,
    });
    const phrase = 'revoked waiver stops applying';
    await waitForSearch(request, phrase, hits =>
      hits.some(
        h =>
          h.type === 'techdocs' &&
          h.document.location.includes(
            '/docs/default/component/ml-infra-portal/governance',
          ),
      ),
    );
    await searchFromSidebar(page, phrase);
    // The docs page's own result: the catalog also holds a governance group, which may rank higher.
    const docsResult = resultLinks(page)
      .and(
        page.locator(
          'a[href*="/docs/default/component/ml-infra-portal/governance"]',
        ),
      )
      .first();
    await expect(docsResult).toBeVisible();
    await docsResult.click();
    await expect(page).toHaveURL(
      /\/docs\/default\/component\/ml-infra-portal\/governance/,
    );
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible({
      timeout: 120_000,
    });
  });
});

async function searchFromSidebar(page: Page, term: string) {
  const field = sidebar(page).getByRole('textbox', { name: 'Search' });
  await field.fill(term);
  await field.press('Enter');
  await expect(page).toHaveURL(/\/search\?/);
  await expect(
    page.getByRole('textbox', { name: /search/i }).last(),
  ).toHaveValue(term);
}

/** The title links of the search page's results. */
function resultLinks(page: Page) {
  return page.locator('main').getByRole('list').getByRole('link');
}

/**
 * Waits (generously) until the paths of the first `count` results satisfy `check`: a new query's
 * results replace the shown ones only when it answers. A ranking that never satisfies fails with
 * `check`'s own message.
 */
async function expectFirstResults(
  page: Page,
  count: number,
  check: (paths: string[]) => void,
) {
  await expect(async () => {
    const paths = await resultLinks(page).evaluateAll(links =>
      links.map(a => new URL((a as HTMLAnchorElement).href).pathname),
    );
    check(paths.slice(0, count));
  }).toPass({ timeout: 60_000 });
}

async function modulesFailing(
  request: import('@playwright/test').APIRequestContext,
  rule: string,
) {
  const headers = { Authorization: `Bearer ${ciToken}` };
  const list = await (
    await request.get(`${backendUrl}/api/ml-infra/modules?limit=500`, {
      headers,
    })
  ).json();
  const failing: string[] = [];
  for (const module of list.items as Array<{
    entityRef: string;
    failingPolicies: number;
  }>) {
    if (module.failingPolicies === 0) continue;
    const path = module.entityRef.replace(':', '/');
    const policy = await (
      await request.get(`${backendUrl}/api/ml-infra/modules/${path}/policy`, {
        headers,
      })
    ).json();
    if (
      policy.results.some(
        (r: { rule: string; outcome: string }) =>
          r.rule === rule && r.outcome === 'failed',
      )
    ) {
      failing.push(module.entityRef);
    }
  }
  return failing;
}
