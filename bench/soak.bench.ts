// `node --expose-gc bench/soak.bench.ts [--minutes=10] [--long] [--concurrent=300] [--life-s=20]
//   [--sample-s=10] [--max-growth-mb=16] [--out=reports/bench-soak.json]`
//
// A time-compressed soak: --concurrent users signed in at once, each session living ~--life-s
// (polls, presence changes, chats), then OUT and a new session at once, for --minutes (--long:
// 60). Gateway + emulator + inspector + capture log and the users share this process (the soak
// looks for a trend, not a figure). The inspector's retention windows are scaled down (20,000
// commands, 20,000 exchanges, 1,000 closed sessions) so the steady state comes within the
// warm-up; a leak then shows as growth of the heap after GC between the first and last third.
// Sessions a client left after OUT are reaped at the gateway's idle timeout, compressed to
// --idle-s (30). Exits 1 when that growth exceeds --max-growth-mb or any request failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadavg } from 'node:os';
import { runSoak } from './lib/soak.ts';
import { round } from './lib/stats.ts';
import { flag, hasFlag, markdownTable } from './lib/table.ts';

const minutes = hasFlag('long') ? flag('minutes', 60) : flag('minutes', 10);
const concurrent = flag('concurrent', 300);
const lifeS = flag('life-s', 20);
const sampleS = flag('sample-s', 10);
const maxGrowthMb = flag('max-growth-mb', 16);
const idleS = flag('idle-s', 30);
const out = flag('out', 'reports/bench-soak.json');

async function main(): Promise<void> {
  console.error(`soak: ${minutes} min, ${concurrent} concurrent users, sessions of ~${lifeS} s; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const r = await runSoak({
    durationMs: minutes * 60_000,
    concurrent,
    sessionLifeMs: lifeS * 1000,
    sampleEveryMs: sampleS * 1000,
    // Sessions left after OUT wait for the idle timeout (default 120 s), compressed to --idle-s.
    stack: { idleTimeoutMs: idleS * 1000, inspector: { memoryCommands: 20_000, maxExchanges: 20_000, maxFindings: 5_000, maxClosedSessions: 1_000 } },
    onSample: (s) => console.error(`  ${round(s.t, 0)} s: heap after GC ${round(s.heapAfterGcMb, 1)} MB (inspector ${round(s.inspectorHeapAfterGcMb, 1)}), RSS ${round(s.rssMb, 0)} MB, ${s.sessionsOpened} sessions opened, ${s.liveGatewaySessions} live, ${s.errors} errors`),
  });
  const ok = r.errors === 0 && r.growthMb <= maxGrowthMb;
  console.log('## Soak\n');
  console.log(`${minutes} min, ${concurrent} users at once, sessions of ~${lifeS} s: ${r.sessionsOpened} sessions opened, ${r.requests} requests, ${r.errors} errors.\n`);
  const step = Math.max(1, Math.floor(r.samples.length / 12));
  console.log(markdownTable(['t s', 'heap after GC MB (both threads)', 'of which inspector thread', 'RSS MB', 'sessions opened', 'live gateway sessions'], r.samples.filter((_, i) => i % step === 0 || i === r.samples.length - 1).map((s) => [round(s.t, 0), round(s.heapAfterGcMb, 1), round(s.inspectorHeapAfterGcMb, 1), round(s.rssMb, 0), s.sessionsOpened, s.liveGatewaySessions])));
  console.log(`\nheap after GC: first third max ${round(r.firstThirdMb, 1)} MB, last third max ${round(r.lastThirdMb, 1)} MB, growth ${round(r.growthMb, 1)} MB (bound ${maxGrowthMb} MB); slope over the last two thirds ${round(r.slopeMbPerMin, 2)} MB/min. ${ok ? 'PASS' : 'FAIL'}`);
  for (const e of r.errorSamples) console.log(`- ${e}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, config: { minutes, concurrent, lifeS, sampleS, maxGrowthMb }, ok, ...r }, null, 2) + '\n');
  process.exitCode = ok ? 0 : 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
