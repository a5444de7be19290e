import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './bench/lib/ui-chromium.ts';

// Each test starts its own headless inspector (gateway, emulator, API, UI listener) on ephemeral
// ports from a fixture (tests/e2e/lib/inspector-fixture.ts), so there is no webServer here.
// `npm run build` must have produced out/renderer first (scripts/test-all.sh builds before).
export default defineConfig({
  testDir: 'tests/e2e',
  // electron.spec.ts (H13) drives the desktop app through its own launcher.
  testIgnore: ['**/electron.spec.ts', '**/lib/**'],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  // Tests wait mostly on sockets and the browser; two workers keep the suite well under a minute.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  use: {
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
