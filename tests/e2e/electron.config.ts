// Playwright config for the desktop smoke test alone (the main config runs browser tests in
// Debian's Chromium and ignores electron.spec.ts). Run: playwright test -c tests/e2e/electron.config.ts
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: ['electron.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '../../reports/playwright-electron.json' }]],
});
