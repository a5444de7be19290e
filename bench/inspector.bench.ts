// `node --expose-gc bench/inspector.bench.ts [--sessions=1000] [--burst-commands=300000] [--rate=5000]
//   [--duration=90] [--capture-commands=1000000] [--cache-dir=<tmp>/msn-gateway-inspector-bench]
//   [--skip-burst] [--skip-sustained] [--skip-open] [--out=reports/bench-inspector.json]`
//
// 1. Ingest at full speed (the same generated events in every row): baseline = each event counted
//    and JSON-serialized as the capture log would; the inspector API (model + batches serialized
//    once each, as the WebSocket transport does); the inspector API plus the NDJSON capture log.
// 2. Sustained ingest at --rate commands/s for --duration s (inspector + capture log): commands/s
//    reached, how far behind the schedule it fell, heap after GC over time (bounded memory).
// 3. Opening a --capture-commands capture (written once with CaptureWriter, kept in --cache-dir)
//    through `capture.open` to the first page of `commands.query`; baseline: reading its bytes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CaptureWriter, captureFiles, readCapture } from '../electron/capture/index.ts';
import { encodeRecord } from '../electron/capture/format.ts';
import { openHeadlessCapture, type HeadlessCapture } from '../electron/headless/capture-adapter.ts';
import { createInspectorApi, type InspectorApi } from '../electron/inspector/api.ts';
import { EventStream } from './lib/event-stream.ts';
import { heapAfterGc, mb } from './lib/heap.ts';
import { MemorySampler, settle } from './lib/memory.ts';
import { round } from './lib/stats.ts';
import { flag, hasFlag, markdownTable } from './lib/table.ts';

const sessions = flag('sessions', 1000);
const burstCommands = flag('burst-commands', 300_000);
const rate = flag('rate', 5000);
const durationS = flag('duration', 90);
const captureCommands = flag('capture-commands', 1_000_000);
const cacheDir = flag('cache-dir', join(tmpdir(), 'msn-gateway-inspector-bench'));
const out = flag('out', 'reports/bench-inspector.json');
const INGEST_GOAL = 5000;
const OPEN_GOAL_MS = 2000;
const fakeGateway = { onEvent: () => () => {}, injectToClient: () => false, injectToServer: () => false };
const yieldNow = () => new Promise((r) => setImmediate(r));

interface Inspector {
  api: InspectorApi;
  capture: HeadlessCapture | null;
  batches: number;
  batchBytes: number;
  close(): Promise<void>;
}

async function inspector(withCapture: boolean): Promise<Inspector> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-capture-'));
  const capture = withCapture ? await openHeadlessCapture({ dir, appVersion: 'bench', diskBytes: 8 * 1024 ** 3 }) : null;
  const api = createInspectorApi({ gateway: fakeGateway, ...(capture ? { capture: capture.port } : {}) });
  const self: Inspector = {
    api,
    capture,
    batches: 0,
    batchBytes: 0,
    async close() {
      api.close();
      await capture?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // A connected UI: each batch is serialized once (ws-transport does this for all its clients).
  api.onBatch((batch) => {
    self.batches++;
    self.batchBytes += JSON.stringify(batch).length;
  });
  return self;
}

interface BurstRow {
  name: string;
  commands: number;
  events: number;
  ms: number;
  commandsPerSecond: number;
  eventsPerSecond: number;
  heapAfterGcMb: number;
  rssPeakMb: number;
}

async function burst(name: string, consume: ((e: ReturnType<EventStream['next']>['event']) => void) | null, done?: () => Promise<void>): Promise<BurstRow> {
  await settle();
  const stream = new EventStream({ sessions, seed: 7 });
  const sampler = new MemorySampler();
  sampler.start();
  const t0 = performance.now();
  let n = 0;
  while (stream.commands < burstCommands) {
    const { event } = stream.next();
    consume?.(event);
    if (++n % 2000 === 0) await yieldNow();
  }
  await done?.();
  const ms = performance.now() - t0;
  const mem = sampler.stop();
  return {
    name,
    commands: stream.commands,
    events: stream.events,
    ms,
    commandsPerSecond: (stream.commands / ms) * 1000,
    eventsPerSecond: (stream.events / ms) * 1000,
    heapAfterGcMb: mb(await heapAfterGc()),
    rssPeakMb: mem.rssPeakMb,
  };
}

async function burstPhase(): Promise<BurstRow[]> {
  const rows: BurstRow[] = [];
  rows.push(await burst('generate only', null));
  let chars = 0;
  rows.push(await burst('baseline: count + JSON.stringify (encodeRecord)', (e) => (chars += encodeRecord(e).length)));
  const a = await inspector(false);
  rows.push(await burst('inspector API (model, batches serialized)', (e) => a.api.ingest(e), async () => a.api.flush()));
  await a.close();
  const b = await inspector(true);
  rows.push(await burst('inspector API + NDJSON capture log', (e) => b.api.ingest(e), async () => (b.api.flush(), await b.capture!.writer.flush())));
  await b.close();
  return rows;
}

interface Sample { t: number; commands: number; behind: number; heapMb: number; heapAfterGcMb: number | null; rssMb: number }

async function sustained() {
  await settle();
  const ins = await inspector(true);
  const stream = new EventStream({ sessions, seed: 11 });
  const samples: Sample[] = [];
  const t0 = performance.now();
  const end = t0 + durationS * 1000;
  let lastSample = t0;
  let maxBehind = 0;
  let sampleNo = 0;
  // Time the bench spends in its own forced full GCs (heap sampling) is not the inspector's: the
  // schedule and the elapsed time both leave it out, so it cannot count as falling behind.
  let instrumentMs = 0;
  while (performance.now() < end + instrumentMs) {
    const due = ((performance.now() - t0 - instrumentMs) / 1000) * rate;
    // Catch up to the schedule, in slices so timers (batches, capture flushes) keep running.
    let k = 0;
    while (stream.commands < due && k++ < 5000) ins.api.ingest(stream.next().event);
    const behind = Math.max(0, due - stream.commands);
    maxBehind = Math.max(maxBehind, behind);
    const now = performance.now();
    if (now - lastSample >= 1000) {
      lastSample = now;
      const gcNow = ++sampleNo % 5 === 0;
      const m = process.memoryUsage();
      const gcStart = performance.now();
      const afterGc = gcNow ? mb(await heapAfterGc()) : null;
      instrumentMs += performance.now() - gcStart;
      samples.push({ t: (now - t0 - instrumentMs) / 1000, commands: stream.commands, behind, heapMb: mb(m.heapUsed), heapAfterGcMb: afterGc, rssMb: mb(m.rss) });
    }
    await new Promise((r) => setTimeout(r, stream.commands >= due ? 5 : 0));
  }
  ins.api.flush();
  await ins.capture!.writer.flush();
  const elapsed = (performance.now() - t0 - instrumentMs) / 1000;
  const status = await ins.api.call('status.get', {});
  const result = {
    rate,
    durationS: elapsed,
    commands: stream.commands,
    events: stream.events,
    commandsPerSecond: stream.commands / elapsed,
    maxBehindCommands: Math.round(maxBehind),
    instrumentSeconds: instrumentMs / 1000,
    batches: ins.batches,
    batchesPerSecond: ins.batches / elapsed,
    inMemory: status.counts.inMemory,
    evicted: status.counts.evicted,
    captureDropped: ins.capture!.writer.stats.dropped,
    samples,
  };
  await ins.close();
  return result;
}

async function ensureCapture(): Promise<{ dir: string; commands: number; events: number; bytes: number; writeMs: number | null }> {
  const dir = join(cacheDir, `capture-${captureCommands}`);
  const marker = join(dir, 'bench.json');
  if (existsSync(marker)) return { ...JSON.parse(readFileSync(marker, 'utf8')), dir, writeMs: null };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const writer = await CaptureWriter.open({ dir, appVersion: 'bench', diskBytes: 16 * 1024 ** 3, segmentBytes: 1024 ** 3 });
  const stream = new EventStream({ sessions, seed: 3, burst: 10 });
  let n = 0;
  while (stream.commands < captureCommands) {
    writer.write(stream.next().event);
    if (++n % 5000 === 0) await writer.flush();
  }
  await writer.close();
  const files = await captureFiles(dir);
  let bytes = 0;
  for (const f of files) bytes += (await readFile(f)).length;
  const info = { commands: stream.commands, events: stream.events, bytes };
  writeFileSync(marker, JSON.stringify(info));
  return { ...info, dir, writeMs: performance.now() - t0 };
}

async function openPhase() {
  const cap = await ensureCapture();
  const files = await captureFiles(cap.dir);
  await settle();
  let t0 = performance.now();
  let bytes = 0;
  for (const f of files) bytes += (await readFile(f)).length;
  const readBytesMs = performance.now() - t0;
  await settle();
  t0 = performance.now();
  let parsed = 0;
  for (const f of files) for await (const _ of readCapture(f)) parsed++;
  const parseMs = performance.now() - t0;
  await settle();
  const ins = await inspector(true);
  const sampler = new MemorySampler();
  sampler.start();
  t0 = performance.now();
  const opened = await ins.api.call('capture.open', { path: cap.dir });
  const openMs = performance.now() - t0;
  const page = await ins.api.call('commands.query', { limit: 100 });
  const firstPageMs = performance.now() - t0;
  const mem = sampler.stop();
  const heapMb = mb(await heapAfterGc());
  await ins.close();
  if (!opened.ok) throw new Error(`capture.open failed: ${opened.error}`);
  return { ...cap, files: files.length, readBytesMs, parsedEvents: parsed, parseMs, openMs, firstPageMs, firstPageItems: page.items.length, total: page.total, rssPeakMb: mem.rssPeakMb, heapAfterOpenMb: heapMb };
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = { generatedAt: new Date().toISOString(), node: process.version, config: { sessions, burstCommands, rate, durationS, captureCommands } };
  if (!hasFlag('skip-burst')) {
    const rows = await burstPhase();
    report.burst = rows;
    console.log('## Inspector ingest, full speed\n');
    console.log(`${burstCommands} commands of a generated MSNP8 gateway stream (${sessions} live sessions, ~4 events per command: heads, polls, sends, pushes).\n`);
    console.log(markdownTable(['row', 'commands/s', 'events/s', 'ms', 'heap after GC MB', 'RSS peak MB'], rows.map((r) => [r.name, round(r.commandsPerSecond, 0), round(r.eventsPerSecond, 0), round(r.ms, 0), round(r.heapAfterGcMb, 1), round(r.rssPeakMb, 1)])));
    const base = rows[1].commandsPerSecond;
    console.log(`\nratio inspector / baseline = ${(rows[2].commandsPerSecond / base).toFixed(2)}; with capture log = ${(rows[3].commandsPerSecond / base).toFixed(2)}\n`);
  }
  if (!hasFlag('skip-sustained')) {
    const s = await sustained();
    report.sustained = s;
    const gcs = s.samples.filter((x) => x.heapAfterGcMb !== null);
    const third = Math.max(1, Math.floor(gcs.length / 3));
    const first = Math.max(...gcs.slice(0, third).map((x) => x.heapAfterGcMb!));
    const last = Math.max(...gcs.slice(-third).map((x) => x.heapAfterGcMb!));
    const met = s.commandsPerSecond >= INGEST_GOAL * 0.98 && s.maxBehindCommands < rate;
    Object.assign(s, { heapAfterGcFirstThirdMb: first, heapAfterGcLastThirdMb: last, goalMet: met });
    console.log('## Inspector ingest, sustained (inspector + capture log)\n');
    console.log(`target ${rate} commands/s for ${durationS} s: reached **${round(s.commandsPerSecond, 0)} commands/s** (${s.commands} commands, ${s.events} events), at most ${s.maxBehindCommands} commands behind schedule (the bench's own forced GCs for heap sampling, ${round(s.instrumentSeconds, 1)} s, left out of the schedule); ${round(s.batchesPerSecond, 1)} batches/s; in memory ${s.inMemory}, evicted ${s.evicted}; capture dropped ${s.captureDropped}. Goal >= ${INGEST_GOAL}/s: ${met ? 'met' : 'NOT met'}.\n`);
    console.log(markdownTable(['t s', 'commands', 'behind', 'heap MB', 'heap after GC MB', 'RSS MB'], gcs.map((x) => [round(x.t, 0), x.commands, round(x.behind, 0), round(x.heapMb, 0), round(x.heapAfterGcMb!, 1), round(x.rssMb, 0)])));
    console.log(`\nheap after GC: max of the first third ${round(first, 1)} MB, of the last third ${round(last, 1)} MB\n`);
  }
  if (!hasFlag('skip-open')) {
    const o = await openPhase();
    report.open = { ...o, goalMs: OPEN_GOAL_MS, goalMet: o.firstPageMs < OPEN_GOAL_MS };
    console.log('## Opening a capture to its first page\n');
    console.log(`${o.commands} commands, ${o.events} events, ${o.files} segment file(s), ${round(o.bytes / 1024 ** 2, 0)} MB${o.writeMs !== null ? ` (written in ${round(o.writeMs / 1000, 1)} s)` : ' (cached)'}.\n`);
    console.log(markdownTable(['step', 'ms'], [
      ['baseline: read the file bytes', round(o.readBytesMs, 0)],
      ['readCapture: parse every event', round(o.parseMs, 0)],
      ['capture.open (parse + model)', round(o.openMs, 0)],
      ['capture.open + first commands.query page (100)', round(o.firstPageMs, 0)],
    ]));
    console.log(`\nfirst page: ${o.firstPageItems} of ${o.total} commands; ratio to reading the bytes ${(o.firstPageMs / o.readBytesMs).toFixed(1)}x; RSS peak ${round(o.rssPeakMb, 0)} MB, heap after open ${round(o.heapAfterOpenMb, 0)} MB. Goal < ${OPEN_GOAL_MS} ms: ${o.firstPageMs < OPEN_GOAL_MS ? 'met' : 'NOT met'}.`);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.error(`wrote ${out}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
