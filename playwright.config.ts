import { defineConfig } from '@playwright/test';

/**
 * Browser end-to-end suite: Debian Chromium against the real portal (frontend :3000, backend :7007)
 * on its embedded default, with the demo data pushed through the ingestion API (globalSetup).
 * `scripts/test.sh` runs it; locally an already running `scripts/start.sh` is reused.
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // A flaky journey is fixed by waiting for its condition, never retried.
  retries: 0,
  globalSetup: './e2e-tests/globalSetup.ts',
  webServer: [
    {
      command: 'yarn start',
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  reporter: [
    ['list'],
    ['json'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  use: {
    baseURL: 'http://localhost:3000',
    viewport: { width: 1440, height: 900 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  outputDir: 'e2e-test-results',
  projects: [
    // Every journey, in Debian Chromium with no retries; `yarn test:e2e` and CI run them.
    { name: 'chromium' },
  ],
});
