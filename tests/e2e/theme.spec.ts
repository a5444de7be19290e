// Light and dark follow the OS (prefers-color-scheme), live, and the settings can force one.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';

const DARK = 'rgb(22, 24, 29)';
const LIGHT = 'rgb(255, 255, 255)';
const background = (page: import('@playwright/test').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test.use({ colorScheme: 'dark' });

test('the window follows the OS theme, and changes with it live', async ({ app, signIn }) => {
  await signIn();
  await expect(app.getByRole('region', { name: 'Commands' }).locator('[data-command-id]')).toHaveCount(9);
  await expect.poll(() => background(app)).toBe(DARK);
  await shot(app, 'theme-1-dark');
  await app.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(app)).toBe(LIGHT);
  await shot(app, 'theme-2-light');
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => background(app)).toBe(DARK);
});

test('the settings can force light over a dark OS, and back to the system', async ({ app }) => {
  await expect.poll(() => background(app)).toBe(DARK);
  await app.keyboard.press('s');
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Theme').selectOption('light');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByText('Saved.')).toBeVisible();
  await expect.poll(() => background(app)).toBe(LIGHT);
  await dialog.getByLabel('Theme').selectOption('system');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(() => background(app)).toBe(DARK);
});
