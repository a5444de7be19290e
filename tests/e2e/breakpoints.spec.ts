// A breakpoint set in the UI holds the client's matching command in the gateway; the command is
// edited in the Breakpoints panel and forwarded, and the server answers the edited command.
// Goes through the gateway's interception hook bound to the inspector's breakpoint manager.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';
import { ui } from './lib/ui.ts';

test('a breakpoint edit reaches the server changed', async ({ app, signIn }) => {
  const v = ui(app);
  const client = await signIn();
  await expect(v.commandRows).toHaveCount(9);

  await app.keyboard.press('b');
  const panel = app.getByRole('region', { name: 'Breakpoints' });
  await panel.getByRole('textbox', { name: 'Breakpoint filter' }).fill('verb:CHG');
  await panel.getByRole('combobox', { name: 'Breakpoint direction' }).selectOption('client');
  await panel.getByRole('button', { name: 'Add breakpoint' }).click();
  await expect(panel.getByRole('checkbox', { name: 'verb:CHG (client)' })).toBeChecked();

  // The client sets its status; the gateway holds the command instead of relaying it.
  const sending = client.send('CHG 5 NLN 0\r\n');
  const held = panel.getByRole('article', { name: /^Held command / });
  await expect(held).toBeVisible();
  await expect(v.toolbar.getByRole('button', { name: 'Breakpoints (1 held)' })).toBeVisible();
  const bytes = held.getByRole('textbox', { name: 'Held command bytes' });
  await expect(bytes).toHaveValue('CHG 5 NLN 0\n');
  await shot(app, 'breakpoints-1-held');

  await bytes.fill('CHG 5 BSY 0\n');
  await held.getByRole('button', { name: 'Forward edited' }).click();
  await expect(held).toHaveCount(0);
  expect((await sending).every((r) => r.status === 200)).toBe(true);

  // The emulator saw BSY, not NLN: its confirmation says so.
  await client.pollUntil('CHG 5 BSY 0\r\n');
  expect(client.receivedText()).not.toContain('CHG 5 NLN 0');
  await expect(v.row('C→S', 'CHG', 5)).toHaveClass(/edited/);
  await expect(v.row('C→S', 'CHG', 5).locator('.cell.args')).toHaveText('5 BSY 0');
  await shot(app, 'breakpoints-2-forwarded-edited');
});

test('a held command can be dropped: the server never sees it', async ({ app, signIn }) => {
  const v = ui(app);
  const client = await signIn();
  await expect(v.commandRows).toHaveCount(9);
  await app.keyboard.press('b');
  const panel = app.getByRole('region', { name: 'Breakpoints' });
  await panel.getByRole('textbox', { name: 'Breakpoint filter' }).fill('verb:REA');
  await panel.getByRole('button', { name: 'Add breakpoint' }).click();
  await expect(panel.getByRole('checkbox', { name: 'verb:REA (both)' })).toBeChecked();

  const sending = client.send('REA 5 alice@example.com Dropped\r\nCHG 6 NLN 0\r\n');
  const held = panel.getByRole('article', { name: /^Held command / });
  await expect(held).toBeVisible();
  await held.getByRole('button', { name: 'Drop' }).click();
  await expect(held).toHaveCount(0);
  await sending;
  // Commands behind the dropped one still flow.
  await client.pollUntil('CHG 6 NLN 0\r\n');
  expect(client.receivedText()).not.toMatch(/REA 5 /);
});
