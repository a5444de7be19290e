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
});
