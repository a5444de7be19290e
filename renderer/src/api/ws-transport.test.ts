import { afterEach, describe, expect, it } from 'vitest';
import { bridgeMethodName, BRIDGE_METHODS } from '../../../shared/api/bridge.ts';
import type { InspectorBridge } from '../../../shared/api/bridge.ts';
import { OPERATION_NAMES } from '../../../shared/api/contract.ts';
import type { InspectorClient } from './client.ts';
import { createIpcClient, isInspectorBridge } from './ipc-transport.ts';
import { apiUrlFromLocation, createWsClient } from './ws-transport.ts';

class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.last = this;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(value: unknown) {
    this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
  }
}

let client: InspectorClient | null = null;
afterEach(() => client?.close());
const ws = (opts = {}) => (client = createWsClient('ws://127.0.0.1:1/api?token=t', { WebSocketImpl: FakeSocket as unknown as typeof WebSocket, reconnect: false, ...opts }));

describe('WebSocket transport', () => {
  it('builds the API URL from the #token fragment', () => {
    expect(apiUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:5000', hash: '#token=a%2Bb' })).toBe('ws://127.0.0.1:5000/api?token=a%2Bb');
    expect(apiUrlFromLocation({ protocol: 'http:', host: 'x', hash: '' })).toBeNull();
  });

  it('queues calls until open, then matches results by id', async () => {
    const c = ws();
    const sock = FakeSocket.last!;
    const answer = c.call('sessions.list', {});
    expect(sock.sent).toEqual([]);
    sock.open();
    const sent = JSON.parse(sock.sent[0]);
    expect(sent).toMatchObject({ kind: 'call', op: 'sessions.list', request: {} });
    sock.receive({ kind: 'result', id: sent.id, ok: true, response: [] });
    expect(await answer).toEqual([]);
  });

  it('rejects with the core error, delivers batches, ignores garbage', async () => {
    const c = ws();
    const sock = FakeSocket.last!;
    sock.open();
    const batches: number[] = [];
    c.onBatch((b) => batches.push(b.seq));
    const answer = c.call('commands.get', { id: 1 });
    sock.receive('not json');
    sock.receive({ kind: 'events', batch: { seq: 7, commands: [], sessions: [] } });
    sock.receive({ kind: 'result', id: JSON.parse(sock.sent[0]).id, ok: false, error: 'no such command' });
    await expect(answer).rejects.toThrow('no such command');
    expect(batches).toEqual([7]);
  });

  it('limits waiting calls, times out, and fails in-flight calls when the socket closes', async () => {
    const c = ws({ maxPending: 1, callTimeoutMs: 20 });
    const sock = FakeSocket.last!;
    const first = c.call('status.get', {});
    await expect(c.call('status.get', {})).rejects.toThrow(/more than 1 calls/);
    await expect(first).rejects.toThrow(/no answer within 20 ms/);
    sock.open();
    const second = c.call('status.get', {});
    sock.onclose?.();
    await expect(second).rejects.toThrow(/closed/);
  });
});

describe('IPC bridge', () => {
  it('names one camel-cased method per operation', () => {
    expect(bridgeMethodName('held.forward')).toBe('heldForward');
    expect(Object.keys(BRIDGE_METHODS)).toEqual([...OPERATION_NAMES]);
    expect(new Set(Object.values(BRIDGE_METHODS)).size).toBe(OPERATION_NAMES.length);
  });

  it('calls the named method and forwards batches', async () => {
    const listeners: ((b: never) => void)[] = [];
    const bridge = { sessionsList: async () => [], commandsQuery: async () => ({ total: 0, offset: 0, items: [] }), onBatch: (l: never) => (listeners.push(l), () => {}) } as unknown as InspectorBridge;
    expect(isInspectorBridge(bridge)).toBe(true);
    expect(isInspectorBridge({ platform: 'linux' })).toBe(false);
    const c = createIpcClient(bridge);
    expect(await c.call('sessions.list', {})).toEqual([]);
    await expect(c.call('status.get', {})).rejects.toThrow('the desktop bridge has no status.get operation');
    c.onBatch(() => {});
    expect(listeners.length).toBe(1);
  });
});
