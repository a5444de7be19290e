#!/usr/bin/env node
// Long fuzz runs (npm run fuzz): the same properties as tests/fuzz/*.fuzz.test.ts with far larger
// budgets and fresh random seeds, plus an optional real-time slowloris check. Every failure prints
// the seed and path that replay it (see tests/fuzz/README.md).
//
//   node --expose-gc scripts/fuzz.mjs [--codec N] [--encode N] [--query N] [--http N]
//        [--seconds S] [--seed X] [--only name,name] [--slowloris]
//   node scripts/fuzz.mjs --only codec-streams --seed X --path P     (replay one failure)
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { codecArbs } from '../tests/fuzz/codec-arbs.ts';
import { checkConnection, checkEncode, checkStream } from '../tests/fuzz/codec-props.ts';
import { transcriptConnections, transcriptStreams } from '../tests/fuzz/corpus.ts';
import { encodeCtxArb, encodeLimitsArb, encodeSpecArb } from '../tests/fuzz/encode-arbs.ts';
import { checkTarget, targetArb } from '../tests/fuzz/query-props.ts';
import { frontCaseArb, internalErrors, runFrontCase, startFrontRig, FRONT_OPTIONS } from '../tests/fuzz/http-front.ts';
import { settleConnections } from '../tests/faults/probe.ts';

const { values: args } = parseArgs({
  options: {
    codec: { type: 'string', default: '1000000' },
    encode: { type: 'string', default: '200000' },
    query: { type: 'string', default: '200000' },
    http: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '0' },
    seed: { type: 'string' },
    path: { type: 'string' },
    only: { type: 'string' },
    slowloris: { type: 'boolean', default: false },
  },
});

const only = args.only ? new Set(args.only.split(',')) : null;
const wanted = (name) => !only || only.has(name) || [...only].some((o) => name.startsWith(o + '-') || name === o);
const secondsCap = Number(args.seconds) > 0 ? Number(args.seconds) * 1000 : Infinity;
const baseSeed = args.seed !== undefined ? Number(args.seed) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const CHUNK = 20_000;
let failures = 0;

const streams = transcriptStreams();
const connections = transcriptConnections();
const codec = codecArbs(streams, connections);

/** Runs `runs` cases of a synchronous property in seeded chunks; prints progress and any failure. */
function runSync(name, arb, check, runs) {
  if (!wanted(name) || runs <= 0) return;
  const started = Date.now();
  let done = 0;
  for (let chunk = 0; done < runs; chunk++) {
    const seed = (baseSeed + chunk * 7919) | 0;
    const numRuns = Math.min(CHUNK, runs - done);
    const params = args.path ? { seed, path: args.path, numRuns } : { seed, numRuns };
    const out = fc.check(fc.property(arb, check), params);
    done += out.numRuns;
    if (out.failed) {
      report(name, out);
      return;
    }
    if (args.path) break;
    if (Date.now() - started > secondsCap) break;
  }
  const s = (Date.now() - started) / 1000;
  console.log(`${name.padEnd(18)} ${String(done).padStart(9)} cases  ${s.toFixed(1)} s  ${Math.round(done / Math.max(s, 0.001))}/s  ok`);
  return done;
}

function report(name, out) {
  failures++;
  console.error(`\n${name}: FAILED after ${out.numRuns} cases`);
  console.error(`  replay: node scripts/fuzz.mjs --only ${name} --seed ${out.seed} --path "${out.counterexamplePath}"`);
  console.error(`  error: ${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.error)}`);
  const text = JSON.stringify(out.counterexample, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
  console.error(`  counterexample: ${text.length > 2000 ? text.slice(0, 2000) + '…' : text}\n`);
}

console.log(`fuzz: base seed ${baseSeed}${Number.isFinite(secondsCap) ? `, at most ${args.seconds} s per target` : ''}`);

// Codec: at least 1,000,000 cases by default, split over three generators (connections are the
// slowest: each replays a whole recorded session twice).
const codecRuns = Number(args.codec);
let codecDone = 0;
codecDone += runSync('codec-streams', codec.streamCase, (c) => checkStream(c.data, c.ctx, c.cuts, c.limits, c.viewCtx), Math.round(codecRuns * 0.65)) ?? 0;
codecDone += runSync('codec-random', codec.randomCase, (c) => checkStream(c.data, c.ctx, c.cuts, c.limits), Math.round(codecRuns * 0.3)) ?? 0;
codecDone += runSync('codec-connections', codec.connectionCase, (c) => checkConnection(c.server, c.version, c.steps, c.cuts), codecRuns - Math.round(codecRuns * 0.65) - Math.round(codecRuns * 0.3)) ?? 0;
if (wanted('codec')) console.log(`codec total        ${String(codecDone).padStart(9)} cases`);

runSync('encode', fc.tuple(encodeSpecArb, encodeCtxArb, encodeLimitsArb), ([spec, ctx, limits]) => {
  checkEncode(spec, ctx, limits);
}, Number(args.encode));

runSync('query', targetArb, (t) => checkTarget(t), Number(args.query));

// HTTP front: batches of concurrent cases against one gateway per profile, then leak checks.
for (const profile of ['faithful', 'lenient']) {
  const name = `http-${profile}`;
  const total = Number(args.http);
  if (!wanted(name) || total <= 0) continue;
  const rig = await startFrontRig(profile, false);
  // The keeper connection stays open; the probe request's socket may still be closing.
  const baseline = await settleConnections(rig.server, 1);
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = Date.now();
  const BATCH = 16;
  let done = 0;
  const statuses = new Map();
  for (let chunk = 0; done < total; chunk++) {
    const seed = (baseSeed + chunk * 104729) | 0;
    const batches = Math.max(1, Math.min(50, Math.ceil((total - done) / BATCH)));
    // No shrinking: one socket-level case costs up to seconds; the seed and path replay it.
    const params = args.path ? { seed, path: args.path, numRuns: 1, endOnFailure: true } : { seed, numRuns: batches, endOnFailure: true };
    const out = await fc.check(
      fc.asyncProperty(fc.array(frontCaseArb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const outcomes = await Promise.all(batch.map((c) => runFrontCase(rig, c)));
        for (const o of outcomes) for (const s of o.statuses) statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }),
      params,
    );
    done += out.numRuns * BATCH;
    process.stdout.write(`  ${name}: ${done}/${total} cases, ${((Date.now() - started) / 1000).toFixed(0)} s, ${rig.gateway.sessionCount()} sessions\r`);
    if (out.failed) {
      report(name, out);
      break;
    }
    if (args.path || Date.now() - started > secondsCap) break;
  }
  const errors = internalErrors(rig.events);
  if (errors.length > 0) {
    failures++;
    console.error(`${name}: ${errors.length} internal-error notice(s), first: ${errors[0]}`);
  }
  const sockets = await settleConnections(rig.server, baseline, 5000);
  const deadline = Date.now() + FRONT_OPTIONS.idleTimeoutMs * 5;
  while (rig.gateway.sessionCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  globalThis.gc?.();
  const growth = process.memoryUsage().heapUsed - heapBefore;
  const s = (Date.now() - started) / 1000;
  const leak = [];
  if (sockets > baseline) leak.push(`${sockets - baseline} socket(s) left open`);
  if (rig.gateway.sessionCount() > 0) leak.push(`${rig.gateway.sessionCount()} session(s) never reaped`);
  if (growth > 64 * 1024 * 1024) leak.push(`heap grew ${(growth / 1048576).toFixed(1)} MiB`);
  if (leak.length) {
    failures++;
    console.error(`${name}: ${leak.join(', ')}`);
  }
  console.log(`${name.padEnd(18)} ${String(done).padStart(9)} cases  ${s.toFixed(1)} s  statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}  heap ${(growth / 1048576).toFixed(1)} MiB${leak.length ? '' : '  ok'}`);
  await rig.close();
}

if (args.slowloris) await slowloris();

async function slowloris() {
  // One header byte a second, for real: the gateway (its front's headersTimeout, checked every
  // connectionsCheckingInterval) must close the socket; report how long it held on.
  const net = await import('node:net');
  const rig = await startFrontRig('faithful', false);
  const limitMs = rig.server.headersTimeout + (rig.server.connectionsCheckingInterval ?? 30_000) + 5000;
  const socket = net.connect({ port: rig.port, host: '127.0.0.1' });
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  const t0 = Date.now();
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  const closed = new Promise((r) => socket.once('close', r));
  const head = 'POST /gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\nHost: gateway.messenger.hotmail.com\r\nX-Slow: ' + 'a'.repeat(400);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(head[i++ % head.length]);
  }, 1000);
  const result = await Promise.race([closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), limitMs))]);
  clearInterval(timer);
  const held = ((Date.now() - t0) / 1000).toFixed(1);
  socket.destroy();
  if (result !== 'closed') {
    failures++;
    console.error(`slowloris: a socket trickling one byte a second was still open after ${held} s (headersTimeout ${rig.server.headersTimeout} ms)`);
  } else {
    console.log(`slowloris          closed after ${held} s (headersTimeout ${rig.server.headersTimeout} ms, requestTimeout ${rig.server.requestTimeout} ms); answer: ${JSON.stringify(received.split('\r\n')[0] ?? '')}  ok`);
  }
  await rig.close();
}

if (failures > 0) {
  console.error(`fuzz: ${failures} failure(s) (base seed ${baseSeed})`);
  process.exit(1);
}
console.log('fuzz: all targets passed');
