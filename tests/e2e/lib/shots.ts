// Screenshots of each state, kept under reports/e2e-screenshots/ (Playwright wipes test-results/
// at the start of a run) and attached to the test's report.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Page } from '@playwright/test';

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', '..', 'reports', 'e2e-screenshots');

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}
