// A login through the gateway (MSN Messenger 6's requests, MSNP8 with a Passport ticket from the
// emulator) shows up live, with no reload, in Sessions, Timeline and Commands, decoded.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';
import { rowSummaries, ui } from './lib/ui.ts';

test('a login through the gateway appears live in Sessions, Timeline and Commands, decoded in Details', async ({ app, inspector, signIn }) => {
  const v = ui(app);
  await expect(app.getByRole('heading', { name: 'MSN Gateway Inspector' })).toBeVisible();
  await expect(app.getByText('No sessions yet')).toBeVisible();
  await shot(app, 'login-1-empty');

  const client = await signIn();

  // Sessions: the NS session with its user, protocol, client, state and counts.
  const session = v.sessions.getByRole('row', { name: /alice@example\.com/ });
  await expect(session.getByRole('gridcell')).toHaveText(['NS', 'alice@example.com', 'MSNP8', 'MSNMSGR 6.0.0602', 'open', '4/5']);
  await expect(v.sessions.getByRole('row', { name: 'All sessions (1)' })).toBeVisible();

  // Commands: the login in order, requests and replies.
  await expect.poll(() => rowSummaries(v.grid)).toEqual([
    'VER 1 C→S', 'VER 1 S→C', 'CVR 2 C→S', 'CVR 2 S→C', 'USR 3 C→S', 'USR 3 S→C', 'USR 4 C→S', 'USR 4 S→C', 'MSG  S→C',
  ]);
  await expect(v.row('S→C', 'USR', 4).locator('.cell.args')).toHaveText('4 OK alice@example.com Alice 1 0');
  // The profile's length varies with its fields; the payload column shows the length the MSG declares.
  const msgLength = /^Hotmail Hotmail (\d+)$/.exec((await v.row('S→C', 'MSG').locator('.cell.args').textContent()) ?? '')?.[1];
  expect(Number(msgLength)).toBeGreaterThan(300);
  await expect(v.row('S→C', 'MSG').locator('.cell.size')).toHaveText(new RegExp(`^${msgLength}\\s?B$`));

  // Timeline: one lane for the session, one bar per HTTP exchange the gateway saw.
  const [sessionId] = (await inspector.api.call('sessions.list', {})).map((s) => s.id);
  const exchanges = (await inspector.api.call('exchanges.list', { sessionId })).items;
  expect(exchanges[0].kind).toBe('open');
  await expect(v.timeline.getByText('NS alice@example.com')).toBeVisible();
  await expect(v.timeline.getByRole('img', { name: `${exchanges.length} exchanges on the timeline` })).toBeVisible();
  await expect(v.timeline.locator('g[data-exchange-id]')).toHaveCount(exchanges.length);
  await shot(app, 'login-2-signed-in');

  // Details: decoded fields and the command's description.
  await v.row('S→C', 'USR', 4).click();
  await expect(v.row('S→C', 'USR', 4)).toHaveAttribute('aria-selected', 'true');
  await expect(v.row('C→S', 'USR', 4)).toHaveClass(/paired/);
  await expect(v.details.getByText('Login succeeded')).toBeVisible();
  const fields = v.details.getByRole('table', { name: 'Decoded fields' });
  await expect(fields.getByRole('row', { name: /^handle/ }).getByRole('cell').first()).toHaveText('alice@example.com');
  await expect(fields.getByRole('row', { name: /^friendlyName/ }).getByRole('cell').first()).toHaveText('Alice');
  await expect(fields.getByRole('row', { name: /^status/ }).getByRole('cell').first()).toHaveText('OK');
  await shot(app, 'login-3-details-fields');

  // The request it answers, by TrID.
  await v.details.getByRole('button', { name: 'Go to request' }).click();
  await expect(v.row('C→S', 'USR', 4)).toHaveAttribute('aria-selected', 'true');
  await expect(v.details.getByText('Tweener login, subsequent leg: the Passport ticket')).toBeVisible();

  // The raw HTTP of the exchange that carried it.
  await v.details.getByRole('tab', { name: 'HTTP' }).click();
  await expect(v.details.getByText(/^Exchange #\d+ · send · 200/)).toBeVisible();
  // MSN Messenger 6 names the gateway in absolute form, as to a proxy.
  await expect(v.details.getByLabel('HTTP request')).toContainText(/^POST http:\/\/127\.0\.0\.1\/gateway\/gateway\.dll\?SessionID=\d+\.\d+ HTTP\/1\.1/);
  await expect(v.details.getByLabel('HTTP request')).toContainText('USR 4 TWN S t=');
  await expect(v.details.getByLabel('HTTP response')).toContainText(/^HTTP\/1\.1 200 OK\s+X-MSN-Messenger: SessionID=\d+\.\d+; GW-IP=127\.0\.0\.1/);
  await expect(v.details.getByLabel('HTTP response')).toContainText('USR 4 OK alice@example.com Alice 1 0');
  await shot(app, 'login-4-details-http');

  // The payload of the server's profile MSG, as MIME headers and body.
  await v.row('S→C', 'MSG').click();
  await v.details.getByRole('tab', { name: 'Payload' }).click();
  await expect(v.details.getByText(/text\/x-msmsgsprofile/).first()).toBeVisible();

  // Errors: the name and meaning of an error reply, live as the client goes on.
  await client.send('REA 5 nobody@example.com Nobody\r\n');
  await client.pollUntil('216 5');
  await v.row('S→C', '216', 5).click();
  await expect(v.details.getByRole('note')).toHaveText(/Error 216 ERR_NOT_ON_LIST: Not on list/);
  await expect(session.getByRole('gridcell').nth(5)).toHaveText('5/6');
  await shot(app, 'login-5-error-details');
});
