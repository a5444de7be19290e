// Injection from the UI: the composer's command reaches the legacy client in its next gateway
// response (byte-exact, multi-byte UTF-8 payload included), and a command sent to the server gets
// the server's answer back to the client; both appear in the grid marked as injected.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';
import { ui } from './lib/ui.ts';

test('a command injected to the client arrives in the client\'s next response', async ({ app, signIn }) => {
  const v = ui(app);
  const client = await signIn();
  await expect(v.sessions.getByRole('row', { name: /alice@example\.com/ })).toBeVisible();
  await v.toolbar.getByRole('button', { name: 'Inject' }).click();
  const inject = app.getByRole('region', { name: 'Inject' });

  await inject.getByLabel('Template').selectOption({ label: 'NLN: contact comes online' });
  await expect(inject.getByRole('textbox', { name: 'Command' })).toHaveValue('NLN NLN bob@example.com Bob 0');
  await expect(inject.getByRole('textbox', { name: 'TrID' })).toHaveValue('');
  await expect(inject.getByLabel('Wire preview')).toHaveText('NLN NLN bob@example.com Bob 0↵');
  await shot(app, 'inject-1-composer');
  const before = client.receivedBytes().length;
  await inject.getByRole('button', { name: 'Send to client' }).click();
  await expect(inject.getByText(/^Sent to the client \(31 bytes\)\.$/)).toBeVisible();

  // Nothing reaches the client until it polls; then the next response carries exactly these bytes.
  const poll = await client.poll();
  expect(poll.status).toBe(200);
  expect(Buffer.from(poll.body).toString('latin1')).toBe('NLN NLN bob@example.com Bob 0\r\n');
  expect(client.receivedBytes().length).toBe(before + 31);
  const row = v.row('S→C', 'NLN');
  await expect(row).toHaveClass(/injected/);
  await expect(row.locator('.cell.findings')).toContainText('✚');
  await shot(app, 'inject-2-sent-to-client');
});

test('an injected payload keeps its UTF-8 byte length, and the length shown is in bytes', async ({ app, signIn }) => {
  const v = ui(app);
  const client = await signIn();
  await expect(v.sessions.getByRole('row', { name: /alice@example\.com/ })).toBeVisible();
  await app.keyboard.press('i');
  const inject = app.getByRole('region', { name: 'Inject' });
  await inject.getByRole('textbox', { name: 'Command' }).fill('MSG Hotmail Hotmail');
  await inject.getByRole('textbox', { name: 'TrID' }).fill('');
  await inject.getByRole('checkbox', { name: 'Payload' }).check();
  const body = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHéllo ✓ 𝄞';
  const bytes = Buffer.byteLength(body, 'utf8');
  expect(bytes).toBeGreaterThan(body.length);
  await inject.getByRole('textbox', { name: 'Payload' }).fill(body);
  await expect(inject.getByText(`${bytes} bytes`, { exact: true })).toBeVisible();
  await inject.getByRole('button', { name: 'Send to client' }).click();
  await expect(inject.getByText(/^Sent to the client/)).toBeVisible();

  await client.pollUntil(`MSG Hotmail Hotmail ${bytes}\r\n`);
  const received = Buffer.from(client.receivedBytes());
  const expected = Buffer.concat([Buffer.from(`MSG Hotmail Hotmail ${bytes}\r\n`), Buffer.from(body, 'utf8')]);
  expect(received.subarray(received.length - expected.length).toString('latin1')).toBe(expected.toString('latin1'));
  await expect(v.row('S→C', 'MSG').last().locator('.cell.size')).toHaveText(new RegExp(`^${bytes}\\s?B$`));
});

test('a command injected to the server is answered to the client', async ({ app, signIn }) => {
  const v = ui(app);
  const client = await signIn();
  await expect(v.sessions.getByRole('row', { name: /alice@example\.com/ })).toBeVisible();
  await v.toolbar.getByRole('button', { name: 'Inject' }).click();
  const inject = app.getByRole('region', { name: 'Inject' });
  await inject.getByRole('textbox', { name: 'Command' }).fill('CHG BSY 0');
  await expect(inject.getByRole('textbox', { name: 'TrID' })).toHaveValue('auto');
  await expect(inject.getByLabel('Wire preview')).toHaveText('CHG <TrID> BSY 0↵');
  await inject.getByRole('button', { name: 'Send to server' }).click();
  await expect(inject.getByText(/^Sent to the server/)).toBeVisible();

  await client.pollUntil((text) => /CHG \d+ BSY 0\r\n/.test(text));
  await expect(v.row('C→S', 'CHG')).toHaveClass(/injected/);
  await expect(v.row('S→C', 'CHG').locator('.cell.args')).toHaveText(/^\d+ BSY 0$/);
  await shot(app, 'inject-3-sent-to-server');
});

test('the composer refuses what the codec would not frame, before sending', async ({ app, signIn }) => {
  const v = ui(app);
  await signIn();
  await expect(v.sessions.getByRole('row', { name: /alice@example\.com/ })).toBeVisible();
  await v.toolbar.getByRole('button', { name: 'Inject' }).click();
  const inject = app.getByRole('region', { name: 'Inject' });
  await inject.getByRole('textbox', { name: 'Command' }).fill('CHG NLN 0');
  await inject.getByRole('textbox', { name: 'TrID' }).fill('x1');
  await expect(inject.getByRole('alert')).toHaveText('TrID must be a number, "auto" or empty, not "x1"');
  await expect(inject.getByRole('button', { name: 'Send to client' })).toBeDisabled();
  await expect(inject.getByRole('button', { name: 'Send to server' })).toBeDisabled();
});
