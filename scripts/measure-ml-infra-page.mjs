#!/usr/bin/env node
// The ML Infra page as users get it: the production build of the app (`yarn workspace app build`),
// served by the backend's app plugin (@backstage/plugin-app-backend serves packages/app/dist and
// injects the frontend config), loaded cold in Debian Chromium. Loopback only.
//
// 1. Starts the backend alone (from source, no file watcher) on its own port (default 7107, so it
//    does not collide with a portal on 3000/7007) with an in-memory database and a catalog
//    location of N generated modules,
//    and pushes a release and a deployment per module through the ingestion API.
// 2. Signs in as guest once and keeps the session (storageState); then, alternately, cold-loads
//    (fresh browser context, session restored) the ML Infra page until its first module row is
//    clickable, and the stock catalog page (all components) until its first row shows, --runs
//    times each after one untimed warm-up load of each. Reports medians and their ratio.
// 3. Times searches on the loaded ML Infra page: typing a module name until the table shows
//    only that module, p95 over --searches. For each it also prints where the time went, from
//    the page's own clocks: input event to the list request, the request at the server
//    (Resource Timing requestStart to responseStart), and the response to the one-row table.
//    --profile writes a CPU profile of the page during the searches (it slows them).
// 4. Prints the sizes of the app's JavaScript chunks that hold the ML Infra plugin.
//
// Usage: node scripts/measure-ml-infra-page.mjs [--modules 2000] [--runs 5] [--searches 20]
//                                               [--port 7107] [--build] [--profile]
// Without packages/app/dist (or with --build) it runs `yarn workspace app build` first.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import createClient from 'openapi-fetch';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MODULES = arg('modules', 2000);
const RUNS = arg('runs', 5);
const SEARCHES = arg('searches', 20);
const PORT = arg('port', 7107);
const BUILD = process.argv.includes('--build');
// --profile: a CPU profile of the page during the searches (it slows them; diagnostics only).
const PROFILE = process.argv.includes('--profile');
const base = `http://localhost:${PORT}`;
const api = `${base}/api/ml-infra`;
// The local CI token of app-config.yaml; it is scoped to the demo teams, so the generated
// modules are owned by them.
const token = 'local-dev-ci-token-not-for-production';
// The typed client generated from the API's OpenAPI document (plugins/ml-infra-common).
/** @type {import('openapi-fetch').Client<import('../plugins/ml-infra-common/src/schema/openapi').paths>} */
const client = createClient({
  baseUrl: api,
  headers: { Authorization: `Bearer ${token}` },
});
const OWNERS = [
  'group:default/ml-platform',
  'group:default/ml-serving',
  'group:default/data-platform',
];
const GOALS = { ratio: 0.8, searchP95Ms: 200 };

const log = msg => process.stderr.write(`[page] ${msg}\n`);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = list =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const p95 = list => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)
  ];
};

const dist = path.join(root, 'packages', 'app', 'dist');
if (BUILD || !existsSync(path.join(dist, 'index.html'))) {
  log('building the app (yarn workspace app build)');
  const built = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// Config: the repository's app-config.yaml plus this run's port, an in-memory database of its
// own and the generated modules next to the catalog's usual locations.
const dataDir = path.join(root, '.data', `measure-${process.pid}`);
mkdirSync(dataDir, { recursive: true });
const catalogFile = path.join(dataDir, 'modules.yaml');
writeFileSync(
  catalogFile,
  Array.from(
    { length: MODULES },
    (_, i) =>
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: perf-module-${i}\n  tags: [ml-infra]\n  annotations:\n    ml-infra.io/golden-path: gpu-training-cluster\nspec:\n  type: terraform-module\n  lifecycle: production\n  owner: ${
        OWNERS[i % OWNERS.length]
      }\n  system: ml-platform\n`,
  ).join('---\n'),
);
const { parse } = await import('yaml');
const appConfig = parse(
  readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
);
const locations = [
  ...(appConfig.catalog?.locations ?? []),
  { type: 'file', target: catalogFile, rules: [{ allow: ['Component'] }] },
];
// Where the app mounts the stock catalog page (app-config.yaml makes it the landing page).
const catalogPath = (
  (appConfig.app?.extensions ?? []).find(e => e?.['page:catalog'])?.[
    'page:catalog'
  ]?.config?.path ?? '/catalog'
).replace(/\/$/, '');
// Search indexing on production's schedule: app-config.yaml re-indexes every 20-30 s so a local
// demo finds a new module at once, and each ML Infra collator run reads the whole module list
// from the backend being measured (the searches that landed during one were 3-10x slower).
const production = parse(
  readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8'),
);
const configFile = path.join(dataDir, 'app-config.measure.json');
writeFileSync(
  configFile,
  JSON.stringify({
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port: PORT },
      cors: { origin: base },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    catalog: { locations },
    search: { collators: production.search.collators },
  }),
);

// The backend from source through the CLI's Node transform, as `yarn start` runs it but without
// its file watcher: other work in the tree must not restart it (and empty its database) mid-run.
const backend = spawn(
  process.execPath,
  [
    '--require',
    path.join(
      root,
      'node_modules',
      '@backstage',
      'cli',
      'config',
      'nodeTransform.cjs',
    ),
    'src/index.ts',
    '--config',
    path.join(root, 'app-config.yaml'),
    '--config',
    configFile,
  ],
  {
    cwd: path.join(root, 'packages', 'backend'),
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  },
);
let backendLog = '';
// The backend's output goes to a log in the OS temp dir, kept for a failed run.
const backendLogFile = path.join(
  os.tmpdir(),
  `ml-infra-page-backend-${process.pid}.log`,
);
const backendLogStream = createWriteStream(backendLogFile);
backend.stdout.pipe(backendLogStream);
backend.stderr.on('data', d => {
  backendLog = (backendLog + d).slice(-4000);
  backendLogStream.write(d);
});
backend.on('exit', code => log(`backend exited with ${code}`));
const stop = () => {
  try {
    process.kill(-backend.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));

async function post(p, body) {
  const { response } = await client.POST(p, { body });
  return response.status;
}

async function waitForBackend() {
  const started = Date.now();
  for (;;) {
    if (backend.exitCode !== null)
      throw new Error(`backend exited:\n${backendLog}`);
    if (Date.now() - started > 600_000)
      throw new Error(`backend not ready after 10 min:\n${backendLog}`);
    try {
      const { response: health } = await client.GET('/health');
      const app = await fetch(`${base}/`);
      if (health.ok && app.ok && (await app.text()).includes('<div id="root">'))
        break;
    } catch {
      // starting
    }
    await sleep(2000);
  }
  // The catalog has ingested the generated modules once the last one can be reported for.
  const last = `component:default/perf-module-${MODULES - 1}`;
  const lastReleased = () =>
    post('/releases', { entityRef: last, version: '1.0.0' }).catch(() => 0);
  while ((await lastReleased()) !== 201) {
    if (backend.exitCode !== null) {
      throw new Error(`backend exited:\n${backendLog}`);
    }
    if (Date.now() - started > 900_000)
      throw new Error('generated modules not in the catalog after 15 min');
    await sleep(3000);
  }
  log(
    `backend and ${MODULES} modules ready after ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s`,
  );
}

async function pushHistory() {
  const t0 = Date.now();
  const queue = Array.from({ length: MODULES }, (_, i) => i);
  let failures = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const entityRef = `component:default/perf-module-${i}`;
        if ((await post('/releases', { entityRef, version: '1.0.0' })) >= 300)
          failures += 1;
        if (
          (await post('/deployments', {
            entityRef,
            version: '1.0.0',
            environment: 'dev',
          })) >= 300
        )
          failures += 1;
      }
    }),
  );
  log(
    `history pushed in ${((Date.now() - t0) / 1000).toFixed(
      0,
    )} s (${failures} failed requests)`,
  );
}

/** The app's JS chunks that hold the ML Infra plugin (found by its page's test ids), sizes in kB. */
function pluginChunks() {
  const dir = path.join(dist, 'static');
  const chunks = readdirSync(dir)
    .filter(f => f.endsWith('.js'))
    .map(f => {
      const content = readFileSync(path.join(dir, f));
      return {
        file: f,
        bytes: statSync(path.join(dir, f)).size,
        gzip: gzipSync(content).length,
        content,
      };
    });
  const total = chunks.reduce((s, c) => s + c.bytes, 0);
  const mlInfra = chunks.filter(c =>
    /module-row|ml-infra\.io\/golden-path|mlInfraApiRef|ml-infra-versions/.test(
      c.content.toString('latin1'),
    ),
  );
  return {
    total,
    totalGzip: chunks.reduce((s, c) => s + c.gzip, 0),
    count: chunks.length,
    mlInfra,
  };
}

async function main() {
  await waitForBackend();
  await pushHistory();

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const viewport = { width: 1440, height: 900 };
  const signIn = await browser.newContext({ viewport });
  const first = await signIn.newPage();
  await first.goto(`${base}/ml-infra`);
  await first.getByRole('button', { name: 'Enter' }).click();
  await first.getByTestId('module-row').first().waitFor({ timeout: 120_000 });
  const storageState = await signIn.storageState();
  await signIn.close();

  const pages = {
    mlInfra: {
      url: `${base}/ml-infra`,
      ready: async page => {
        const row = page.getByTestId('module-row').first();
        await row.waitFor({ timeout: 120_000 });
        await row
          .getByRole('link')
          .first()
          .click({ trial: true, timeout: 120_000 });
      },
    },
    catalog: {
      url: `${base}${catalogPath}?filters%5Bkind%5D=component&filters%5Buser%5D=all`,
      ready: async page => {
        // The first entity link in a table row (the header row has none).
        await page
          .getByRole('row')
          .getByRole('link')
          .first()
          .waitFor({ timeout: 120_000 });
      },
    },
  };
  const coldLoad = async which => {
    const context = await browser.newContext({ viewport, storageState });
    const page = await context.newPage();
    try {
      const t = performance.now();
      await page.goto(pages[which].url);
      await pages[which].ready(page);
      return performance.now() - t;
    } catch (error) {
      const shot = path.join(
        os.tmpdir(),
        `ml-infra-page-${which}-${process.pid}.png`,
      );
      await page.screenshot({ path: shot }).catch(() => {});
      log(`${which} did not get ready; screenshot ${shot}`);
      throw error;
    } finally {
      await context.close();
    }
  };
  // One untimed load of each first: the backend's first answers pay for its JIT and caches.
  await coldLoad('mlInfra');
  await coldLoad('catalog');
  const times = { mlInfra: [], catalog: [] };
  for (let run = 0; run < RUNS; run += 1) {
    // Alternate, so both pages meet the same load of a shared machine.
    for (const which of run % 2
      ? ['catalog', 'mlInfra']
      : ['mlInfra', 'catalog']) {
      times[which].push(await coldLoad(which));
    }
  }

  // Searches on a loaded page: from typing the name to the table showing just that module.
  const context = await browser.newContext({ viewport, storageState });
  const page = await context.newPage();
  await page.goto(pages.mlInfra.url);
  await pages.mlInfra.ready(page);
  const search = page.getByTestId('module-search');
  const searchTimes = [];
  // Diagnostics only (they do not change what is timed): in the page, when the input event came,
  // the resource timing of the list request it caused, long tasks, and when the one row showed.
  await page.evaluate(() => {
    performance.setResourceTimingBufferSize(100_000);
    window.__mlSearch = { longTasks: [] };
    document.addEventListener(
      'input',
      () => {
        window.__mlSearch.inputAt = performance.now();
      },
      true,
    );
    try {
      new PerformanceObserver(list => {
        for (const e of list.getEntries())
          window.__mlSearch.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask' });
    } catch {
      // no long task timing
    }
  });
  const splits = [];
  const cdp = PROFILE ? await context.newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
  }
  // Names no other module's name contains (perf-module-137 would also find perf-module-1370..9):
  // numbers with as many digits as the largest, spread over that range.
  const unique = Math.ceil(MODULES / 10);
  for (let i = 0; i < SEARCHES; i += 1) {
    const name = `perf-module-${unique + ((i * 7919) % (MODULES - unique))}`;
    await search.fill('');
    await page.getByTestId('module-row').nth(1).waitFor({ timeout: 60_000 });
    // The field is focused and empty (fill('') left it so): the clock starts when the name is
    // typed, as a user's does. fill(name) would first wait for the field to be stable over two
    // animation frames, harness time no user waits for.
    const t = performance.now();
    await page.keyboard.insertText(name);
    await page.waitForFunction(
      wanted => {
        const rows = [
          ...document.querySelectorAll('[data-testid="module-row"]'),
        ];
        const done = rows.length === 1 && rows[0].textContent.includes(wanted);
        if (done && window.__mlSearch)
          window.__mlSearch.shownAt = performance.now();
        return done;
      },
      name,
      { timeout: 60_000, polling: 'raf' },
    );
    searchTimes.push(performance.now() - t);
    splits.push(
      await page.evaluate(wanted => {
        const d = window.__mlSearch;
        const requests = performance
          .getEntriesByType('resource')
          .filter(e => e.startTime >= d.inputAt - 1);
        const list = requests.find(e => {
          const url = new URL(e.name);
          return (
            url.pathname.endsWith('/api/ml-infra/modules') &&
            url.searchParams.get('search') === wanted
          );
        });
        const longTasks = d.longTasks.filter(
          ([start]) => start >= d.inputAt - 1 && start <= d.shownAt,
        );
        return {
          total: d.shownAt - d.inputAt,
          beforeRequest: list ? list.startTime - d.inputAt : NaN,
          queued: list ? list.requestStart - list.startTime : NaN,
          server: list ? list.responseStart - list.requestStart : NaN,
          download: list ? list.responseEnd - list.responseStart : NaN,
          afterResponse: list ? d.shownAt - list.responseEnd : NaN,
          requests: requests.map(e => new URL(e.name).pathname),
          longTasks: longTasks.map(([, duration]) => Math.round(duration)),
        };
      }, name),
    );
  }
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    const file = path.join(
      os.tmpdir(),
      `ml-infra-search-${process.pid}.cpuprofile`,
    );
    writeFileSync(file, JSON.stringify(profile));
    log(`CPU profile of the searches: ${file}`);
  }
  await context.close();
  await browser.close();

  const mlMedian = median(times.mlInfra);
  const catalogMedian = median(times.catalog);
  const ratio = mlMedian / catalogMedian;
  // Each run loads both pages back to back, so a run's own ratio sees one state of a shared
  // machine; their median shows whether the ratio of medians was moved by a slow spell.
  const pairedRatio = median(
    times.mlInfra.map((t, run) => t / times.catalog[run]),
  );
  const searchP95 = p95(searchTimes);
  const chunks = pluginChunks();
  const splitStats = Object.fromEntries(
    ['total', 'beforeRequest', 'queued', 'server', 'download', 'afterResponse']
      .map(k => [k, splits.map(s => s[k]).filter(Number.isFinite)])
      .map(([k, v]) => [
        k,
        v.length ? `${median(v).toFixed(0)} / ${p95(v).toFixed(0)}` : 'n/a',
      ]),
  );
  splitStats.longTasks = `${median(
    splits.map(s => s.longTasks.reduce((a, b) => a + b, 0)),
  ).toFixed(0)} / ${p95(
    splits.map(s => s.longTasks.reduce((a, b) => a + b, 0)),
  ).toFixed(0)}`;
  const kb = b => (b / 1024).toFixed(1);
  const lines = [
    `Page measurement on the production build served by the backend (${base}), Debian Chromium, ${MODULES} modules, cold loads (fresh context, session restored), ${RUNS} runs each, alternating:`,
    `  ML Infra page to first clickable module row: ${times.mlInfra
      .map(t => t.toFixed(0))
      .join(', ')} ms; median ${mlMedian.toFixed(0)} ms`,
    `  stock catalog page (all components) to first row: ${times.catalog
      .map(t => t.toFixed(0))
      .join(', ')} ms; median ${catalogMedian.toFixed(0)} ms`,
    `  median of each run's own ratio (ML Infra / catalog, loaded back to back): ${pairedRatio.toFixed(
      2,
    )}`,
    `  search on the loaded ML Infra page, typing to a one-row table: p50 ${median(
      searchTimes,
    ).toFixed(0)} ms, p95 ${searchP95.toFixed(0)} ms over ${SEARCHES}`,
    `  where a search's time goes in the page (p50 / p95 ms): ${Object.entries(
      splitStats,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; requests per search: ${[
      ...new Set(splits.map(s => s.requests.join(' '))),
    ].join(' | ')}`,
    `  JS chunks: ${chunks.count} files, ${kb(chunks.total)} kB (${kb(
      chunks.totalGzip,
    )} kB gzip); ML Infra plugin chunks: ${chunks.mlInfra
      .map(c => `${c.file} ${kb(c.bytes)} kB (${kb(c.gzip)} kB gzip)`)
      .join(', ')}`,
    'Goals:',
    `  ML Infra page / catalog page, median cold load  ${ratio.toFixed(
      2,
    )}  goal <= ${GOALS.ratio}  ${ratio <= GOALS.ratio ? 'ok' : 'MISS'}`,
    `  search answered, p95                            ${searchP95.toFixed(
      0,
    )} ms  goal <= ${GOALS.searchP95Ms} ms  ${
      searchP95 <= GOALS.searchP95Ms ? 'ok' : 'MISS'
    }`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(
      resultsDir,
      `page-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    ),
    `${JSON.stringify(
      {
        modules: MODULES,
        runs: RUNS,
        times,
        mlInfraMedianMs: mlMedian,
        catalogMedianMs: catalogMedian,
        ratio,
        pairedRatio,
        searchTimes,
        searchSplits: splits,
        searchP95Ms: searchP95,
        chunks: {
          total: chunks.total,
          totalGzip: chunks.totalGzip,
          mlInfra: chunks.mlInfra.map(({ content, ...c }) => c),
        },
        goals: {
          ratio: ratio <= GOALS.ratio,
          searchP95: searchP95 <= GOALS.searchP95Ms,
        },
      },
      null,
      2,
    )}\n`,
  );
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e);
    console.error(`backend log: ${backendLogFile}`);
    process.exit(1);
  });
