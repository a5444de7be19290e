// Locators by the accessibility contract (issue 6): regions, the filter, the inject form, rows.
import type { Locator, Page } from '@playwright/test';

export function ui(page: Page) {
  const sessions = page.getByRole('region', { name: 'Sessions' });
  const commands = page.getByRole('region', { name: 'Commands' });
  const grid = commands.getByRole('grid', { name: 'Command list' });
  return {
    sessions,
    sessionRows: sessions.getByRole('row'),
    timeline: page.getByRole('region', { name: 'Timeline' }),
    commands,
    grid,
    /** "N" or "N of M": rows shown of commands in memory. */
    counter: commands.locator('.panel-bar [aria-live=polite]'),
    /** Data rows only (the header row has no command id). */
    commandRows: grid.locator('[role=row][data-command-id]'),
    details: page.getByRole('region', { name: 'Details' }),
    filter: page.getByRole('textbox', { name: 'Filter' }),
    toolbar: page.getByRole('toolbar', { name: 'Capture' }),
    status: page.getByRole('status', { name: 'Status' }),
    /** Command rows by direction arrow, verb and (if given) TrID, e.g. row('S→C', 'USR', 4). */
    row(direction: 'C→S' | 'S→C', verb: string, trid?: number): Locator {
      const rows = grid
        .locator('[data-command-id]')
        .filter({ has: page.locator('.cell.direction', { hasText: direction }) })
        .filter({ has: page.locator('.cell.verb', { hasText: new RegExp(`^${verb}$`) }) });
      return trid === undefined ? rows : rows.filter({ has: page.locator('.cell.trid', { hasText: new RegExp(`^${trid}$`) }) });
    },
  };
}

/** "VER 1 C→S" for every visible command row, top to bottom. */
export async function rowSummaries(grid: Locator): Promise<string[]> {
  return grid.locator('[data-command-id]').evaluateAll((rows) =>
    rows
      .map((r) => ({ top: new DOMMatrixReadOnly(getComputedStyle(r).transform).m42, text: ['verb', 'trid', 'direction'].map((k) => r.querySelector(`.cell.${k}`)?.textContent ?? '').join(' ') }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.text),
  );
}
