// Rows of Commands and Sessions are reachable by role and keyboard: arrows, Home/End and j/k move
// the selection and focus, `l` jumps between request and reply, Escape clears the session scope.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';
import { ui } from './lib/ui.ts';

test('the Commands grid is navigable by keyboard, and Details follows the selection', async ({ app, signIn }) => {
  const v = ui(app);
  await signIn();
  await expect(v.commandRows).toHaveCount(9);
  const selected = v.grid.locator('[role=row][aria-selected=true]');

  await app.keyboard.press('c');
  await app.keyboard.press('Home');
  await expect(v.row('C→S', 'VER', 1)).toHaveAttribute('aria-selected', 'true');
  await expect(v.row('C→S', 'VER', 1)).toBeFocused();
  await expect(v.details.getByText('Client lists the protocol versions it supports, highest first')).toBeVisible();

  await app.keyboard.press('ArrowDown');
  await expect(v.row('S→C', 'VER', 1)).toBeFocused();
  await app.keyboard.press('j');
  await expect(v.row('C→S', 'CVR', 2)).toBeFocused();
  await expect(v.details.getByText('Client reports locale, OS and client version (handle from MSNP8)')).toBeVisible();
  await app.keyboard.press('k');
  await expect(v.row('S→C', 'VER', 1)).toBeFocused();
  await expect(selected).toHaveCount(1);

  await app.keyboard.press('End');
  await expect(v.row('S→C', 'MSG')).toBeFocused();
  await app.keyboard.press('ArrowUp');
  await expect(v.row('S→C', 'USR', 4)).toBeFocused();
  await expect(v.row('C→S', 'USR', 4)).toHaveClass(/paired/);
  // l: from the reply to its request (same TrID) and back.
  await app.keyboard.press('l');
  await expect(v.row('C→S', 'USR', 4)).toHaveAttribute('aria-selected', 'true');
  await expect(v.details.getByText('Tweener login, subsequent leg: the Passport ticket')).toBeVisible();
  await shot(app, 'keyboard-1-commands');
  await app.keyboard.press('l');
  await expect(v.row('S→C', 'USR', 4)).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('PageUp');
  await expect(v.row('C→S', 'VER', 1)).toBeFocused();
});

test('Sessions rows are navigable by keyboard and scope the Commands grid', async ({ app, signIn }) => {
  const v = ui(app);
  await signIn('alice@example.com');
  await signIn('bob@example.com');
  await expect(v.sessionRows).toHaveCount(3);
  await expect(v.counter).toHaveText('18');

  const all = v.sessions.getByRole('row', { name: /^All sessions \(2\)/ });
  const alice = v.sessions.getByRole('row', { name: /alice@example\.com/ });
  const bob = v.sessions.getByRole('row', { name: /bob@example\.com/ });
  await all.focus();
  await expect(all).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await expect(alice).toBeFocused();
  await expect(alice).toHaveAttribute('aria-selected', 'true');
  await expect(v.counter).toHaveText('9 of 18');
  await expect(v.timeline.locator('.lane-label')).toHaveText(['NS alice@example.com']);

  await app.keyboard.press('ArrowDown');
  await expect(bob).toBeFocused();
  await expect(v.timeline.locator('.lane-label')).toHaveText(['NS bob@example.com']);
  await expect(v.commandRows.filter({ hasText: 'alice@example.com' })).toHaveCount(0);
  await shot(app, 'keyboard-2-sessions-scoped');

  await app.keyboard.press('Escape');
  await expect(all).toHaveAttribute('aria-selected', 'true');
  await expect(v.counter).toHaveText('18');
});
