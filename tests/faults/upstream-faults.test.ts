// Upstream faults in the middle of a payload: whatever the server sent before it reset or closed
// reaches the client exactly once (a cut payload stays cut; the gateway relays bytes, it does not
// repair them), then Session=close, then 400. Events record the same bytes, and no socket is left.
import { describe, expect, it } from 'vitest';
import { concatBytes, latin1, sleep, waitFor } from '../harness/bytes.ts';
import { HttpConnection, headerValue, type RawResponse } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig, type Rig } from '../gateway/setup.ts';
import { serverOn, settleConnections } from './probe.ts';

const VER = 'VER 1 MSNP8 CVR0\r\n';
const closes = (r: RawResponse): boolean => /; Session=close$/.test(headerValue(r, 'X-MSN-Messenger') ?? '');

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port);
  onCleanup(() => c.close());
  return c;
}

/** Polls until Session=close; returns every response body in order and the last response. */
async function drainToClose(c: HttpConnection, id: string): Promise<{ bodies: Uint8Array[]; last: RawResponse }> {
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await c.send(rawRequest(pollTarget(id), ''));
    expect(r.status).toBe(200);
    bodies.push(r.body);
    if (closes(r)) return { bodies, last: r };
    id = sessionIdOf(r);
    await sleep(10);
  }
  throw new Error('no Session=close after 50 polls');
}

function serverBytesInEvents(rig: Rig): string {
  return latin1(concatBytes(rig.of('bytes').filter((e) => e.direction === 'server' && e.origin !== 'injected').map((e) => e.bytes)));
}

// A 200-byte MSG whose payload is cut after 90 bytes, with multi-byte UTF-8 straddling the cut.
const HEAD = 'MSG Hotmail Hotmail 200\r\n';
const PAYLOAD = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n' + 'é'.repeat(80);
const payloadBytes = new TextEncoder().encode(PAYLOAD).subarray(0, 200);
const cutAt = 90;

describe('upstream faults mid-payload', () => {
  for (const fault of ['reset', 'close'] as const) {
    it(`upstream ${fault} after half a payload: the half arrives once, then Session=close and 400`, async () => {
      const rig = await startRig({ script: [{ expect: VER, reply: 'VER 1 MSNP8\r\n' }] }, { quietMs: 10 });
      const server = await serverOn(rig.port);
      const c = await connect(rig.port);
      const open = await c.send(rawRequest(OPEN_NS, VER));
      expect(latin1(open.body)).toBe('VER 1 MSNP8\r\n');
      const up = await rig.upstream.connection(0);
      await up.scriptDone;
      const sent = concatBytes([new TextEncoder().encode(HEAD), payloadBytes.subarray(0, cutAt)]);
      up.write(sent);
      // Let the bytes cross loopback before the fault (an RST discards unread receive buffers).
      await sleep(50);
      if (fault === 'reset') up.reset();
      else up.end();
      await rig.waitEvent('upstream-closed');
      const { bodies, last } = await drainToClose(c, sessionIdOf(open));
      expect(latin1(concatBytes(bodies))).toBe(latin1(sent));
      expect(closes(last)).toBe(true);
      expect((await c.send(rawRequest(pollTarget(sessionIdOf(last)), ''))).status).toBe(400);
      // The record holds the same bytes: the open's echo and the cut MSG, once each.
      expect(serverBytesInEvents(rig)).toBe('VER 1 MSNP8\r\n' + latin1(sent));
      const closed = rig.of('session-closed');
      expect(closed).toHaveLength(1);
      if (fault === 'reset') {
        expect(rig.of('upstream-error').map((e) => e.code)).toEqual(['ECONNRESET']);
        expect(closed[0].reason).toBe('upstream-error');
      } else {
        expect(rig.of('upstream-error')).toHaveLength(0);
        expect(closed[0].reason).toBe('upstream-closed');
      }
      expect(rig.gateway.sessionCount()).toBe(0);
      c.close();
      expect(await settleConnections(server, 0)).toBe(0);
    });
  }

  it('upstream resets mid-payload while a data request waits: that request gets the half and Session=close', async () => {
    const rig = await startRig(
      {
        script: [
          { expect: VER, reply: 'VER 1 MSNP8\r\n' },
          { expect: 'CVR 2 0x0409 winnt 5.1 i386 MSMSGS 6.0.0602 MSMSGS a@b.c\r\n', reply: [HEAD, payloadBytes.subarray(0, cutAt)] },
          { reset: true, delayMs: 40 },
        ],
      },
      { quietMs: 200, replyCapMs: 2000 },
    );
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const res = await c.send(rawRequest(dataTarget(id), 'CVR 2 0x0409 winnt 5.1 i386 MSMSGS 6.0.0602 MSMSGS a@b.c\r\n'));
    expect(res.status).toBe(200);
    // The reset came inside the quiet window: the waiting request is answered at once, with the half.
    expect(latin1(res.body)).toBe(HEAD + latin1(payloadBytes.subarray(0, cutAt)));
    expect(closes(res)).toBe(true);
    expect(rig.of('upstream-error').map((e) => e.code)).toEqual(['ECONNRESET']);
    expect(rig.gateway.sessionCount()).toBe(0);
  });

  it('upstream resets mid-payload during a held long poll: the poll carries the half, nothing is repeated', async () => {
    const rig = await startRig({ script: [{ expect: VER, reply: 'VER 1 MSNP8\r\n' }] }, { quietMs: 150, maxLifespanS: 5 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const up = await rig.upstream.connection(0);
    await up.scriptDone;
    const held = c.send(rawRequest(`/gateway/gateway.dll?Action=poll&Lifespan=5&SessionID=${id}`, ''));
    await sleep(30);
    const sent = concatBytes([new TextEncoder().encode(HEAD), payloadBytes.subarray(0, cutAt)]);
    up.write(sent);
    await sleep(40);
    up.reset();
    const r = await held;
    const bodies = [r.body];
    let last = r;
    if (!closes(r)) {
      const more = await drainToClose(c, sessionIdOf(r));
      bodies.push(...more.bodies);
      last = more.last;
    }
    expect(latin1(concatBytes(bodies))).toBe(latin1(sent));
    expect(closes(last)).toBe(true);
    await waitFor(() => rig.gateway.sessionCount() === 0, 2000, 'session gone');
  });
});
