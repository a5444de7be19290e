import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { command, session } from '../../test/records.ts';
import { renderView } from '../../test/render.tsx';
import { CommandsView } from './CommandsView.tsx';

const login = [
  command(1, { verb: 'VER', trid: 1, args: ['MSNP8', 'CVR0'], pairId: 2 }),
  command(2, { verb: 'VER', trid: 1, direction: 'server', args: ['MSNP8'], pairId: 1 }),
  command(3, { verb: 'USR', trid: 2, args: ['TWN', 'I', 'alice@example.com'] }),
  command(4, { verb: 'MSG', sessionId: 's2', direction: 'server', args: ['bob@example.com', 'Bob', '90'], payloadLength: 90 }),
];
const sessions = [session('s1'), session('s2', { server: 'SB', parentSessionId: 's1' })];

const grid = () => screen.getByRole('grid', { name: 'Command list' });
const dataRows = () => within(grid()).getAllByRole('row').filter((r) => r.hasAttribute('data-command-id'));

describe('CommandsView', () => {
  it('lists commands as rows in a region named Commands with the chosen columns', () => {
    renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    expect(screen.getByRole('region', { name: 'Commands' })).toBeTruthy();
    expect(dataRows().map((r) => r.getAttribute('data-command-id'))).toEqual(['1', '2', '3', '4']);
    const headers = within(grid()).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Time', 'Δt', 'Dir', 'Session', 'Verb', 'TrID', 'Arguments', 'Payload', 'Findings']);
    expect(dataRows()[3].textContent).toContain('SB s2');
    expect(dataRows()[3].textContent).toContain('90 B');
  });

  it('virtualizes: 100,000 commands render only a window of rows', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => command(i + 1, { verb: i % 2 ? 'MSG' : 'PNG' }));
    renderView(<CommandsView />, { snapshot: { sessions, commands: many } });
    const count = dataRows().length;
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(200);
    expect(screen.getByText('100000')).toBeTruthy();
  });

  it('filters with the store filter and shows how many match', () => {
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    act(() => store.getState().setFilter('verb:VER dir:server'));
    expect(dataRows().map((r) => r.getAttribute('data-command-id'))).toEqual(['2']);
    expect(screen.getByText('1 of 4')).toBeTruthy();
  });

  it('links request and reply by TrID: selecting one marks the other, l jumps to it', () => {
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    fireEvent.click(dataRows()[0]);
    expect(store.getState().selectedCommandId).toBe(1);
    expect(dataRows()[1].className).toContain('paired');
    fireEvent.keyDown(dataRows()[0], { key: 'l' });
    expect(store.getState().selectedCommandId).toBe(2);
  });

  it('moves the selection with the arrow keys and stops following live', () => {
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    fireEvent.click(dataRows()[1]);
    fireEvent.keyDown(dataRows()[1], { key: 'ArrowDown' });
    expect(store.getState().selectedCommandId).toBe(3);
    expect(store.getState().followLive).toBe(false);
    fireEvent.keyDown(dataRows()[2], { key: 'ArrowUp' });
    expect(store.getState().selectedCommandId).toBe(2);
  });

  it('hides a column from the column menu', () => {
    renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    fireEvent.click(screen.getByRole('button', { name: 'Columns' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'TrID' }));
    expect(within(grid()).queryByRole('columnheader', { name: 'TrID' })).toBeNull();
  });

  it('colours rows that match a highlight rule without hiding the rest', () => {
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    act(() => store.getState().addHighlight('verb:USR', 'green'));
    expect(dataRows().length).toBe(4);
    expect(dataRows()[2].className).toContain('hl-green');
  });

  it('appends live commands', () => {
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: login } });
    act(() => store.getState().applyBatches([{ seq: 1, time: 0, sessions: [], commands: [command(5, { verb: 'CHG', trid: 3, args: ['NLN', '0'] })], exchanges: [], findings: [], held: null, evicted: null, cleared: false, status: null }]));
    expect(dataRows().map((r) => r.getAttribute('data-command-id'))).toContain('5');
  });

  it('shows rows still loading as placeholders, counts them, and says the grid is busy', () => {
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: login, older: { commands: 50, exchanges: 0, findings: 0 } } });
    expect(screen.getByText('54')).toBeTruthy();
    expect(grid().getAttribute('aria-busy')).toBe('true');
    expect(dataRows().map((r) => r.getAttribute('data-command-id'))).toEqual(['1', '2', '3', '4']);
    expect(within(grid()).getAllByText('loading…').length).toBeGreaterThan(0);
    act(() => store.getState().prependOlder('commands', Array.from({ length: 50 }, (_, i) => command(-100 + i)), 0));
    expect(grid().getAttribute('aria-busy')).toBe('false');
    expect(within(grid()).queryAllByText('loading…').length).toBe(0);
  });

  it('follows the newest row by writing the scroll offset once per change, without reading layout', () => {
    const many = Array.from({ length: 1000 }, (_, i) => command(i + 1));
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: many } });
    const scroller = grid().querySelector('.cmd-scroll') as HTMLElement;
    const writes: number[] = [];
    Object.defineProperty(scroller, 'scrollTop', { configurable: true, get: () => writes[writes.length - 1] ?? 0, set: (v: number) => writes.push(v) });
    const append = (id: number) => act(() => store.getState().applyBatches([{ seq: id, time: 0, sessions: [], commands: [command(id)], exchanges: [], findings: [], held: null, evicted: null, cleared: false, status: null }]));
    append(1001);
    append(1002);
    // jsdom has no layout: the viewport falls back to 600 px.
    expect(writes).toEqual([1001 * 22 - 600, 1002 * 22 - 600]);
    expect(dataRows().at(-1)!.getAttribute('data-command-id')).toBe('1002');
    act(() => store.getState().setFollowLive(false));
    append(1003);
    expect(writes.length).toBe(2);
  });

  it('keeps row elements across frames: a row in view keeps its element, a row pushed out lends its own', () => {
    const many = Array.from({ length: 1000 }, (_, i) => command(i + 1));
    const { store } = renderView(<CommandsView />, { snapshot: { sessions, commands: many } });
    const before = new Set(dataRows());
    const row999 = dataRows().find((r) => r.getAttribute('data-command-id') === '999');
    act(() => store.getState().applyBatches([{ seq: 1, time: 0, sessions: [], commands: [command(1001), command(1002)], exchanges: [], findings: [], held: null, evicted: null, cleared: false, status: null }]));
    expect(dataRows().find((r) => r.getAttribute('data-command-id') === '999')).toBe(row999);
    expect(dataRows().every((r) => before.has(r))).toBe(true);
  });
});
