// The window before any client: the empty state explains how to connect a legacy Messenger, and a
// page opened without the token says where to find the right link.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';

test('the window explains how to connect a legacy client', async ({ app }) => {
  await expect(app.getByRole('heading', { name: 'MSN Gateway Inspector' })).toBeVisible();
  await expect(app.getByText('127.0.0.1 gateway.messenger.hotmail.com')).toBeVisible();
  await expect(app.getByRole('status', { name: 'Status' })).toContainText('Upstream emulator');
  // The views' regions exist (hidden) before the first session.
  for (const name of ['Sessions', 'Timeline', 'Commands']) await expect(app.getByRole('region', { name, includeHidden: true })).toBeAttached();
  await shot(app, 'smoke-empty-state');
});

test('a page opened without the token explains how to open the inspector', async ({ page, inspector }) => {
  await page.goto(`http://127.0.0.1:${inspector.addresses.inspector.port}/`);
  await expect(page.getByRole('alert')).toContainText('#token=');
});
