// Browser journeys (issue 6): Playwright's runner driving Debian's Chromium (no browser
// download). global-setup.ts starts the app on a free port with a fresh data folder.
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env.BARQ_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../../.test-cache/e2e-results',
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'fa-IR',
    timezoneId: 'Asia/Tehran',
    viewport: { width: 1280, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      // Playwright gives every launch a fresh temporary profile (--user-data-dir) of its own.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    },
  },
});
