import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from './App.tsx';
import type { Scheduler } from './store/ingest.ts';
import { createInspectorStore } from './store/store.ts';
import { FakeClient } from './test/fake-client.ts';
import { command, exchange, session, status } from './test/records.ts';

const immediate: Scheduler = {
  frame(callback) {
    queueMicrotask(callback);
    return () => {};
  },
};

function start(client = new FakeClient()) {
  const store = createInspectorStore();
  render(<App store={store} client={client} scheduler={immediate} />);
  return { client, store };
}

describe('App', () => {
  it('explains how to connect a legacy client when there is nothing to show, with the port-80 caveat', async () => {
    start(new FakeClient({ status: status({ gateway: { listening: true, host: '127.0.0.1', port: 8080, error: 'port 80 needs administrator rights', remedies: [] } }) }));
    expect(screen.getByRole('heading', { name: 'MSN Gateway Inspector' })).toBeTruthy();
    expect(await screen.findByText('127.0.0.1 gateway.messenger.hotmail.com')).toBeTruthy();
    expect(screen.getAllByText(/not 80 \(port 80 needs administrator rights\)/).length).toBeGreaterThan(0);
  });

  it('shows a live login in Sessions, Timeline and Commands, and Details on selection', async () => {
    const client = new FakeClient();
    client.data.details.set(2, {
      command: command(2, { verb: '911', trid: 2, direction: 'server', errorCode: 911 }),
      raw: btoa('911 2\r\n'),
      category: 'error',
      description: 'Error reply',
      fields: [{ name: 'trid', raw: '2', value: '2' }],
      error: { code: 911, name: 'ERR_AUTHENTICATION_FAILED', meaning: 'Authentication failed' },
      payload: null,
    });
    start(client);
    await waitFor(() => expect(client.callsOf('sessions.list').length).toBe(1));
    await act(async () => {
      client.emit({
        sessions: [session('s1')],
        exchanges: [exchange(1, { kind: 'open', commandIds: [1, 2] })],
        commands: [command(1, { verb: 'USR', trid: 2, args: ['TWN', 'I', 'alice@example.com'], exchangeId: 1, pairId: 2 }), command(2, { verb: '911', trid: 2, direction: 'server', errorCode: 911, exchangeId: 1, pairId: 1 })],
      });
    });
    const sessions = screen.getByRole('region', { name: 'Sessions' });
    expect(within(sessions).getAllByRole('row').length).toBe(2);
    expect(screen.getByRole('region', { name: 'Timeline' }).querySelectorAll('[data-exchange-id]').length).toBe(1);
    const commands = screen.getByRole('region', { name: 'Commands' });
    const rows = within(commands).getAllByRole('row').filter((r) => r.hasAttribute('data-command-id'));
    expect(rows.length).toBe(2);
    fireEvent.click(rows[1]);
    const details = screen.getByRole('region', { name: 'Details' });
    expect(await within(details).findByText(/ERR_AUTHENTICATION_FAILED/)).toBeTruthy();
  });

  it('filters the grid from the Filter textbox, with autocomplete and help for bad terms', async () => {
    const client = new FakeClient({ sessions: [session('s1')], commands: [command(1, { verb: 'PNG' }), command(2, { verb: 'MSG' })] });
    start(client);
    await screen.findByRole('grid', { name: 'Command list' });
    const filter = screen.getByRole('textbox', { name: 'Filter' });
    fireEvent.focus(filter);
    fireEvent.change(filter, { target: { value: 've' } });
    expect(screen.getByRole('option', { name: /verb:/ })).toBeTruthy();
    fireEvent.keyDown(filter, { key: 'Tab' });
    expect((filter as HTMLInputElement).value).toBe('verb:');
    fireEvent.change(filter, { target: { value: 'verb:MSG' } });
    const grid = screen.getByRole('grid', { name: 'Command list' });
    expect(within(grid).getAllByRole('row').filter((r) => r.hasAttribute('data-command-id')).map((r) => r.dataset.commandId)).toEqual(['2']);
    fireEvent.change(filter, { target: { value: 'colour:red' } });
    expect(screen.getByText(/unknown field "colour:"/)).toBeTruthy();
  });

  it('keyboard: ? opens help, Escape closes it, Space pauses capture, i opens the composer', async () => {
    const client = new FakeClient({ sessions: [session('s1')] });
    const { store } = start(client);
    await screen.findByRole('region', { name: 'Sessions' });
    fireEvent.keyDown(window, { key: '?' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(document.body, { key: ' ' });
    await waitFor(() => expect(client.callsOf('capture.pause').length).toBe(1));
    fireEvent.keyDown(document.body, { key: 'i' });
    expect(store.getState().sidePanel).toBe('inject');
    expect(screen.getByRole('textbox', { name: 'Command' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send to server' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send to client' })).toBeTruthy();
  });

  it('selecting a session scopes the Commands grid', async () => {
    const client = new FakeClient({ sessions: [session('s1'), session('s2', { server: 'SB', parentSessionId: 's1', user: 'bob@example.com' })], commands: [command(1), command(2, { sessionId: 's2', verb: 'MSG' })] });
    start(client);
    const sessions = await screen.findByRole('region', { name: 'Sessions' });
    await waitFor(() => expect(within(sessions).getAllByRole('row').length).toBe(3));
    const sbRow = within(sessions).getAllByRole('row')[2];
    expect(sbRow.getAttribute('aria-level')).toBe('2');
    fireEvent.click(sbRow);
    const grid = screen.getByRole('grid', { name: 'Command list' });
    expect(within(grid).getAllByRole('row').filter((r) => r.hasAttribute('data-command-id')).map((r) => r.dataset.commandId)).toEqual(['2']);
    fireEvent.keyDown(sbRow, { key: 'ArrowUp' });
    expect(within(grid).getAllByRole('row').filter((r) => r.hasAttribute('data-command-id')).length).toBe(1);
  });
});
