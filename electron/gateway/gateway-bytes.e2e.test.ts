// Byte exactness across arbitrary request splits, backpressure, and stall detection.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { RawClient, sessionIdOf, startUpstream, type TestUpstream } from './__test__/raw-http.ts';
import { createGateway } from './index.ts';
import type { Gateway, GatewayOptions } from './types.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(up: TestUpstream, extra: Partial<GatewayOptions> = {}) {
  const gw: Gateway = createGateway({ port: 0, quietMs: 5, replyCapMs: 200, upstream: { kind: 'tcp', host: '127.0.0.1', port: up.port }, ...extra });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  const { port } = await gw.listen();
  open.push(gw);
  const client = await RawClient.open(port);
  open.push(client);
  return { gw, client, events };
}

const OPEN = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';

describe('byte exactness', () => {
  it('any bytes, split into any requests, reach the upstream and come back unchanged and in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 6 }), async (parts) => {
        const up = await startUpstream();
        const { client } = await setup(up, { profile: 'lenient' });
        try {
          let r = await client.request(OPEN, '');
          const back: Buffer[] = [];
          for (const p of parts) {
            r = await client.request(`/gateway/gateway.dll?SessionID=${sessionIdOf(r)}`, p);
            back.push(r.body);
          }
          const sent = Buffer.concat(parts.map((p) => Buffer.from(p)));
          // Drain whatever is still in flight.
          for (let i = 0; i < 20 && Buffer.concat(back).length < sent.length; i++) {
            await new Promise((res) => setTimeout(res, 10));
            r = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r)}`);
            back.push(r.body);
          }
          expect(up.receivedAll().equals(sent)).toBe(true);
          expect(Buffer.concat(back).equals(sent)).toBe(true);
        } finally {
          client.close();
          await up.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('multi-byte UTF-8 and binary payloads keep their byte lengths', async () => {
    const msg = Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhé ☃ 😀', 'utf8');
    const bin = Buffer.from([0, 13, 10, 255, 0, 13, 10]);
    const payload = Buffer.concat([msg, bin]);
    const cmd = Buffer.concat([Buffer.from(`MSG 4 N ${payload.length}\r\n`), payload]);
    const up = await startUpstream();
    open.push(up);
    const { client, events } = await setup(up);
    const r = await client.request(OPEN, 'VER 1 MSNP8\r\n');
    const r2 = await client.request(`/gateway/gateway.dll?SessionID=${sessionIdOf(r)}`, cmd);
    expect(r2.body.equals(cmd)).toBe(true);
    const server = events.filter((e) => e.type === 'bytes' && e.direction === 'server').map((e) => (e.type === 'bytes' ? Buffer.from(e.bytes) : Buffer.alloc(0)));
    expect(Buffer.concat(server).equals(Buffer.concat([Buffer.from('VER 1 MSNP8\r\n'), cmd]))).toBe(true);
  });
});

describe('backpressure', () => {
  it('pauses the upstream past maxQueuedBytes and delivers everything across polls', async () => {
    const total = 3 * 1024 * 1024;
    const flood = Buffer.alloc(total);
    for (let i = 0; i < total; i++) flood[i] = (i * 31) & 0xff;
    const up = await startUpstream((s) => s.write(flood));
    open.push(up);
    const { client, events } = await setup(up, { maxQueuedBytes: 64 * 1024 });
    let r = await client.request(OPEN, 'GO\r\n');
    const got: Buffer[] = [r.body];
    for (let i = 0; i < 500 && Buffer.concat(got).length < total; i++) {
      r = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r)}`);
      got.push(r.body);
      if (r.body.length === 0) await new Promise((res) => setTimeout(res, 5));
    }
    expect(Buffer.concat(got).equals(flood)).toBe(true);
    expect(events.some((e) => e.type === 'notice' && e.code === 'limit-queue')).toBe(true);
    // No single response carried the whole flood: reading really paused.
    expect(Math.max(...got.map((b) => b.length))).toBeLessThan(total);
  });
});

describe('stall', () => {
  it('an upstream that accepts bytes but never answers ends the session as upstream-error STALL', async () => {
    const up = await startUpstream(() => {});
    open.push(up);
    const { client, events } = await setup(up, { stallTimeoutMs: 100, replyCapMs: 30 });
    const r = await client.request(OPEN, 'VER 1 MSNP8\r\n');
    expect(r.body.length).toBe(0);
    await new Promise((res) => setTimeout(res, 200));
    const p = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r)}`);
    expect(p.header('X-MSN-Messenger')).toMatch(/; Session=close$/);
    const err = events.find((e) => e.type === 'upstream-error');
    expect(err?.type === 'upstream-error' && err.code).toBe('STALL');
    const closed = events.find((e) => e.type === 'session-closed');
    expect(closed?.type === 'session-closed' && closed.reason).toBe('upstream-error');
  });

  it('MSG with ack type U expects no answer, so silence after it is not a stall', async () => {
    const up = await startUpstream((s, c) => {
      if (c.toString().startsWith('VER')) s.write(c);
    });
    open.push(up);
    const { client, events } = await setup(up, { stallTimeoutMs: 80, replyCapMs: 30 });
    const r = await client.request(OPEN, 'VER 1 MSNP8\r\n');
    const body = 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: a@b.c\r\n\r\n\r\n';
    const r2 = await client.request(`/gateway/gateway.dll?SessionID=${sessionIdOf(r)}`, `MSG 2 U ${Buffer.byteLength(body)}\r\n${body}`);
    await new Promise((res) => setTimeout(res, 200));
    const p = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r2)}`);
    expect(p.status).toBe(200);
    expect(p.header('X-MSN-Messenger')).not.toMatch(/Session=close/);
    expect(events.some((e) => e.type === 'upstream-error')).toBe(false);
  });
});
