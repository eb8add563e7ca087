import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, expect, Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** The CI token of the embedded default (app-config.yaml), as the golden-path workflows use it. */
export const ciToken =
  process.env.ML_INFRA_TOKEN ?? 'local-dev-ci-token-not-for-production';

/** Where journeys save page screenshots (the README uses one of them). */
export const screenshotDir = path.resolve(__dirname, '..', 'e2e-screenshots');

export async function signInAsGuest(page: Page) {
  // The dev server's overlay lists build warnings (from dependencies too) on top of the page and
  // would swallow clicks; build errors still fail the journey because the page does not render.
  await page.addInitScript(() => {
    const style = document.createElement('style');
    style.textContent =
      '#webpack-dev-server-client-overlay { display: none !important; }';
    document.addEventListener('DOMContentLoaded', () =>
      document.head.appendChild(style),
    );
  });
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    sidebar(page).getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

export async function saveScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({
    path: path.join(screenshotDir, `${name}.png`),
    fullPage: true,
  });
}

export function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'sidebar nav' });
}

/** A tab of the catalog entity page (rendered as links in the page header). */
export function entityTab(page: Page, name: string) {
  return page.getByRole('link', { name, exact: true });
}

export const backendUrl = 'http://localhost:7007';

/** A guest user's Backstage token, as the app obtains it on sign-in (guest provider). */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.get(
    `${backendUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  expect(
    response.ok(),
    `guest sign-in: HTTP ${response.status()}`,
  ).toBeTruthy();
  return (await response.json()).backstageIdentity.token;
}

export interface SearchHit {
  type: string;
  document: {
    title: string;
    text: string;
    location: string;
    [key: string]: unknown;
  };
}

/** One query against the real search backend, as the search page sends it. */
export async function searchQuery(
  request: APIRequestContext,
  token: string,
  term: string,
  types: string[] = [],
) {
  const params = new URLSearchParams({ term });
  types.forEach((type, i) => params.set(`types[${i}]`, type));
  const response = await request.get(
    `${backendUrl}/api/search/query?${params}`,
    {
      headers: { Authorization: `Bearer ${token}` },
    },
  );
  expect(
    response.ok(),
    `search '${term}': HTTP ${response.status()}`,
  ).toBeTruthy();
  return (await response.json()).results as SearchHit[];
}

/**
 * Waits until the search index holds what a journey needs: collators run on a schedule after data
 * arrives (app-config.yaml search.collators), so this polls the real search API, bounded generously.
 */
export async function waitForSearch(
  request: APIRequestContext,
  term: string,
  found: (hits: SearchHit[]) => boolean,
  options: { types?: string[]; timeout?: number } = {},
) {
  const token = await guestToken(request);
  await expect
    .poll(
      async () => found(await searchQuery(request, token, term, options.types)),
      {
        message: `search index has what '${term}' should find`,
        timeout: options.timeout ?? 240_000,
        intervals: [2_000, 5_000],
      },
    )
    .toBe(true);
}

/**
 * Saves a screenshot in the light and the dark theme (the user's theme setting, as a user picks it).
 * `ready` is what shows once the page's content has rendered; the page's own headings are waited
 * for in any case.
 */
export async function saveThemedScreenshots(
  page: Page,
  name: string,
  ready?: (page: Page) => Locator,
) {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme, ready);
    await saveScreenshot(page, `${name}-${theme}`);
  }
  await setTheme(page, 'light', ready);
}

/**
 * Switches the app theme the way the settings page does, live and without a reload: the stored
 * user setting changes and the app's theme API follows it (its storage listener, as when the
 * setting changes in another tab). A reload would show an unfinished page: the TechDocs reader
 * keeps a docs page transparent behind a progress bar until its stylesheets report loading, and
 * from the cache they load before it listens, so the docs stayed blank.
 * Then waits until the page shows again what it showed before: the theme's background, every
 * level-1 heading that was visible, docs content drawn and nothing loading, and `ready` if given.
 */
export async function setTheme(
  page: Page,
  theme: 'light' | 'dark',
  ready?: (page: Page) => Locator,
) {
  const current = await page.evaluate(() =>
    window.localStorage.getItem('theme'),
  );
  if (current === theme) return;
  // Role locators reach into open shadow roots, where the TechDocs reader renders the docs.
  const headings = await page
    .getByRole('heading', { level: 1 })
    .evaluateAll(elements =>
      elements
        .filter(el => el.getClientRects().length > 0)
        .map(el => (el.textContent ?? '').replace(/\s+/g, ' ').trim())
        .filter(Boolean),
    );
  await page.evaluate(value => {
    window.localStorage.setItem('theme', value);
    window.dispatchEvent(
      new StorageEvent('storage', {
        key: 'theme',
        newValue: value,
        storageArea: window.localStorage,
      }),
    );
  }, theme);
  // Generous: the docs reader renders its page again in the new theme.
  const timeout = 120_000;
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const [r, g, b] = (
            getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []
          ).map(Number);
          return r + g + b < 3 * 128 ? 'dark' : 'light';
        }),
      { message: `the page is drawn in the ${theme} theme`, timeout },
    )
    .toBe(theme);
  for (const text of headings) {
    await expect(
      page.getByRole('heading', { level: 1 }).filter({ hasText: text }).first(),
    ).toBeVisible({ timeout });
  }
  if (ready) {
    await expect(ready(page).first()).toBeVisible({ timeout });
  }
  // The TechDocs reader shows a docs page (opacity 1) once its stylesheets have loaded.
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          Array.from(
            document.querySelectorAll(
              '[data-testid="techdocs-native-shadowroot"]',
            ),
          ).every(host => {
            const content = host.shadowRoot?.firstElementChild;
            return !content || getComputedStyle(content).opacity === '1';
          }),
        ),
      { message: 'the docs content is drawn', timeout },
    )
    .toBe(true);
  // Indeterminate progress (no value) is content still loading.
  await expect(
    page.locator('[role="progressbar"]:not([aria-valuenow]):visible'),
  ).toHaveCount(0, { timeout });
  await page.waitForLoadState('networkidle');
}

export interface LayoutProblem {
  kind: 'overflow' | 'broken-word' | 'wrapped-button';
  element: string;
  detail: string;
}

/**
 * Layout checks from the DOM of the rendered page: elements whose content is wider than their box
 * (horizontal overflow, except text deliberately cut with an ellipsis), words split across lines,
 * and buttons whose label wraps.
 */
export async function findLayoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const problems: {
      kind: 'overflow' | 'broken-word' | 'wrapped-button';
      element: string;
      detail: string;
    }[] = [];
    const describe = (el: Element) => {
      const id =
        el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? '';
      const text = (el.textContent ?? '')
        .trim()
        .replace(/\s+/g, ' ')
        .slice(0, 60);
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''} "${text}"`;
    };
    // Text for screen readers only (e.g. a link's ", Opens in a new window"), kept in a 1 px box
    // clipped to nothing: it wraps and overflows that box by design and is never seen.
    const visuallyHidden = (el: Element) => {
      for (let e: Element | null = el; e && e !== root; e = e.parentElement) {
        const style = getComputedStyle(e);
        const rect = e.getBoundingClientRect();
        if (
          style.position === 'absolute' &&
          rect.width <= 1 &&
          rect.height <= 1 &&
          (style.clip === 'rect(0px, 0px, 0px, 0px)' ||
            style.clipPath === 'inset(50%)')
        ) {
          return true;
        }
      }
      return false;
    };
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      return (
        style.visibility !== 'hidden' &&
        style.display !== 'none' &&
        rect.width > 0 &&
        rect.height > 0 &&
        !visuallyHidden(el)
      );
    };
    // An MUI Grid container is wider than its box by design: a negative margin of half its spacing
    // on each side lets the items' padding line up with the parent's edges. Where nothing pads
    // the parent, the container sticks out on the right by that margin; that much overflow is the
    // layout working, not content that does not fit (what overflows inside the grid is still
    // reported on the grid or its items).
    const gridOverhang = (el: HTMLElement) => {
      const paddingRight =
        el.getBoundingClientRect().left + el.clientLeft + el.clientWidth;
      let overhang = 0;
      for (const grid of Array.from(
        el.querySelectorAll('.MuiGrid-container'),
      )) {
        const margin = -parseFloat(getComputedStyle(grid).marginRight);
        const right = grid.getBoundingClientRect().right;
        if (margin > 0 && right - margin <= paddingRight + 1) {
          overhang = Math.max(overhang, right - paddingRight);
        }
      }
      return overhang;
    };
    const lines = (range: Range) => {
      const tops = new Set<number>();
      for (const rect of Array.from(range.getClientRects())) {
        if (rect.width > 0) tops.add(Math.round(rect.top));
      }
      return tops.size;
    };
    const root = document.querySelector('main') ?? document.body;
    if (
      document.documentElement.scrollWidth >
      document.documentElement.clientWidth + 1
    ) {
      problems.push({
        kind: 'overflow',
        element: 'html',
        detail: `page ${document.documentElement.scrollWidth}px wide in a ${document.documentElement.clientWidth}px window`,
      });
    }
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (!(el instanceof HTMLElement) || !visible(el)) continue;
      const style = getComputedStyle(el);
      if (
        el.scrollWidth > el.clientWidth + 1 + gridOverhang(el) &&
        el.clientWidth > 0 &&
        style.textOverflow !== 'ellipsis' &&
        !['svg', 'canvas'].includes(el.tagName.toLowerCase()) &&
        style.display !== 'inline'
      ) {
        problems.push({
          kind: 'overflow',
          element: describe(el),
          detail: `${el.scrollWidth}px content in ${el.clientWidth}px`,
        });
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !visible(parent)) continue;
      const text = node.textContent ?? '';
      const word = /\S{2,}/g;
      for (let match = word.exec(text); match; match = word.exec(text)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        // A word may break at its own hyphens or slashes; anywhere else is mid-word.
        if (lines(range) > 1 && !/[-/_.,]/.test(match[0])) {
          problems.push({
            kind: 'broken-word',
            element: describe(parent),
            detail: match[0],
          });
        }
      }
    }
    for (const button of Array.from(
      root.querySelectorAll('button, [role="button"], a[class*="MuiButton"]'),
    )) {
      if (!visible(button) || !(button.textContent ?? '').trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(button);
      const label = button.querySelector('.MuiButton-label') ?? button;
      const labelRange = document.createRange();
      labelRange.selectNodeContents(label);
      const textNodes: Text[] = [];
      const w = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode())
        if ((n.textContent ?? '').trim()) textNodes.push(n as Text);
      const tops = new Set<number>();
      for (const t of textNodes) {
        const r = document.createRange();
        r.selectNodeContents(t);
        for (const rect of Array.from(r.getClientRects()))
          if (rect.width > 0) tops.add(Math.round(rect.top / 4));
      }
      if (tops.size > 1) {
        problems.push({
          kind: 'wrapped-button',
          element: describe(button),
          detail: `label on ${tops.size} lines`,
        });
      }
    }
    return problems;
  });
}

/** Runs axe (WCAG 2.1 A and AA) on the page, saves the full report, and returns violations by impact. */
export async function runAxe(page: Page, name: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  fs.mkdirSync(axeDir, { recursive: true });
  fs.writeFileSync(
    path.join(axeDir, `${name}.json`),
    JSON.stringify(results.violations, null, 2),
  );
  const byImpact: Record<string, number> = {};
  for (const violation of results.violations) {
    byImpact[violation.impact ?? 'unknown'] =
      (byImpact[violation.impact ?? 'unknown'] ?? 0) + violation.nodes.length;
  }
  const blocking = results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes
          .slice(0, 5)
          .map(
            n =>
              `  ${n.target.join(' ')}: ${n.failureSummary
                ?.split('\n')
                .slice(1, 2)
                .join('')}`,
          )
          .join('\n')}`,
    );
  fs.appendFileSync(
    path.join(axeDir, 'summary.txt'),
    `${name}: ${JSON.stringify(byImpact)}\n`,
  );
  return { byImpact, blocking };
}

/** Where axe reports go (full violations per page and a one-line summary per page). */
export const axeDir = path.resolve(__dirname, '..', 'e2e-test-results', 'axe');

/** The ML Infra API, as CI and the app call it. */
export const mlInfraApiUrl = `${backendUrl}/api/ml-infra`;

/**
 * Creates a module from a golden path through the scaffolder API (what the form's Create button
 * sends), as the guest, and waits for the task to finish; a failed task fails with its last log
 * lines. Returns the new module's entity ref.
 */
export async function createModuleFromGoldenPath(
  request: APIRequestContext,
  template: string,
  values: Record<string, unknown> & { name: string },
  options: { timeout?: number } = {},
): Promise<string> {
  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const created = await request.post(`${backendUrl}/api/scaffolder/v2/tasks`, {
    headers,
    data: { templateRef: `template:default/${template}`, values },
  });
  expect(created.ok(), `create task: ${await created.text()}`).toBeTruthy();
  const { id } = (await created.json()) as { id: string };

  let status = '';
  await expect
    .poll(
      async () => {
        const task = await request.get(
          `${backendUrl}/api/scaffolder/v2/tasks/${id}`,
          { headers },
        );
        status = ((await task.json()) as { status: string }).status;
        return ['completed', 'failed', 'cancelled'].includes(status);
      },
      {
        message: `scaffolder task ${id} finishes`,
        timeout: options.timeout ?? 300_000,
        intervals: [2_000, 5_000],
      },
    )
    .toBe(true);
  if (status !== 'completed') {
    const events = await request.get(
      `${backendUrl}/api/scaffolder/v2/tasks/${id}/events`,
      { headers },
    );
    const log = ((await events.json()) as Array<{ body: { message?: string } }>)
      .map(e => e.body.message)
      .filter(Boolean)
      .slice(-10)
      .join('\n');
    throw new Error(`scaffolder task ${id} ${status}:\n${log}`);
  }

  // The local publish registers the module's catalog file; the catalog processes it shortly after.
  const entityRef = `component:default/${values.name}`;
  await expect
    .poll(
      async () =>
        (
          await request.get(
            `${backendUrl}/api/catalog/entities/by-name/component/default/${values.name}`,
            { headers },
          )
        ).status(),
      {
        message: `${entityRef} is in the catalog`,
        timeout: options.timeout ?? 300_000,
        intervals: [2_000, 5_000],
      },
    )
    .toBe(200);
  return entityRef;
}

/**
 * A CI run's Terratest results (`go test -json`, as test.yml sends them) uploaded through the
 * real ingestion API with the CI identity. Returns the HTTP status.
 */
export async function uploadTestRun(
  request: APIRequestContext,
  entityRef: string,
  version: string,
): Promise<number> {
  const pkg = 'example.com/module/test';
  const time = () => new Date().toISOString();
  const lines = [
    { Action: 'start' },
    { Action: 'run', Test: 'TestPlanBasicExample' },
    {
      Action: 'output',
      Test: 'TestPlanBasicExample',
      Output: '=== RUN   TestPlanBasicExample\n',
    },
    { Action: 'pass', Test: 'TestPlanBasicExample', Elapsed: 1.5 },
    { Action: 'pass', Elapsed: 1.6 },
  ].map(line => JSON.stringify({ Time: time(), Package: pkg, ...line }));
  const params = new URLSearchParams({
    entityRef,
    version,
    provider: 'github',
    runId: `e2e-${Date.now()}`,
    attempt: '1',
  });
  const response = await request.post(
    `${mlInfraApiUrl}/ingest/tests?${params}`,
    {
      headers: {
        Authorization: `Bearer ${ciToken}`,
        'Content-Type': 'application/x-ndjson',
      },
      data: `${lines.join('\n')}\n`,
    },
  );
  expect(
    response.ok(),
    `upload tests: HTTP ${response.status()} ${await response.text()}`,
  ).toBeTruthy();
  return response.status();
}
