// `node bench/load.bench.ts [--sizes=1000,5000,10000] [--duration=30] [--warmup=5] [--ramp=500]
//   [--presence-every=60] [--chat-every=300] [--poll-ms=2000] [--group=10] [--no-capture] [--skip-bare]
//   [--inspector-on-main]
//   [--chart=docs/bench-load] [--out=reports/bench-load.json]`     quick: `--sizes=200,500 --duration=10`
// `node bench/load.bench.ts --chart-from=reports/bench-load.json [--chart=...]` redraws a saved run's chart.
//
// For each size N, twice: the measured process (a child: gateway + emulator + inspector + capture
// log; or a bare node:http server answering the same request forms) and a load process (a child:
// N MSN Messenger 6 users, MSNP8 TWN login with tickets from the emulator's TicketStore, then
// 2 s polls, presence changes and switchboard chats). Each process is fresh per size, so memory
// figures are the server's alone. Reported: requests/s, p50/p99 latency, errors, server memory.
// The curve is drawn as docs/bench-load.svg and .png (Chromium headless via playwright-core).
// Diagnostics: the server's GC pauses and event-loop delay are reported for each row;
// BENCH_CPU_PROFILE=PREFIX writes a CPU profile of the measured window (not the login ramp) per
// server; BENCH_SERVER_FLAGS='--flag ...' passes V8/Node flags to the measured process.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadavg } from 'node:os';
import { writeChart, chartSvg } from './lib/chart.ts';
import { forkChild } from './lib/ipc.ts';
import type { MeasureResult } from './lib/msn-load.ts';
import type { LoadUserInfo } from './lib/msn-stack.ts';
import { round } from './lib/stats.ts';
import type { StallReport } from './lib/stalls.ts';
import { flag, hasFlag, markdownTable } from './lib/table.ts';

const sizes = flag('sizes', '1000,5000,10000').split(',').map(Number);
const durationS = flag('duration', 30);
const warmupS = flag('warmup', 5);
const ramp = flag('ramp', 500);
const presenceEveryS = flag('presence-every', 60);
const chatEveryS = flag('chat-every', 300);
const pollMs = flag('poll-ms', 2000);
const group = flag('group', 10);
const chart = flag('chart', 'docs/bench-load');
const out = flag('out', 'reports/bench-load.json');
const GOAL = { sessions: 10000, p99Ms: 100, memoryMb: 1536 };

interface ServerStats {
  memory: { rssPeakMb: number; heapUsedPeakMb: number };
  heapAfterGcMb: number;
  /** The inspector thread's heap after GC (0 when it runs on the main thread). */
  inspectorHeapAfterGcMb: number;
  rssMb: number;
  events: number;
  sessions: number;
  commands: number;
  /** Null when the capture log runs on the inspector's thread (not visible from here). */
  captureDropped: number | null;
  stalls: StallReport;
  /** CPU the server process used in the window (all its threads), in % of one core. */
  cpuPercent: number;
  /** The same by thread name (Linux): `main` is the gateway's loop, WorkerThread the inspector's. */
  threadCpu: Record<string, number>;
  /** Niceness by thread name at the window's end (Linux). */
  threadNice: Record<string, number>;
}

interface Row {
  mode: 'gateway' | 'bare';
  sessions: number;
  load: MeasureResult;
  server: ServerStats;
  loadavg: number[];
}

const at = (epochMs: number, startMs: number) => ((epochMs - startMs) / 1000).toFixed(2);
const gaps = (st: StallReport, startMs: number) => st.longest.map((g) => `${at(g.atEpochMs, startMs)}: ${g.gapMs}/${g.cpuMs}/${g.gcMs}`).join(', ');

async function runOne(mode: 'gateway' | 'bare', n: number): Promise<Row> {
  const server = forkChild('./load-server.ts', ['--expose-gc', '--max-old-space-size=4096', ...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean)]);
  const client = forkChild('./msn-load-child.ts', ['--max-old-space-size=4096']);
  try {
    const started = await server.call<{ port: number; users: LoadUserInfo[] | null }>({ cmd: 'start', mode: mode === 'gateway' ? 'stack' : 'bare', users: n, group, capture: !hasFlag('no-capture'), thread: !hasFlag('inspector-on-main') });
    const login = await client.call<{ loginMs: number; loginErrors: number; errorSamples: string[] }>({
      cmd: 'login',
      options: { port: started.port, sessions: n, users: started.users, bare: mode === 'bare', group, rampPerSecond: ramp, pollMs, presenceEveryS, chatEveryS },
    });
    console.error(`  ${mode} ${n}: logged in in ${round(login.loginMs / 1000, 1)} s, ${login.loginErrors} login errors ${login.errorSamples.slice(0, 2).join(' | ')}`);
    await server.call({ cmd: 'sample-start' });
    const load = await client.call<MeasureResult>({ cmd: 'measure', warmupS, durationS });
    const stats = await server.call<ServerStats>({ cmd: 'sample-stop' });
    return { mode, sessions: n, load, server: stats, loadavg: loadavg().map((x) => round(x, 2)) };
  } finally {
    await client.exit();
    await server.exit();
  }
}

async function drawChart(rows: Row[], day: string): Promise<void> {
  const gw = rows.filter((r) => r.mode === 'gateway');
  const bare = rows.filter((r) => r.mode === 'bare');
  const pts = (rs: Row[], f: (r: Row) => number) => rs.map((r) => [r.sessions, f(r)] as [number, number]);
  const svg = chartSvg(`bench:load, ${day} (2 cores; load and server in separate processes)`, 'concurrent sessions', [...new Set(rows.map((r) => r.sessions))], [
    { title: 'Requests per second', yLabel: 'req/s', series: [{ name: 'gateway + inspector', color: '#1f6feb', points: pts(gw, (r) => r.load.requestsPerSecond) }, { name: 'bare node:http', color: '#888', dashed: true, points: pts(bare, (r) => r.load.requestsPerSecond) }] },
    { title: 'Latency', yLabel: 'ms', goal: { y: GOAL.p99Ms, label: 'p99 goal' }, series: [{ name: 'gateway p99', color: '#d1242f', points: pts(gw, (r) => r.load.latency.p99Ms) }, { name: 'gateway p50', color: '#1f6feb', points: pts(gw, (r) => r.load.latency.p50Ms) }, { name: 'bare p99', color: '#888', dashed: true, points: pts(bare, (r) => r.load.latency.p99Ms) }] },
    { title: 'Server memory (RSS peak)', yLabel: 'MB', goal: { y: GOAL.memoryMb, label: '1.5 GB goal' }, series: [{ name: 'gateway + inspector', color: '#1f6feb', points: pts(gw, (r) => r.server.memory.rssPeakMb) }, { name: 'bare node:http', color: '#888', dashed: true, points: pts(bare, (r) => r.server.memory.rssPeakMb) }] },
  ]);
  mkdirSync(dirname(chart), { recursive: true });
  const pngError = await writeChart(svg, `${chart}.svg`, `${chart}.png`);
  console.error(pngError ? `wrote ${chart}.svg (no PNG: ${pngError})` : `wrote ${chart}.svg and ${chart}.png`);
}

async function main(): Promise<void> {
  const from = flag('chart-from', '');
  if (from) {
    const saved = JSON.parse(readFileSync(from, 'utf8')) as { generatedAt: string; rows: Row[] };
    return drawChart(saved.rows, saved.generatedAt.slice(0, 10));
  }
  console.error(`load bench: sizes ${sizes.join(', ')}, ${durationS} s measured after ${warmupS} s warm-up; polls every ${pollMs} ms, presence every ~${presenceEveryS} s, a chat every ~${chatEveryS} s per user; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const rows: Row[] = [];
  for (const n of sizes) {
    if (!hasFlag('skip-bare')) rows.push(await runOne('bare', n));
    rows.push(await runOne('gateway', n));
    const r = rows.at(-1)!;
    console.error(`  gateway ${n}: ${round(r.load.requestsPerSecond, 0)} req/s, p99 ${round(r.load.latency.p99Ms, 1)} ms, errors ${r.load.errors}, RSS peak ${round(r.server.memory.rssPeakMb, 0)} MB`);
  }
  const table = markdownTable(
    ['server', 'sessions', 'online', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'chats', 'RSS peak MB', 'heap after GC MB (main + inspector)', 'events/s', 'CPU % server / load', 'load avg'],
    rows.map((r) => [
      r.mode === 'gateway' ? 'gateway + emulator + inspector + capture' : 'bare node:http',
      r.sessions, r.load.online, round(r.load.requestsPerSecond, 0), round(r.load.latency.p50Ms, 2), round(r.load.latency.p99Ms, 1), round(r.load.latency.maxMs, 0),
      r.load.errors + r.load.loginErrors, r.load.chatsDone, round(r.server.memory.rssPeakMb, 0), `${round(r.server.heapAfterGcMb, 0)} + ${round(r.server.inspectorHeapAfterGcMb, 0)}`,
      round((r.server.events / r.load.durationMs) * 1000, 0), `${round(r.server.cpuPercent, 0)} / ${round(r.load.cpuPercent, 0)}`, r.loadavg[0],
    ]),
  );
  console.log('## Load: legacy clients through the gateway\n');
  console.log(`MSNP8 users (TWN login), each polling every ${pollMs / 1000} s, a presence change every ~${presenceEveryS} s, a switchboard chat every ~${chatEveryS} s; ${durationS} s measured after ${warmupS} s warm-up. Load in one child process, server in another (fresh per row).\n`);
  console.log(table);
  const top = rows.filter((r) => r.mode === 'gateway').at(-1);
  if (top) {
    const met = top.sessions >= GOAL.sessions && top.load.errors + top.load.loginErrors === 0 && top.load.latency.p99Ms < GOAL.p99Ms && top.server.memory.rssPeakMb < GOAL.memoryMb;
    console.log(`\nGoal (${GOAL.sessions} sessions, no errors, p99 < ${GOAL.p99Ms} ms, memory < 1.5 GB): ${met ? 'met' : 'NOT met'} at ${top.sessions} sessions.`);
    for (const r of rows) if (r.load.errorSamples.length) console.log(`- ${r.mode} ${r.sessions}: ${r.load.errorSamples.slice(0, 3).join(' | ')}`);
    for (const r of rows.filter((x) => x.mode === 'gateway')) console.log(`- gateway ${r.sessions}: p99 by kind ${JSON.stringify(r.load.p99ByKind)}; requests by kind ${JSON.stringify(r.load.kinds)}`);
    for (const r of rows) console.log(`- ${r.mode} ${r.sessions} server stalls: event-loop delay ${JSON.stringify(r.server.stalls.loopDelayMs)} ms; GC ${JSON.stringify(r.server.stalls.gc)}; longest gaps (s into the window: gap / thread CPU / GC ms) ${gaps(r.server.stalls, r.load.startedAtEpochMs)}`);
    const byThread = (t: Record<string, number>, nice: Record<string, number> = {}) =>
      Object.entries(t).filter(([, v]) => v >= 0.5).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${round(v, 0)}${nice[k] ? ` (nice ${nice[k]})` : ''}`).join(', ');
    for (const r of rows) console.log(`- ${r.mode} ${r.sessions} CPU by thread (% of a core): server ${byThread(r.server.threadCpu, r.server.threadNice)}; load ${byThread(r.load.threadCpu)}`);
    for (const r of rows) console.log(`- ${r.mode} ${r.sessions} requests over 100 ms (s into the window: count per 250 ms) ${r.load.slowSlices.map((x) => `${at(x.atEpochMs, r.load.startedAtEpochMs)}: ${x.count}`).join(', ')}; load process gaps ${gaps(r.load.stalls, r.load.startedAtEpochMs)}`);
  }
  await drawChart(rows, new Date().toISOString().slice(0, 10));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, config: { sizes, durationS, warmupS, ramp, presenceEveryS, chatEveryS, pollMs, group }, goal: GOAL, rows }, null, 2) + '\n');
  console.error(`wrote ${out}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
