import { expect, test } from '@playwright/test';

test('the window explains how to connect a legacy client', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'MSN Gateway Inspector' })).toBeVisible();
  await expect(page.getByText('127.0.0.1 gateway.messenger.hotmail.com')).toBeVisible();
});

test('the page follows the OS dark theme', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(22, 24, 29)');
  await context.close();
});
