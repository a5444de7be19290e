// Every operation of the contract through createInspectorApi, with a fake gateway fed synthetic
// event streams; bad requests to every operation; batching rate and retention eviction.
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch, OperationName } from '../../shared/api/contract.ts';
import { EventScript } from './__test__/synthetic.ts';
import { fakeGateway } from './__test__/fake-gateway.ts';
import type { AccountsPort } from './accounts-port.ts';
import { ApiError, createInspectorApi } from './api.ts';
import type { InspectorApi, InspectorApiOptions } from './api.ts';
import type { CapturePort } from './capture-port.ts';

const enc = new TextEncoder();
const b64 = (s: string) => Buffer.from(enc.encode(s)).toString('base64');


let apis: InspectorApi[] = [];
afterEach(() => {
  for (const a of apis) a.close();
  apis = [];
});

function setup(extra: Partial<InspectorApiOptions> = {}) {
  const gw = fakeGateway();
  const api = createInspectorApi({ gateway: gw, batchIntervalMs: 50, ...extra });
  apis.push(api);
  const batches: EventBatch[] = [];
  api.onBatch((b) => batches.push(b));
  return { gw, api, batches };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('requests are checked', () => {
  const bad: unknown[] = [42, 'x', [], { bogus: 1 }];
  it.each(OPERATION_NAMES.map((op) => [op]))('%s answers bad requests with an error', async (op) => {
    const { api } = setup();
    for (const request of bad) {
      await expect(api.call(op as OperationName, request)).rejects.toThrow(ApiError);
      const res = await api.dispatch({ kind: 'call', id: 7, op, request });
      expect(res).toMatchObject({ kind: 'result', id: 7, ok: false, error: expect.stringContaining(op) });
    }
  });

  it('names the field and the problem', async () => {
    const { api } = setup();
    await expect(api.call('commands.query', { limit: 0 })).rejects.toThrow('commands.query: limit must be from 1 to 5000, not 0');
    await expect(api.call('commands.get', {})).rejects.toThrow('commands.get: id is required');
    await expect(api.call('inject.send', { sessionId: '1', to: 'server', verb: 'chg', args: [] })).rejects.toThrow(/verb must be three upper-case letters/);
    await expect(api.call('settings.set', { retention: { memoryCommands: 10, diskMegabytes: 1 } })).rejects.toThrow(/retention.memoryCommands must be from 1000/);
    await expect(api.call('settings.set', { upstream: { kind: 'ftp' } })).rejects.toThrow(/upstream.kind must be/);
    await expect(api.call('commands.query', { filter: 'bogus:1' })).rejects.toThrow(/bad filter: unknown field/);
    await expect(api.call('nope.op' as OperationName, {})).rejects.toThrow('unknown operation "nope.op"');
    expect(await api.dispatch('garbage')).toMatchObject({ ok: false, id: -1 });
    expect(await api.dispatch({ kind: 'call', id: 1, op: 'status.get' })).toMatchObject({ ok: true, id: 1 });
  });
});

describe('operations', () => {
  it('status, sessions, commands, exchanges, findings', async () => {
    const { gw, api } = setup();
    const s = new EventScript().open('1');
    const x = s.exchange('1', 'USR 1 TWN I alice@example.com\r\nZZZ 2\r\n', 'USR 1 TWN S lc=1033\r\n');
    gw.emit(s.take());
    expect(await api.call('status.get', {})).toMatchObject({ capturing: true, upstream: 'emulator', counts: { sessions: 1, commands: 3, inMemory: 3, evicted: 0 } });
    expect((await api.call('sessions.list', {})).map((r) => r.user)).toEqual(['alice@example.com']);
    expect(await api.call('sessions.get', { id: 'zz' })).toBeNull();
    const page = await api.call('commands.query', { filter: 'dir:client', limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 2, offset: 1, items: [{ verb: 'ZZZ' }] });
    const detail = (await api.call('commands.get', { id: page.items[0].id }))!;
    expect(detail.command.findingIds).toHaveLength(1);
    expect(await api.call('commands.get', { id: 12345 })).toBeNull();
    expect((await api.call('exchanges.list', {})).items[0].commandIds).toHaveLength(3);
    expect((await api.call('exchanges.get', { id: x }))!.requestBody).toBe(b64('USR 1 TWN I alice@example.com\r\nZZZ 2\r\n'));
    expect(await api.call('exchanges.get', { id: 999 })).toBeNull();
    expect((await api.call('findings.list', { sessionId: '1' })).items.map((f) => f.code)).toEqual(['unknown-command']);
  });

  it('inject.send and inject.resend go to the gateway; capture pause, resume and clear', async () => {
    const { gw, api, batches } = setup();
    const s = new EventScript().open('1');
    s.exchange('1', 'CHG 7 NLN 0\r\n');
    gw.emit(s.take());
    expect(await api.call('inject.send', { sessionId: '1', to: 'server', verb: 'CHG', args: ['BSY', '0'], trid: 'auto' })).toEqual({ ok: true, raw: b64('CHG 8 BSY 0\r\n') });
    expect(await api.call('inject.send', { sessionId: '1', to: 'client', verb: 'NLN', args: ['NLN', 'bob@example.com', 'Bob'] })).toEqual({ ok: true, raw: b64('NLN NLN bob@example.com Bob\r\n') });
    expect(await api.call('inject.resend', { commandId: 1 })).toEqual({ ok: true, raw: b64('CHG 7 NLN 0\r\n') });
    expect(gw.injected.map((i) => i.to)).toEqual(['server', 'client', 'server']);

    expect(await api.call('capture.pause', {})).toEqual({ capturing: false });
    s.exchange('1', 'CHG 9 NLN 0\r\n');
    gw.emit(s.take());
    expect((await api.call('commands.query', {})).total).toBe(1);
    expect(await api.call('capture.resume', {})).toEqual({ capturing: true });
    expect((await api.call('status.get', {})).capturing).toBe(true);
    expect(await api.call('capture.clear', {})).toEqual({ cleared: 1 });
    api.flush();
    expect(batches.at(-1)!.cleared).toBe(true);
    expect((await api.call('commands.query', {})).total).toBe(0);
  });

  it('breakpoints: set, list, hold through the interceptor, forward edited, drop, remove', async () => {
    const { gw, api, batches } = setup({ settings: { breakpointTimeoutMs: 60_000 } });
    gw.emit(new EventScript().open('1').take());
    const bp = await api.call('breakpoints.set', { filter: 'verb:CHG', direction: 'client', enabled: true });
    expect(bp).toEqual({ id: 1, filter: 'verb:CHG', direction: 'client', enabled: true });
    expect(await api.call('breakpoints.set', { filter: 'verb:', direction: 'both', enabled: true })).toMatchObject({ error: expect.stringContaining('needs a value') });
    const a = api.interceptor.intercept('1', 'client', enc.encode('CHG 1 NLN 0\r\n'));
    const b = api.interceptor.intercept('1', 'client', enc.encode('CHG 2 NLN 0\r\n'));
    const listed = await api.call('breakpoints.list', {});
    expect(listed.breakpoints).toHaveLength(1);
    expect(listed.held.map((h) => h.id)).toEqual([1, 2]);
    api.flush();
    expect(batches.at(-1)!.held).toHaveLength(2);
    expect(await api.call('held.forward', { id: 1, raw: b64('CHG 1 NLN 0\r\nX') })).toMatchObject({ ok: false });
    expect(await api.call('held.forward', { id: 1, raw: b64('CHG 1 BSY 0\r\n') })).toEqual({ ok: true });
    expect(await a).toMatchObject({ action: 'forward', edited: true });
    expect(await api.call('held.drop', { id: 2 })).toEqual({ ok: true });
    expect(await b).toEqual({ action: 'drop' });
    expect(await api.call('held.drop', { id: 2 })).toEqual({ ok: false });
    expect((await api.call('findings.list', {})).items.map((f) => f.code)).toEqual(['dropped']);
    expect(await api.call('breakpoints.remove', { id: 1 })).toEqual({ removed: true });
    expect(api.interceptor.intercept('1', 'client', enc.encode('CHG 3 NLN 0\r\n'))).toBe('pass');
  });

  it('settings: get, set (retention applies at once, restart flagged for gateway changes)', async () => {
    const changes: boolean[] = [];
    const { gw, api, batches } = setup({ onSettingsChange: (_s, restart) => changes.push(restart) });
    const initial = await api.call('settings.get', {});
    expect(initial).toMatchObject({ breakpointTimeoutMs: 30_000, gateway: { port: 80, profile: 'faithful' } });
    const s = new EventScript().open('1');
    for (let i = 1; i <= 1500; i++) s.bytes('1', 'client', `CHG ${i} NLN 0\r\n`);
    gw.emit(s.take());
    const res = await api.call('settings.set', { retention: { memoryCommands: 1000, diskMegabytes: 10 }, theme: 'dark' });
    expect(res).toMatchObject({ restartNeeded: false, settings: { theme: 'dark', retention: { memoryCommands: 1000 } } });
    api.flush();
    expect(batches.some((b) => b.evicted?.fromId === 1 && b.evicted.toId === 500)).toBe(true);
    expect((await api.call('status.get', {})).counts).toMatchObject({ commands: 1500, inMemory: 1000, evicted: 500 });
    expect(await api.call('settings.set', { gateway: { host: '127.0.0.1', port: 8080, profile: 'lenient', gwIp: null } })).toMatchObject({ restartNeeded: true });
    expect(changes).toEqual([false, true]);
  });

  it('capture and accounts operations delegate to their ports, or explain their absence', async () => {
    const bare = setup().api;
    for (const op of ['capture.open', 'capture.save', 'capture.import'] as const) {
      expect(await bare.call(op, { path: '/tmp/x' })).toMatchObject({ ok: false, error: expect.stringContaining('not available') });
    }
    expect(await bare.call('capture.export', { path: '/tmp/x', format: 'har' })).toMatchObject({ ok: false });
    expect(await bare.call('accounts.list', {})).toEqual([]);
    expect(await bare.call('accounts.create', { handle: 'a@b.c', password: 'p' })).toMatchObject({ ok: false });

    const file = new EventScript().open('9');
    file.exchange('9', 'CHG 1 NLN 0\r\n', 'CHG 1 NLN 0\r\n');
    const saved = file.take();
    const calls: string[] = [];
    const capture: CapturePort = {
      append: (e) => calls.push(`append ${e.type}`),
      currentFile: () => '/data/live.ndjson',
      open: async (path) => {
        if (path === '/bad') throw new Error('not a capture file');
        return saved;
      },
      save: async () => ({ bytes: 10 }),
      export: async (path, format, o) => (calls.push(`export ${format} ${o.unredacted}`), { bytes: 20 }),
      import: async () => saved,
    };
    const accounts: AccountsPort = {
      list: () => [{ handle: 'alice@example.com', friendlyName: 'Alice', online: false }],
      create: (i) => {
        if (i.handle === 'taken@example.com') throw new Error('handle already exists');
      },
      remove: () => undefined,
    };
    const { gw, api, batches } = setup({ capture, accounts });
    gw.emit(new EventScript().open('1').take());
    expect(calls).toEqual(['append session-opened']);
    expect(await api.call('capture.open', { path: '/bad' })).toEqual({ ok: false, error: 'cannot open /bad: not a capture file' });
    expect(await api.call('capture.open', { path: '/saved' })).toEqual({ ok: true, commands: 2 });
    api.flush();
    expect(batches.at(-1)).toMatchObject({ cleared: true, sessions: [{ id: '9' }] });
    expect((await api.call('status.get', {})).captureFile).toBe('/saved');
    expect((await api.call('commands.query', {})).items.map((c) => c.pairId)).toEqual([2, 1]);
    expect(await api.call('inject.send', { sessionId: '9', to: 'server', verb: 'OUT', args: [] })).toMatchObject({ ok: false, error: expect.stringContaining('capture file is on view') });
    expect(await api.call('capture.import', { path: '/x.har' })).toEqual({ ok: true, commands: 2 });
    expect(await api.call('capture.save', { path: '/x' })).toEqual({ ok: true, bytes: 10 });
    expect(await api.call('capture.export', { path: '/x', format: 'pcapng', unredacted: true })).toEqual({ ok: true, bytes: 20 });
    expect(calls.at(-1)).toBe('export pcapng true');
    await api.call('capture.clear', {});
    expect((await api.call('status.get', {})).captureFile).toBe('/data/live.ndjson');
    expect((await api.call('sessions.list', {})).map((r) => r.id)).toEqual(['1']);

    expect(await api.call('accounts.list', {})).toEqual([{ handle: 'alice@example.com', friendlyName: 'Alice', online: false }]);
    expect(await api.call('accounts.create', { handle: 'bob@example.com', password: 'pw', friendlyName: 'Bob' })).toEqual({ ok: true });
    expect(await api.call('accounts.create', { handle: 'taken@example.com', password: 'pw' })).toEqual({ ok: false, error: 'cannot create taken@example.com: handle already exists' });
    expect(await api.call('accounts.remove', { handle: 'bob@example.com' })).toEqual({ ok: true });
  });
});

describe('batches', () => {
  it('a burst of 5,000 commands arrives in one batch, never one message per command', async () => {
    const { gw, api, batches } = setup();
    const s = new EventScript().open('1');
    for (let i = 1; i <= 5000; i++) s.bytes('1', i % 2 ? 'client' : 'server', `CHG ${i} NLN 0\r\n`);
    gw.emit(s.take());
    await sleep(120);
    const withCommands = batches.filter((b) => b.commands.length > 0);
    expect(withCommands).toHaveLength(1);
    expect(withCommands[0].commands).toHaveLength(5000);
    expect(withCommands[0].sessions.map((r) => r.id)).toEqual(['1']);
    expect(api).toBeDefined();
  });

  it('a steady stream yields at most about 20 batches a second, sessions as upserts', async () => {
    const { gw, batches } = setup();
    gw.emit(new EventScript().open('1').take());
    const s = new EventScript();
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < 500) {
      s.bytes('1', 'client', `CHG ${++n} NLN 0\r\n`);
      gw.emit(s.take());
      await sleep(2);
    }
    await sleep(80);
    const elapsed = Date.now() - started;
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
    expect(batches.flatMap((b) => b.commands)).toHaveLength(n);
    for (const b of batches) expect(new Set(b.sessions.map((r) => r.id)).size).toBe(b.sessions.length);
  });

  it('spreads session and exchange upserts over batches past maxRecordsPerBatch, each exactly once', async () => {
    const { gw, api, batches } = setup({ maxRecordsPerBatch: 2 });
    const s = new EventScript();
    for (const id of ['1', '2', '3', '4', '5']) s.open(id);
    gw.emit(s.take());
    for (let i = 0; i < 4; i++) api.flush();
    const sessionBatches = batches.filter((b) => b.sessions.length > 0);
    expect(sessionBatches.map((b) => b.sessions.length)).toEqual([2, 2, 1]);
    expect(sessionBatches.flatMap((b) => b.sessions.map((r) => r.id))).toEqual(['1', '2', '3', '4', '5']);
    // A session changed again while it still waited goes out once, with its latest state.
    gw.emit(new EventScript().bytes('1', 'client', 'CHG 1 NLN 0\r\n').bytes('2', 'client', 'CHG 2 NLN 0\r\n').bytes('3', 'client', 'CHG 3 NLN 0\r\n').bytes('1', 'client', 'CHG 4 NLN 0\r\n').take());
    api.flush();
    api.flush();
    const later = batches.slice(sessionBatches.length).flatMap((b) => b.sessions);
    expect(later.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(later[0].counts.commandsFromClient).toBe(2);
  });

  it('splits a huge burst over several batches and reports pairing updates of sent commands', async () => {
    const { gw, api, batches } = setup({ maxCommandsPerBatch: 1000 });
    const s = new EventScript().open('1');
    for (let i = 1; i <= 2500; i++) s.bytes('1', 'client', `CHG ${i} NLN 0\r\n`);
    gw.emit(s.take());
    api.flush();
    api.flush();
    api.flush();
    expect(batches.map((b) => b.commands.length)).toEqual([1000, 1000, 500]);
    // (TrID 2400: the codec keeps the newest 1024 open requests for pairing.)
    gw.emit(new EventScript().bytes('1', 'server', 'CHG 2400 NLN 0\r\n').take());
    api.flush();
    const last = batches.at(-1)!;
    expect(last.commands.map((c) => c.pairId)).toEqual([2400]);
    expect(last.updatedCommands!.map((c) => [c.id, c.pairId])).toEqual([[2400, 2501]]);
  });
});
