// `npm run bench:codec`: decode a generated realistic MSNP stream (>= 100 MB in all) with the
// framer, beside a baseline in the same run: a bare loop that only splits the same bytes at CRLF.
import { Framer } from '../shared/msnp/framer.ts';
import { generateStream, type GeneratedStream } from './lib/msnp-stream.ts';
import { writeFileSync, mkdirSync } from 'node:fs';

const totalMb = Number(process.argv.find((a) => a.startsWith('--mb='))?.slice(5) ?? 120);
const chunkSize = 64 * 1024; // a typical socket read
// Five rounds: other processes on a shared machine can take a core for a whole round.
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);

const kinds = [
  ['client', 'NS'],
  ['server', 'NS'],
  ['client', 'SB'],
  ['server', 'SB'],
] as const;
const perStream = Math.ceil((totalMb * 1024 * 1024) / kinds.length);
const streams: GeneratedStream[] = kinds.map(([d, s], i) => generateStream(d, s, perStream, i + 1));
const totalBytes = streams.reduce((n, s) => n + s.bytes.length, 0);
const totalCommands = streams.reduce((n, s) => n + s.commands, 0);

function chunks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) out.push(bytes.subarray(at, Math.min(at + chunkSize, bytes.length)));
  return out;
}
const chunked = streams.map((s) => chunks(s.bytes));

/**
 * Baseline: split the bytes at every CRLF, carrying a partial line across chunks: each line becomes
 * a view (no copy), which is the least any framer must produce per line.
 */
let sink: Uint8Array | null = null;
function baseline(): number {
  let lines = 0;
  for (const list of chunked) {
    let tail: Uint8Array | null = null;
    for (const chunk of list) {
      let buf = chunk;
      if (tail) {
        buf = new Uint8Array(tail.length + chunk.length);
        buf.set(tail);
        buf.set(chunk, tail.length);
      }
      let start = 0;
      for (;;) {
        const cr = buf.indexOf(13, start);
        if (cr < 0 || cr + 1 >= buf.length) break;
        if (buf[cr + 1] === 10) {
          sink = buf.subarray(start, cr);
          lines++;
          start = cr + 2;
        } else start = cr + 1;
      }
      tail = start < buf.length ? buf.subarray(start) : null;
    }
  }
  if (sink === null && lines > 0) throw new Error('unreachable');
  return lines;
}

function framer(): number {
  let commands = 0;
  let malformed = 0;
  streams.forEach((s, i) => {
    const f = new Framer({ direction: s.direction, server: s.server, version: 12 });
    for (const chunk of chunked[i]) {
      for (const item of f.push(chunk)) item.kind === 'command' ? commands++ : malformed++;
    }
    for (const item of f.end()) item.kind === 'command' ? commands++ : malformed++;
  });
  if (malformed) throw new Error(`the generated stream decoded with ${malformed} malformed items`);
  if (commands !== totalCommands) throw new Error(`decoded ${commands} commands, generated ${totalCommands}`);
  return commands;
}

function time(fn: () => number): { seconds: number; cpuSeconds: number; count: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const count = fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, count };
}

// Warm up both, then alternate so machine noise hits both alike; keep the best round of each.
// CPU time is kept beside wall time: it barely moves when other processes share the machine.
baseline();
framer();
const best = { base: Infinity, codec: Infinity, baseCpu: Infinity, codecCpu: Infinity };
let baseLines = 0;
for (let r = 0; r < rounds; r++) {
  const b = time(baseline);
  const c = time(framer);
  baseLines = b.count;
  best.base = Math.min(best.base, b.seconds);
  best.codec = Math.min(best.codec, c.seconds);
  best.baseCpu = Math.min(best.baseCpu, b.cpuSeconds);
  best.codecCpu = Math.min(best.codecCpu, c.cpuSeconds);
}

const mb = totalBytes / (1024 * 1024);
const result = {
  node: process.version,
  streamMB: Number(mb.toFixed(1)),
  commands: totalCommands,
  chunkBytes: chunkSize,
  baseline: { mbPerS: mb / best.base, linesPerS: baseLines / best.base, seconds: best.base },
  framer: { mbPerS: mb / best.codec, commandsPerS: totalCommands / best.codec, seconds: best.codec },
  ratio: best.base / best.codec,
  cpu: { baselineSeconds: best.baseCpu, framerSeconds: best.codecCpu, ratio: best.baseCpu / best.codecCpu },
};
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench-codec.json', JSON.stringify(result, null, 2));
const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(`codec benchmark: ${result.streamMB} MB, ${f(totalCommands)} commands, ${chunkSize / 1024} KiB chunks, best of ${rounds}, ${process.version}`);
console.log('| | MB/s | items/s |');
console.log('|---|---|---|');
console.log(`| baseline (split at CRLF only) | ${f(result.baseline.mbPerS)} | ${f(result.baseline.linesPerS)} lines/s |`);
console.log(`| framer (full MSNP framing) | ${f(result.framer.mbPerS)} | ${f(result.framer.commandsPerS)} commands/s |`);
console.log(`ratio framer/baseline: ${result.ratio.toFixed(2)} (goal >= 0.5)`);
console.log(`ratio by CPU time (user + system, GC threads included): ${result.cpu.ratio.toFixed(2)}`);
