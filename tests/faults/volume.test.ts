// Volume: 100,000 tiny commands in one POST (all upstream, in order, byte-exact), and upstreams
// that flood faster than the client polls (queue bounded, every byte delivered once and in order
// across polls and long polls), over TCP and over an in-process (emulator) connection.
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { bytesEqual, concatBytes, latin1, sleep, waitFor } from '../harness/bytes.ts';
import { HttpConnection, type RawResponse } from '../harness/http-client.ts';
import { createInProcessUpstream } from '../harness/scripted-upstream.ts';
import { OPEN_NS, dataTarget, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig } from '../gateway/setup.ts';

const enc = new TextEncoder();
const VER = 'VER 1 MSNP8 CVR0\r\n';

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port, '127.0.0.1', { record: false });
  onCleanup(() => c.close());
  return c;
}

/** Numbered server lines, so order, loss and duplication all show in a byte comparison. */
function numberedLines(count: number): Uint8Array {
  let s = '';
  for (let i = 0; i < count; i++) s += `NLN NLN user${i}@example.com Friend%20${i} 0\r\n`;
  return enc.encode(s);
}

/** Collects server bytes by polling (long polls when `lifespan` > 0) until `total` have arrived. */
async function collect(c: HttpConnection, id: string, total: number, lifespan: number, pauseMs: number): Promise<{ bytes: Uint8Array; largest: number; polls: number }> {
  const parts: Uint8Array[] = [];
  let got = 0;
  let largest = 0;
  let polls = 0;
  while (got < total) {
    const target = lifespan > 0 ? `/gateway/gateway.dll?Action=poll&Lifespan=${lifespan}&SessionID=${id}` : pollTarget(id);
    const r: RawResponse = await c.send(rawRequest(target, ''));
    polls++;
    expect(r.status).toBe(200);
    id = sessionIdOf(r);
    parts.push(r.body);
    got += r.body.length;
    largest = Math.max(largest, r.body.length);
    if (polls > 5000) throw new Error(`only ${got} of ${total} bytes after 5000 polls`);
    // A client slower than the upstream: it sleeps between polls.
    await sleep(pauseMs);
  }
  return { bytes: concatBytes(parts), largest, polls };
}

describe('100,000 tiny commands in one POST', () => {
  it('faithful: 100,000 numbered CHG commands arrive upstream in order, byte-exact, and come back whole', async () => {
    let body = '';
    for (let i = 1; i <= 100_000; i++) body += `CHG ${i} NLN 0\r\n`;
    const bytes = enc.encode(body);
    const rig = await startRig({ echo: true }, { maxBodyBytes: 4 * 1024 * 1024, quietMs: 20 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const res = await c.send(rawRequest(dataTarget(id), bytes));
    expect(res.status).toBe(200);
    const up = await rig.upstream.connection(0);
    await up.waitForBytes(VER.length + bytes.length, 5000);
    expect(bytesEqual(up.receivedBytes(), concatBytes([enc.encode(VER), bytes]))).toBe(true);
    // The echo comes back across the answer and later polls, once and in order.
    const rest = res.body.length < bytes.length ? await collect(c, sessionIdOf(res), bytes.length - res.body.length, 0, 0) : { bytes: new Uint8Array(0) };
    expect(bytesEqual(concatBytes([res.body, rest.bytes]), bytes)).toBe(true);
    // The event log holds the request body as one client `bytes` event.
    const clientBytes = rig.of('bytes').filter((e) => e.direction === 'client');
    expect(clientBytes).toHaveLength(2);
    expect(bytesEqual(clientBytes[1].bytes, bytes)).toBe(true);
  });

  it('lenient, default body limit: 100,000 PNG (500,000 bytes) are relayed as one forward', async () => {
    const bytes = enc.encode('PNG\r\n'.repeat(100_000));
    const rig = await startRig({ script: [{ expect: VER, reply: 'VER 1 MSNP8\r\n' }, { stall: true }] }, { profile: 'lenient', replyCapMs: 100 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const res = await c.send(rawRequest(dataTarget(id), bytes));
    expect(res.status).toBe(200);
    const up = await rig.upstream.connection(0);
    await up.waitForBytes(VER.length + bytes.length, 5000);
    expect(bytesEqual(up.receivedBytes(), concatBytes([enc.encode(VER), bytes]))).toBe(true);
  });
});

describe('an upstream flooding faster than the client polls', () => {
  it('tcp: over 2 MiB of numbered lines, collected by slow long polls: queue bounded, every byte once, in order', async () => {
    const maxQueuedBytes = 64 * 1024;
    const rig = await startRig({ script: [{ expect: VER, reply: 'VER 1 MSNP8\r\n' }] }, { maxQueuedBytes, quietMs: 2, maxLifespanS: 2 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const up = await rig.upstream.connection(0);
    await up.scriptDone;
    const flood = numberedLines(50_000);
    expect(flood.length).toBeGreaterThan(2 * 1024 * 1024);
    // Written all at once: the upstream side buffers what the gateway does not read.
    up.write(flood);
    await rig.waitEvent('notice', (n) => n.code === 'limit-queue');
    const got = await collect(c, id, flood.length, 1, 5);
    expect(got.bytes.length).toBe(flood.length);
    expect(bytesEqual(got.bytes, flood)).toBe(true);
    // One socket read may overshoot the limit before reading pauses; nothing more.
    expect(got.largest).toBeLessThanOrEqual(maxQueuedBytes + 128 * 1024);
    // The record matches what the client got.
    const recorded = concatBytes(rig.of('bytes').filter((e) => e.direction === 'server').map((e) => e.bytes));
    expect(bytesEqual(recorded, concatBytes([enc.encode('VER 1 MSNP8\r\n'), flood]))).toBe(true);
  });

  it('emulator (in-process): the flood is paused at maxQueuedBytes and delivered whole and in order', async () => {
    const maxQueuedBytes = 32 * 1024;
    const upstream = createInProcessUpstream({ script: [{ expect: VER, reply: 'VER 1 MSNP8\r\n' }] });
    const gateway = createGateway({ host: '127.0.0.1', port: 0, upstream: { kind: 'emulator', connect: upstream.connect }, maxQueuedBytes, quietMs: 2 });
    const events: GatewayEvent[] = [];
    gateway.onEvent((e) => events.push(e));
    onCleanup(async () => {
      await gateway.close();
      await upstream.close();
    });
    const { port } = await gateway.listen();
    const c = await connect(port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const up = await upstream.connection(0);
    await up.scriptDone;
    const lines = numberedLines(20_000);
    // Many small writes, as an emulator pushing presence would.
    for (let at = 0; at < lines.length; at += 4096) up.write(lines.subarray(at, at + 4096));
    await waitFor(() => events.some((e) => e.type === 'notice' && e.code === 'limit-queue'), 3000, 'limit-queue notice');
    const got = await collect(c, id, lines.length, 0, 2);
    expect(bytesEqual(got.bytes, lines)).toBe(true);
    expect(got.largest).toBeLessThanOrEqual(maxQueuedBytes + 4096);
    expect(latin1(got.bytes.subarray(0, 40))).toMatch(/^NLN NLN user0@example\.com/);
  });
});
