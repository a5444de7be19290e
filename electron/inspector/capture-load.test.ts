// capture.open on a big or slow source: the answer comes with the first page, the rest loads in the
// background with progress in batches, queries stay right as commands arrive, and a clear, another
// open or close stops the reading.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../shared/api/contract.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { EventScript } from './__test__/synthetic.ts';
import { createInspectorApi } from './api.ts';
import type { InspectorApi } from './api.ts';
import type { CapturePort, EventSource } from './capture-port.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Three sessions; `commands` CHG request/reply pairs spread over them. */
function captureEvents(commands: number): GatewayEvent[] {
  const s = new EventScript().open('1').open('2').open('3');
  for (let i = 1; i <= commands / 2; i++) {
    const id = String((i % 3) + 1);
    s.bytes(id, 'client', `CHG ${i} NLN 0\r\n`).bytes(id, 'server', `CHG ${i} ${i % 10 === 0 ? 'AWY' : 'NLN'} 0\r\n`);
  }
  return s.take();
}

/** A source that hands out `events` in batches and stops at `gate` until it is opened. */
function gatedSource(events: GatewayEvent[], holdAfter: number) {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const state = { closed: false, served: 0 };
  const source: EventSource = {
    async *[Symbol.asyncIterator]() {
      for await (const b of this.batches!()) for (const e of b) yield e;
    },
    async *batches() {
      try {
        for (let i = 0; i < events.length; i += 100) {
          if (i >= holdAfter) await gate;
          state.served = i + 100;
          yield events.slice(i, i + 100);
        }
      } finally {
        state.closed = true;
      }
    },
  } as EventSource;
  return { source, open: () => open(), state };
}

let apis: InspectorApi[] = [];
afterEach(() => {
  for (const a of apis) a.close();
  apis = [];
});

function setup(sources: Record<string, EventSource | (() => EventSource)>) {
  const capture: CapturePort = {
    append: () => undefined,
    currentFile: () => null,
    open: async (path) => {
      const s = sources[path];
      if (s === undefined) throw new Error('no such capture');
      return typeof s === 'function' ? s() : s;
    },
    save: async () => ({ bytes: 0 }),
    export: async () => ({ bytes: 0 }),
    import: async () => [],
  };
  const gw = { onEvent: () => () => {}, injectToClient: () => false, injectToServer: () => false };
  const api = createInspectorApi({ gateway: gw, capture, batchIntervalMs: 10, captureLoad: { firstPageCommands: 1000, firstPageMs: 10_000, sliceMs: 1 } });
  apis.push(api);
  const batches: EventBatch[] = [];
  api.onBatch((b) => batches.push(b));
  return { api, batches };
}

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

describe('capture.open loads in the background', () => {
  it('answers with the first page, then reports progress and keeps queries right as the rest arrives', async () => {
    const events = captureEvents(6000);
    const gated = gatedSource(events, 2000);
    const { api, batches } = setup({ '/big': gated.source });
    const opened = await api.call('capture.open', { path: '/big' });
    expect(opened.ok).toBe(true);
    const first = (opened as { commands: number }).commands;
    expect(first).toBeGreaterThanOrEqual(1000);
    expect(first).toBeLessThan(6000);

    const page = await api.call('commands.query', { limit: 100 });
    expect(page.items.map((c) => c.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(page.items[1].pairId).toBe(1);
    const away = await api.call('commands.query', { filter: 'AWY', limit: 5000 });
    expect(away.total).toBeGreaterThan(0);
    expect((await api.call('status.get', {})).captureFile).toBe('/big');

    gated.open();
    await until(async () => (await api.call('status.get', {})).counts.commands === 6000);
    await sleep(30);
    // The same filter, cached, picks up what arrived since; every 10th reply is AWY.
    const after = await api.call('commands.query', { filter: 'AWY', limit: 5000 });
    expect(after.total).toBe(300);
    expect(after.items.every((c) => c.args.includes('AWY'))).toBe(true);
    expect((await api.call('commands.query', { offset: 5900, limit: 100 })).items.at(-1)!.id).toBe(6000);
    expect((await api.call('sessions.list', {})).map((s) => s.counts.commandsFromClient + s.counts.commandsFromServer)).toEqual([2000, 2000, 2000]);

    // Batches: a clear with the first page and one once all is loaded (the UI pages the capture on
    // each), no streamed commands, status counts growing to the total, every session at the end.
    expect(batches.filter((b) => b.cleared)).toHaveLength(2);
    expect(batches.at(-1)!.cleared).toBe(true);
    expect(batches.at(-1)!.status!.counts.commands).toBe(6000);
    expect(batches.every((b) => b.commands.length === 0)).toBe(true);
    const counts = batches.flatMap((b) => (b.status ? [b.status.counts.commands] : []));
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.at(-1)).toBe(6000);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(batches.at(-1)!.sessions.map((s) => s.id).sort()).toEqual(['1', '2', '3']);
  });

  it('answers within firstPageMs when the source stalls before a first page is in', async () => {
    const gated = gatedSource(captureEvents(2000), 300);
    const capture: CapturePort = {
      append: () => undefined,
      currentFile: () => null,
      open: async () => gated.source,
      save: async () => ({ bytes: 0 }),
      export: async () => ({ bytes: 0 }),
      import: async () => [],
    };
    const gw = { onEvent: () => () => {}, injectToClient: () => false, injectToServer: () => false };
    const api = createInspectorApi({ gateway: gw, capture, captureLoad: { firstPageMs: 50 } });
    apis.push(api);
    // The gate opens only after the answer: the answer cannot have waited for the rest.
    const opened = await api.call('capture.open', { path: '/slow' });
    // Everything before the stall (300 events: the session opens, then one command each).
    expect(opened).toEqual({ ok: true, commands: 297 });
    expect((await api.call('commands.query', {})).total).toBe(297);
    gated.open();
    await until(async () => (await api.call('status.get', {})).counts.commands === 2000);
  });

  it('a small capture is read whole before the answer', async () => {
    const { api } = setup({ '/small': captureEvents(200) });
    expect(await api.call('capture.open', { path: '/small' })).toEqual({ ok: true, commands: 200 });
  });

  it('clear, another open and close each stop the reading and close the source', async () => {
    const events = captureEvents(4000);
    const a = gatedSource(events, 1500);
    const b = gatedSource(events, 1500);
    const c = gatedSource(events, 1500);
    const { api } = setup({ '/a': a.source, '/b': b.source, '/c': c.source, '/small': captureEvents(10) });

    await api.call('capture.open', { path: '/a' });
    await api.call('capture.clear', {});
    a.open();
    await until(async () => a.state.closed);
    expect(a.state.served).toBeLessThan(events.length);
    expect((await api.call('status.get', {})).counts.commands).toBe(0);

    await api.call('capture.open', { path: '/b' });
    expect(await api.call('capture.open', { path: '/small' })).toEqual({ ok: true, commands: 10 });
    b.open();
    await until(async () => b.state.closed);
    expect((await api.call('status.get', {})).counts.commands).toBe(10);

    await api.call('capture.open', { path: '/c' });
    api.close();
    c.open();
    await until(async () => c.state.closed);
    expect(c.state.served).toBeLessThan(events.length);
  });

  it('a failed open leaves the capture on view loading; a failure after the first page is a finding', async () => {
    const events = captureEvents(4000);
    const gated = gatedSource(events, 1500);
    const broken = (): EventSource => ({
      async *[Symbol.asyncIterator]() {
        yield* events.slice(0, 2500);
        throw new Error('line 2501 is damaged');
      },
    });
    const { api } = setup({ '/a': gated.source, '/broken': broken });
    await api.call('capture.open', { path: '/a' });
    expect(await api.call('capture.open', { path: '/missing' })).toEqual({ ok: false, error: 'cannot open /missing: no such capture' });
    gated.open();
    await until(async () => (await api.call('status.get', {})).counts.commands === 4000);
    expect((await api.call('status.get', {})).captureFile).toBe('/a');

    expect(await api.call('capture.open', { path: '/broken' })).toMatchObject({ ok: true });
    await until(async () => (await api.call('findings.list', {})).items.some((f) => f.message.includes('damaged')));
    const finding = (await api.call('findings.list', {})).items.find((f) => f.message.includes('damaged'))!;
    expect(finding).toMatchObject({ severity: 'error', message: expect.stringContaining('reading the capture stopped after 2500 events') });
    expect((await api.call('status.get', {})).counts.commands).toBeGreaterThan(2000);
  });
});
