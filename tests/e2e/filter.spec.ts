// The filter bar narrows the Commands grid with the shared grammar (verb:, dir:, server:, error,
// negation, AND by space), shows parse errors inline, offers completions, and restores on clear.
import { expect, test } from './lib/inspector-fixture.ts';
import { shot } from './lib/shots.ts';
import { rowSummaries, ui } from './lib/ui.ts';

test('the filter narrows the grid, and clearing it restores every row', async ({ app, signIn }) => {
  const v = ui(app);
  const client = await signIn();
  await client.send('REA 5 nobody@example.com Nobody\r\n');
  await client.pollUntil('216 5');
  const counter = v.counter;
  await expect(counter).toHaveText('11');

  await v.filter.fill('verb:USR');
  await expect.poll(() => rowSummaries(v.grid)).toEqual(['USR 3 C→S', 'USR 3 S→C', 'USR 4 C→S', 'USR 4 S→C']);
  await expect(counter).toHaveText('4 of 11');
  await shot(app, 'filter-1-verb-usr');

  await v.filter.fill('verb:USR dir:server');
  await expect.poll(() => rowSummaries(v.grid)).toEqual(['USR 3 S→C', 'USR 4 S→C']);

  await v.filter.fill('-verb:USR -verb:VER -verb:CVR');
  await expect.poll(() => rowSummaries(v.grid)).toEqual(['MSG  S→C', 'REA 5 C→S', '216 5 S→C']);

  await v.filter.fill('error');
  await expect.poll(() => rowSummaries(v.grid)).toEqual(['216 5 S→C']);
  await expect(counter).toHaveText('1 of 11');

  await v.filter.fill('server:sb');
  await expect(v.commandRows).toHaveCount(0);
  await expect(counter).toHaveText('0 of 11');

  // Free text matches arguments.
  await v.filter.fill('nobody@example.com');
  await expect.poll(() => rowSummaries(v.grid)).toEqual(['REA 5 C→S']);

  await v.filter.fill('');
  await expect(v.commandRows).toHaveCount(11);
  await expect(counter).toHaveText('11');
});

test('a bad filter is flagged inline and the grid keeps the last valid view', async ({ app, signIn }) => {
  const v = ui(app);
  await signIn();
  await expect(v.commandRows).toHaveCount(9);
  await v.filter.fill('verb:CVR');
  await expect(v.commandRows).toHaveCount(2);
  await v.filter.fill('verb:CVR dir:sideways');
  await expect(v.filter).toHaveAttribute('aria-invalid', 'true');
  await expect(app.locator('#filter-help')).toHaveClass(/error-text/);
  await expect(app.locator('#filter-help')).toContainText('sideways');
  await expect(v.commandRows).toHaveCount(2);
  await shot(app, 'filter-2-error');
  await v.filter.fill('verb:CVR dir:client');
  await expect(v.filter).toHaveAttribute('aria-invalid', 'false');
  await expect.poll(() => rowSummaries(v.grid)).toEqual(['CVR 2 C→S']);
});

test('the filter suggests fields and verbs, and Tab accepts one', async ({ app, signIn }) => {
  const v = ui(app);
  await signIn();
  await expect(v.commandRows).toHaveCount(9);
  await app.keyboard.press('/');
  await expect(v.filter).toBeFocused();
  await app.keyboard.type('ver');
  const suggestions = app.getByRole('listbox', { name: 'Filter suggestions' });
  await expect(suggestions.getByRole('option').first()).toContainText('verb:');
  await app.keyboard.press('Tab');
  await expect(v.filter).toHaveValue('verb:');
  await app.keyboard.type('US');
  await expect(suggestions.getByRole('option', { name: /verb:USR/ })).toBeVisible();
  await shot(app, 'filter-3-suggestions');
  await app.keyboard.press('Tab');
  await expect(v.filter).toHaveValue('verb:USR ');
  await expect(v.commandRows).toHaveCount(4);
});
