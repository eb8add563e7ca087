#!/usr/bin/env node
// Measures, in Debian Chromium, how long the ML Infra page takes to become interactive when the
// catalog holds 2,000 ML infra modules with history. Loopback only.
//
// It starts the real portal (frontend :3000, backend :7007) with an extra catalog location of
// generated module entities, pushes a release, test run and deployment for every module through
// the ingestion API, then loads /ml-infra several times and reports the time from navigation to
// the first table row being clickable and the filters answering.
//
// Usage: node scripts/measure-ml-infra-page.mjs [--modules 2000] [--runs 5]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MODULES = arg('modules', 2000);
const RUNS = arg('runs', 5);
const token = 'local-dev-ci-token-not-for-production';
const api = 'http://localhost:7007/api/ml-infra';

const dataDir = path.join(root, '.data', 'measure');
mkdirSync(dataDir, { recursive: true });
const catalogFile = path.join(dataDir, 'modules.yaml');
const owners = Array.from({ length: 20 }, (_, i) => `team-${i}`);
writeFileSync(
  catalogFile,
  [
    ...owners.map(o => `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ${o}\nspec:\n  type: team\n  children: []\n`),
    ...Array.from({ length: MODULES }, (_, i) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: perf-module-${i}\n  tags: [ml-infra]\n  annotations:\n    ml-infra.io/golden-path: gpu-training-cluster\nspec:\n  type: terraform-module\n  lifecycle: production\n  owner: group:default/${owners[i % owners.length]}\n  system: ml-platform\n`),
  ].join('---\n'),
);
const configFile = path.join(dataDir, 'app-config.measure.yaml');
writeFileSync(
  configFile,
  `catalog:\n  locations:\n    - type: file\n      target: ${catalogFile}\n      rules:\n        - allow: [Component, Group]\n`,
);

const portal = spawn('yarn', ['start', '--config', path.join(root, 'app-config.yaml'), '--config', configFile], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-portal.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('exit', stop);

const sleep = ms => new Promise(r => setTimeout(r, ms));
async function post(p, body) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const res = await fetch(`${api}${p}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return res.status;
    } catch (e) {
      // the backend is (re)starting
      if (attempt > 60) throw e;
      await sleep(2000);
    }
  }
}

async function main() {
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${api}/health`)).ok && (await fetch('http://localhost:3000')).ok) break;
    } catch {
      // starting
    }
    await sleep(2000);
  }
  // Wait until the catalog has ingested the last generated module.
  const last = `component:default/perf-module-${MODULES - 1}`;
  while ((await post('/releases', { entityRef: last, version: '1.0.0' })) !== 201) {
    await sleep(3000);
  }
  console.log(`portal up and ${MODULES} modules in the catalog after ${((Date.now() - started) / 1000).toFixed(0)} s`);

  // History for every module, through the ingestion API, 16 at a time.
  const t0 = Date.now();
  const queue = Array.from({ length: MODULES }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const entityRef = `component:default/perf-module-${i}`;
        await post('/releases', { entityRef, version: '1.0.0' });
        await post('/deployments', { entityRef, version: '1.0.0', environment: 'dev' });
      }
    }),
  );
  console.log(`history pushed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    const style = document.createElement('style');
    style.textContent = '#webpack-dev-server-client-overlay { display: none !important; }';
    document.addEventListener('DOMContentLoaded', () => document.head.appendChild(style));
  });
  await page.goto('http://localhost:3000/ml-infra');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'ML Infra', exact: true }).waitFor();

  const times = [];
  for (let run = 0; run < RUNS + 1; run += 1) {
    await page.goto('about:blank');
    const t = Date.now();
    await page.goto('http://localhost:3000/ml-infra');
    await page.getByTestId('module-row').first().waitFor();
    await page.getByTestId('filter-status').click({ trial: true });
    const ms = Date.now() - t;
    if (run > 0) times.push(ms); // the first load warms the dev server's bundle cache
  }
  // In-app navigation: the app is already booted, the sidebar link is clicked.
  const navTimes = [];
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  for (let run = 0; run < RUNS; run += 1) {
    await nav.getByRole('link', { name: 'Docs', exact: true }).click();
    await page.waitForURL(/\/docs/);
    const t = Date.now();
    await nav.getByRole('link', { name: 'ML Infra', exact: true }).click();
    await page.getByTestId('module-row').first().waitFor();
    await page.getByTestId('filter-status').click({ trial: true });
    navTimes.push(Date.now() - t);
  }
  await browser.close();
  const summary = (label, list) => {
    list.sort((a, b) => a - b);
    const median = list[Math.floor(list.length / 2)];
    console.log(`${label} with ${MODULES} modules over ${list.length} runs: min ${list[0]} ms, median ${median} ms, max ${list[list.length - 1]} ms`);
  };
  summary('ML Infra page interactive after a full page load (app boot included, dev-mode bundle)', times);
  summary('ML Infra page interactive after in-app navigation from the sidebar', navTimes);
}

main()
  .then(() => {
    stop();
    process.exit(0);
  })
  .catch(e => {
    console.error(e);
    stop();
    process.exit(1);
  });
