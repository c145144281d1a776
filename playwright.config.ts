/**
 * The console's browser tests (test/browser/*.spec.ts): Playwright driving the operating system's
 * Chromium (Debian's `chromium`; .ci/run installs it) against a throwaway `npm start` that
 * test/browser/globalSetup.ts starts on free ports, in memory, and stops at the end.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.spec.ts',
  globalSetup: './test/browser/globalSetup.ts',
  // One npm start serves every test; each test works in areas of its own.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results/playwright',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '.ci/browser-results.json' }]] : [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      // As root (CI) Chromium needs --no-sandbox; the rest keeps it off the network it does not need.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
