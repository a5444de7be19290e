// `node bench/gateway.bench.ts [--clients=50] [--duration=10] [--quiet-ms=1] [--payload=120]
//   [--polls-per-send=1] [--rounds=2] [--defaults-duration=<s>] [--skip-defaults] [--skip-no-listener] [--out=reports/bench-gateway.json]`
//
// Phases with the same load (phases 1 and 2 alternate for --rounds rounds, best of each kept) (N keep-alive clients in a child process, each its own session,
// a send whose echo must come back, then --polls-per-send idle polls):
//   1. a bare node:http server answering the same bytes with the same headers (the baseline);
//   2. the gateway relaying to a TCP echo upstream, quiet window shortened to --quiet-ms;
//   3. the same without an event listener (shows what building the events costs);
//   4. the gateway with its default reply timing (30 ms quiet window: replies wait by design).
// Phase 2 has one counting event listener attached, as the inspector always has.
// Goal: phase 2 reaches >= 0.6 of phase 1's requests/s. Run with `node --expose-gc` to level
// memory between phases (RSS is process-wide, so later phases include earlier high-water marks).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createGateway } from '../electron/gateway/index.ts';
import type { GatewayOptions } from '../electron/gateway/types.ts';
import { startRemoteLoad } from './lib/load-remote.ts';
import { startBareServer } from './lib/bare-server.ts';
import type { LoadResult } from './lib/load.ts';
import { MemorySampler, settle, type MemorySummary } from './lib/memory.ts';
import { round } from './lib/stats.ts';
import { flag, hasFlag, markdownTable } from './lib/table.ts';

const clients = flag('clients', 50);
const durationS = flag('duration', 10);
const quietMs = flag('quiet-ms', 1);
const payloadBytes = flag('payload', 120);
const defaultsDurationS = flag('defaults-duration', durationS);
const out = flag('out', 'reports/bench-gateway.json');
const pollsPerSend = flag('polls-per-send', 1);
const rounds = flag('rounds', 2);
const GOAL = 0.6;
// The clients and the echo upstream live in a child process: the server under test has this
// process (and its memory figures) to itself, for the baseline and the gateway alike.
const remote = startRemoteLoad();

interface Phase {
  name: string;
  note: string;
  load: LoadResult;
  memory: MemorySummary;
  events?: number;
}

async function measure(name: string, note: string, port: number, seconds: number): Promise<Phase> {
  const gcRan = await settle();
  const sampler = new MemorySampler();
  sampler.start();
  const load = await remote.run({ port, clients, durationMs: seconds * 1000, payloadBytes, pollsPerSend });
  const memory = sampler.stop();
  return { name, note: gcRan ? note : `${note} (no --expose-gc)`, load, memory };
}

async function gatewayPhase(name: string, note: string, extra: Partial<GatewayOptions>, seconds: number, listen = true): Promise<Phase> {
  const upstream = await remote.echoUpstream();
  const gateway = createGateway({
    host: '127.0.0.1',
    port: 0,
    upstream: { kind: 'tcp', host: upstream.host, port: upstream.port },
    maxSessions: Math.max(20000, clients * 2),
    ...extra,
  });
  let events = 0;
  // The inspector always listens; a counting listener keeps emission on the measured path.
  const off = listen
    ? gateway.onEvent(() => {
        events++;
      })
    : () => {};
  const { port } = await gateway.listen();
  try {
    const phase = await measure(name, note, port, seconds);
    if (listen) phase.events = events;
    return phase;
  } finally {
    off();
    await gateway.close();
  }
}

async function main(): Promise<void> {
  console.error(`gateway bench: ${clients} clients, ${durationS} s per phase, payload ${payloadBytes} B, quietMs ${quietMs} for the throughput row`);
  // Baseline and gateway alternate for --rounds rounds and each keeps its best round, so a burst
  // of noise from the shared machine does not decide the ratio.
  let baseline: Phase | null = null;
  let tuned: Phase | null = null;
  const better = (a: Phase | null, b: Phase) => (a === null || b.load.requestsPerSecond > a.load.requestsPerSecond ? b : a);
  for (let round = 0; round < rounds; round++) {
    const bare = await startBareServer();
    baseline = better(baseline, await measure('bare node:http', 'same response bytes and headers, no relay', bare.port, durationS).finally(() => bare.close()));
    tuned = better(tuned, await gatewayPhase('gateway (quietMs=' + quietMs + ')', `TCP echo upstream; quiet window shortened to ${quietMs} ms for throughput`, { quietMs }, durationS));
  }
  if (baseline === null || tuned === null) throw new Error('--rounds must be at least 1');
  const phases = [baseline, tuned];
  if (!hasFlag('skip-no-listener')) {
    phases.push(await gatewayPhase(`gateway (quietMs=${quietMs}, no listener)`, 'as the throughput row, with no event listener (events not built)', { quietMs }, durationS, false));
  }
  if (!hasFlag('skip-defaults')) {
    phases.push(await gatewayPhase('gateway (defaults)', 'TCP echo upstream; default 30 ms quiet window delays every reply by design', {}, defaultsDurationS));
  }
  const ratio = tuned.load.requestsPerSecond / baseline.load.requestsPerSecond;

  const rows = phases.map((p) => [
    p.name,
    p.load.clients,
    round(p.load.requestsPerSecond, 0),
    round(p.load.latency.p50Ms, 2),
    round(p.load.latency.p99Ms, 2),
    round(p.load.echoLatency.p50Ms, 2),
    round(p.load.echoLatency.p99Ms, 2),
    round(p.memory.rssPeakMb, 1),
    round(p.memory.heapUsedPeakMb, 1),
    p.load.errors,
  ]);
  console.log('## Gateway benchmark\n');
  console.log(`${clients} keep-alive clients, ${durationS} s per phase, best of ${rounds} alternating rounds for the first two rows, one session each, send (MSG with ${payloadBytes} B payload, echoed) then ${pollsPerSend} idle poll(s).\n`);
  console.log(
    markdownTable(
      ['phase', 'clients', 'req/s', 'p50 ms', 'p99 ms', 'echo p50 ms', 'echo p99 ms', 'RSS peak MB', 'heap peak MB', 'errors'],
      rows,
    ),
  );
  console.log(`\nratio gateway(quietMs=${quietMs}) / bare node:http = **${ratio.toFixed(2)}** (goal >= ${GOAL}: ${ratio >= GOAL ? 'met' : 'NOT met'})`);
  console.log(`\nNotes: the throughput row sets quietMs=${quietMs}; with the default 30 ms quiet window each send waits for upstream silence, so the defaults row measures reply timing, not capacity. The clients and the echo upstream run in a child process; the server under test has this process to itself. RSS is process-wide (phases run in the table's order).`);
  for (const p of phases) if (p.load.firstError) console.log(`- ${p.name}: first error: ${p.load.firstError}`);

  const report = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    config: { clients, durationS, defaultsDurationS, quietMs, payloadBytes, pollsPerSend, rounds },
    goal: GOAL,
    ratio: round(ratio, 3),
    goalMet: ratio >= GOAL,
    phases: phases.map((p) => ({ name: p.name, note: p.note, events: p.events, ...p.load, memory: p.memory })),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  await remote.close();
  console.error(`wrote ${out}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
