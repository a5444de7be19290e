// The inspector on its own thread, driven like the main-thread one: a real worker_threads Worker,
// a fake gateway (the only fake: no sockets are needed to check the bridge), a real capture log.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../shared/api/contract.ts';
import { EventScript } from '../../inspector/__test__/synthetic.ts';
import { fakeGateway } from '../../inspector/__test__/fake-gateway.ts';
import type { InterceptDecision } from '../../gateway/types.ts';
import { startInspectorThread, type InspectorThread } from './inspector-thread.ts';

const enc = new TextEncoder();
const b64 = (s: string) => Buffer.from(enc.encode(s)).toString('base64');
const status = { listening: true, host: '127.0.0.1', port: 1, error: null, remedies: [] };


let threads: InspectorThread[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(threads.map((t) => t.shutdown()));
  threads = [];
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function start(extra: { capture?: string; accounts?: boolean; maxPendingEvents?: number; packIntervalMs?: number } = {}) {
  const gw = fakeGateway(['gone']);
  const accounts = [{ handle: 'alice@example.com', friendlyName: 'Alice', online: false }];
  const thread = await startInspectorThread({
    gateway: gw,
    gatewayStatus: status,
    capture: extra.capture ? { dir: extra.capture, appVersion: 'test' } : null,
    batchIntervalMs: 20,
    ...(extra.maxPendingEvents ? { maxPendingEvents: extra.maxPendingEvents } : {}),
    ...(extra.packIntervalMs !== undefined ? { packIntervalMs: extra.packIntervalMs } : {}),
    ...(extra.accounts
      ? { accounts: { list: () => accounts, create: (i: { handle: string }) => void accounts.push({ handle: i.handle, friendlyName: i.handle, online: false }), remove: () => undefined } }
      : {}),
  });
  threads.push(thread);
  return { gw, thread };
}

const until = async (check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the inspector on its own thread', () => {
  it.skipIf(process.platform !== 'linux')('runs below the gateway thread\'s priority, the main thread left as it was', async () => {
    const stat = (tid: number) => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const before = stat(process.pid);
    const { thread } = await start();
    expect(thread.priority).toMatchObject({ ok: true, nice: Math.max(before, 10) });
    const tid = (thread.priority as { tid: number }).tid;
    expect(tid).not.toBe(process.pid);
    expect(stat(tid)).toBe(Math.max(before, 10));
    expect(stat(process.pid)).toBe(before);
    // V8's helper threads go with it (they collect the inspector's heap too).
    expect(thread.helperPriority).toMatchObject({ ok: true, nice: 10 });
    const helpers = (thread.helperPriority as { tids: number[] }).tids;
    expect(helpers.length).toBeGreaterThan(0);
    for (const t of helpers) expect(stat(t)).toBeGreaterThanOrEqual(10);
  });

  it('decodes gateway events byte-exact and answers queries, batches arriving as JSON text', async () => {
    const { gw, thread } = await start();
    const json: string[] = [];
    thread.onBatchJson((j) => json.push(j));
    const s = new EventScript().open('1');
    s.exchange('1', 'VER 1 MSNP8 CVR0\r\n', 'VER 1 MSNP8\r\n');
    // Multi-byte UTF-8 in a payload: its length counts bytes.
    const msg = 'MSG 2 N 3\r\n\u00e9a';
    s.bytes('1', 'client', msg);
    gw.emit(s.take());
    const page = await thread.call('commands.query', {});
    expect(page.items.map((c) => c.verb)).toEqual(['VER', 'VER', 'MSG']);
    const detail = await thread.call('commands.get', { id: page.items[2].id });
    expect(Buffer.from(detail!.raw, 'base64').toString('utf8')).toBe(msg);
    expect((await thread.call('sessions.list', {})).map((x) => x.id)).toEqual(['1']);
    await until(() => json.some((j) => j.includes('"MSG"')));
    const batch = (JSON.parse(json.find((j) => j.includes('"MSG"'))!) as { kind: string; batch: EventBatch });
    expect(batch.kind).toBe('events');
    expect(batch.batch.sessions.map((x) => x.id)).toContain('1');
    await expect(thread.call('nope' as never, {})).rejects.toThrow('unknown operation');
    // The model lives in the worker's heap, which reports itself.
    expect(await thread.heapAfterGc()).toBeGreaterThan(1024 * 1024);
    expect(await thread.dispatch({ kind: 'call', id: 7, op: 'status.get', request: {} })).toMatchObject({ kind: 'result', id: 7, ok: true });
  });

  it('gathers the events of many turns into one pack per interval, in order, and a query flushes them first', async () => {
    const { gw, thread } = await start({ packIntervalMs: 500 });
    const s = new EventScript().open('1');
    gw.emit(s.take());
    // Twenty requests, each in its own turn of the event loop, all inside one interval.
    for (let i = 1; i <= 20; i++) {
      s.bytes('1', 'client', `PNG\r\n`);
      gw.emit(s.take());
      await new Promise((r) => setImmediate(r));
    }
    expect(thread.packStats().packs).toBe(0);
    await until(() => thread.packStats().packs === 1, 2000);
    expect(thread.packStats().events).toBe(21);
    s.bytes('1', 'client', 'CHG 2 NLN 0\r\n');
    gw.emit(s.take());
    // A query goes after whatever the gateway already said: it does not wait for the interval.
    const page = await thread.call('commands.query', {});
    expect(page.items.map((c) => c.verb)).toEqual([...Array(20).fill('PNG'), 'CHG']);
    expect(thread.packStats()).toEqual({ packs: 2, events: 22 });
  });

  it('injects through the main thread gateway and reports a session the gateway no longer has', async () => {
    const { gw, thread } = await start();
    gw.emit(new EventScript().open('1').open('gone').take());
    expect(await thread.call('inject.send', { sessionId: '1', to: 'server', verb: 'CHG', args: ['NLN', '0'], trid: 'auto' })).toMatchObject({ ok: true, raw: b64('CHG 1 NLN 0\r\n') });
    expect(gw.injected.map((i) => ({ ...i, bytes: Buffer.from(i.bytes).toString('latin1') }))).toEqual([{ to: 'server', sessionId: '1', bytes: 'CHG 1 NLN 0\r\n' }]);
    expect(await thread.call('inject.send', { sessionId: 'gone', to: 'server', verb: 'CHG', args: ['NLN', '0'], trid: 1 })).toEqual({ ok: false, error: 'session gone is no longer live at the gateway' });
  });

  it('holds a command at a breakpoint until the user forwards it edited; without breakpoints it passes at once', async () => {
    const { gw, thread } = await start();
    gw.emit(new EventScript().open('1').take());
    expect(thread.interceptor.active!()).toBe(false);
    expect(thread.interceptor.intercept('1', 'client', enc.encode('CHG 2 NLN 0\r\n'))).toBe('pass');
    await thread.call('breakpoints.set', { filter: 'verb:CHG', direction: 'client', enabled: true });
    expect(thread.interceptor.active!()).toBe(true);
    const decision = thread.interceptor.intercept('1', 'client', enc.encode('CHG 2 NLN 0\r\n')) as Promise<InterceptDecision>;
    expect(decision).toBeInstanceOf(Promise);
    let held: { id: number }[] = [];
    await until(async () => (held = (await thread.call('breakpoints.list', {})).held).length === 1);
    expect(await thread.call('held.forward', { id: held[0].id, raw: b64('CHG 2 AWY 0\r\n') })).toEqual({ ok: true });
    const d = await decision;
    expect(d.action).toBe('forward');
    expect(d.action === 'forward' && Buffer.from(d.raw).toString('latin1')).toBe('CHG 2 AWY 0\r\n');
    expect(d.action === 'forward' && d.edited).toBe(true);
    // A command the breakpoint does not match is answered by the worker: forward as it was.
    const other = await thread.interceptor.intercept('1', 'client', enc.encode('SYN 3 0\r\n'));
    expect(other).toMatchObject({ action: 'forward', edited: false });
  });

  it('past its backlog limit it records no more events, and says how many it missed once it caught up', async () => {
    const { gw, thread } = await start({ maxPendingEvents: 10 });
    const s = new EventScript().open('1');
    for (let i = 1; i <= 100; i++) s.bytes('1', 'client', `CHG ${i} NLN 0\r\n`);
    // All in one turn: the thread cannot have handled any of them yet.
    gw.emit(s.take());
    let findings: { message: string }[] = [];
    await until(async () => (findings = (await thread.call('findings.list', {})).items).some((f) => f.message.includes('were not recorded')));
    expect(findings.filter((f) => f.message.includes('were not recorded')).map((f) => f.message)).toEqual([
      'inspector-behind: 91 gateway events (seq 11 to 101) were not recorded: the inspector fell behind the traffic. The relay itself lost nothing.',
    ]);
    expect((await thread.call('commands.query', {})).total).toBe(9);
    // Caught up: later events are recorded again.
    gw.emit(new EventScript().bytes('1', 'client', 'SYN 200 0\r\n').take().map((e) => ({ ...e, seq: 500 })));
    await until(async () => (await thread.call('commands.query', {})).total === 10);
  });

  it('reaches the emulator accounts on the main thread', async () => {
    const { thread } = await start({ accounts: true });
    expect(await thread.call('accounts.create', { handle: 'bob@example.com', password: 'pw' })).toEqual({ ok: true });
    expect((await thread.call('accounts.list', {})).map((a) => a.handle)).toEqual(['alice@example.com', 'bob@example.com']);
  });

  it('writes the capture log on its thread; shutdown flushes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inspector-thread-'));
    dirs.push(dir);
    const { gw, thread } = await start({ capture: dir });
    expect(thread.capture?.firstFile.startsWith(dir)).toBe(true);
    const s = new EventScript().open('1');
    s.exchange('1', 'VER 1 MSNP8 CVR0\r\n', 'VER 1 MSNP8\r\n');
    const sent = s.events.map((e) => e.type);
    gw.emit(s.take());
    await thread.shutdown();
    const [name] = await readdir(dir);
    const lines = (await readFile(join(dir, name), 'utf8')).trim().split('\n');
    // A header and one line per event, in order.
    expect(lines).toHaveLength(1 + sent.length);
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { event?: { type: string }; type?: string }).event?.type ?? (JSON.parse(l) as { type: string }).type)).toEqual(sent);
    await expect(thread.call('status.get', {})).rejects.toThrow('closed');
  });
});
