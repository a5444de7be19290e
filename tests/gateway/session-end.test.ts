// How a session ends, and what the client sees: Session=close on the response that carries the
// last data, then 400; PNG in each profile; idle reaping; upstream refusal and reset; long polls.
import { describe, expect, it } from 'vitest';
import { latin1, sleep, unusedPort, waitFor } from '../harness/bytes.ts';
import { HttpConnection, headerValue } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, expectGatewayShape, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig } from './setup.ts';

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port);
  onCleanup(() => c.close());
  return c;
}

const VER = { expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' } as const;

describe('end of a session', () => {
  it('upstream close: the queued data arrives with Session=close, then the SessionID gets 400', async () => {
    const rig = await startRig({ script: [VER, { expect: 'SYN 5 0\r\n', reply: 'OUT OTH\r\n' }, { close: true }] });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const res = await c.send(rawRequest(dataTarget(id), 'SYN 5 0\r\n'));
    let last = res;
    let body = latin1(res.body);
    // The close rides on this answer or the next poll, but never before the data.
    for (let i = 0; i < 20 && !/Session=close/.test(headerValue(last, 'X-MSN-Messenger') ?? ''); i++) {
      await sleep(20);
      last = await c.send(rawRequest(pollTarget(sessionIdOf(last)), ''));
      body += latin1(last.body);
    }
    expect(body).toBe('OUT OTH\r\n');
    expect(headerValue(last, 'X-MSN-Messenger')).toMatch(/^SessionID=\d+\.\d+; GW-IP=127\.0\.0\.1; Session=close$/);
    expect(expectGatewayShape(last)).toEqual([]);
    const after = await c.send(rawRequest(pollTarget(id), ''));
    expect(after.status).toBe(400);
    expect(after.body.length).toBe(0);
    expect((await rig.waitEvent('session-closed')).reason).toBe('upstream-closed');
    expect(rig.gateway.sessionCount()).toBe(0);
  });

  it('faithful: PNG gets an HTTP error, is not forwarded, and ends the session', async () => {
    const rig = await startRig({ script: [VER, { expect: 'PNG\r\n', reply: 'QNG 60\r\n' }] });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const png = await c.send(rawRequest(dataTarget(id), 'PNG\r\n'));
    expect(png.status).toBe(400);
    const closed = await rig.waitEvent('session-closed');
    expect(closed.reason).toBe('png-over-http');
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\n');
    await up.closed;
    expect((await c.send(rawRequest(pollTarget(id), ''))).status).toBe(400);
    expect(rig.of('notice').some((n) => n.code === 'png-over-http')).toBe(true);
  });

  it('lenient: PNG is relayed and QNG comes back', async () => {
    const rig = await startRig({ script: [VER, { expect: 'PNG\r\n', reply: 'QNG 60\r\n' }] }, { profile: 'lenient' });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const png = await c.send(rawRequest(dataTarget(id), 'PNG\r\n'));
    expect(png.status).toBe(200);
    expect(latin1(png.body)).toBe('QNG 60\r\n');
    expect(rig.of('session-closed')).toHaveLength(0);
  });

  it('idle sessions are reaped after idleTimeoutMs: event, upstream closed, then 400', async () => {
    const rig = await startRig({ script: [VER] }, { idleTimeoutMs: 150 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const closed = await rig.waitEvent('session-closed', () => true, 2000);
    expect(closed.reason).toBe('idle-timeout');
    const up = await rig.upstream.connection(0);
    expect(await up.closed).toBe('peer');
    expect((await c.send(rawRequest(pollTarget(id), ''))).status).toBe(400);
    expect(rig.gateway.sessionCount()).toBe(0);
  });

  it('a session kept busy is not reaped', async () => {
    const rig = await startRig({ script: [VER] }, { idleTimeoutMs: 200 });
    const c = await connect(rig.port);
    let id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    for (let i = 0; i < 6; i++) {
      await sleep(80);
      const res = await c.send(rawRequest(pollTarget(id), ''));
      expect(res.status).toBe(200);
      id = sessionIdOf(res);
    }
    expect(rig.of('session-closed')).toHaveLength(0);
  });

  it('upstream refusing the connection ends the session with upstream-error (ECONNREFUSED)', async () => {
    const dead = await unusedPort();
    const refused = await startRig({}, { upstream: { kind: 'tcp', host: '127.0.0.1', port: dead } });
    const c = await connect(refused.port);
    const res = await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'));
    // Either the open already carries Session=close, or the session is closed for the next request.
    if (res.status === 200) {
      let last = res;
      for (let i = 0; i < 20 && !/Session=close/.test(headerValue(last, 'X-MSN-Messenger') ?? ''); i++) {
        await sleep(20);
        last = await c.send(rawRequest(pollTarget(sessionIdOf(last)), ''));
        if (last.status !== 200) break;
      }
      expect(last.status === 400 || /Session=close/.test(headerValue(last, 'X-MSN-Messenger') ?? '')).toBe(true);
    } else {
      expect(res.status).toBe(400);
    }
    const err = await refused.waitEvent('upstream-error');
    expect(err.code).toBe('ECONNREFUSED');
    expect((await refused.waitEvent('session-closed')).reason).toBe('upstream-error');
  });

  it('upstream reset mid-session: queued data, Session=close, upstream-error ECONNRESET', async () => {
    const rig = await startRig({ script: [VER, { expect: 'SYN 5 0\r\n', reply: 'SYN 5 1 1 1\r\n', delayMs: 0 }, { reset: true, delayMs: 100 }] });
    const c = await connect(rig.port);
    let id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const syn = await c.send(rawRequest(dataTarget(id), 'SYN 5 0\r\n'));
    let body = latin1(syn.body);
    id = sessionIdOf(syn);
    await rig.waitEvent('upstream-error');
    let last = syn;
    for (let i = 0; i < 20 && !/Session=close/.test(headerValue(last, 'X-MSN-Messenger') ?? ''); i++) {
      last = await c.send(rawRequest(pollTarget(sessionIdOf(last)), ''));
      body += latin1(last.body);
    }
    expect(body).toBe('SYN 5 1 1 1\r\n');
    expect(headerValue(last, 'X-MSN-Messenger')).toMatch(/; Session=close$/);
    expect((await c.send(rawRequest(pollTarget(id), ''))).status).toBe(400);
    expect(rig.of('upstream-error')[0].code).toBe('ECONNRESET');
    expect((await rig.waitEvent('session-closed')).reason).toBe('upstream-error');
  });

  it('a Lifespan long poll is held until data arrives, then answered', async () => {
    const rig = await startRig({ script: [VER] }, { quietMs: 5 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const started = performance.now();
    const held = c.send(rawRequest(`/gateway/gateway.dll?Action=poll&Lifespan=5&SessionID=${id}`, ''));
    const up = await rig.upstream.connection(0);
    await sleep(150);
    up.write('NLN NLN bob@example.com Bob 0\r\n');
    const res = await held;
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
    expect(latin1(res.body)).toBe('NLN NLN bob@example.com Bob 0\r\n');
    expect(rig.of('http-request').at(-1)?.kind).toBe('long-poll');
  });

  it('Action=close ends the session (client-close)', async () => {
    const rig = await startRig({ script: [VER] });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const res = await c.send(rawRequest(`/gateway/gateway.dll?Action=close&SessionID=${id}`, ''));
    expect(res.status).toBe(200);
    expect(headerValue(res, 'X-MSN-Messenger')).toMatch(/; Session=close$/);
    expect((await rig.waitEvent('session-closed')).reason).toBe('client-close');
    await waitFor(() => rig.upstream.connections[0]?.isClosed, 2000, 'upstream closed');
  });

  it('an upstream that stops answering is reported as STALL after stallTimeoutMs and the session ends', async () => {
    const rig = await startRig({ script: [VER, { stall: true }] }, { stallTimeoutMs: 200, replyCapMs: 50 });
    const c = await connect(rig.port);
    let id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    id = sessionIdOf(await c.send(rawRequest(dataTarget(id), 'SYN 5 0\r\n')));
    const err = await rig.waitEvent('upstream-error', () => true, 2000);
    expect(err.code).toBe('STALL');
    // The next request carries Session=close; after that the ID is dead.
    const res = await c.send(rawRequest(pollTarget(id), ''));
    expect(res.status).toBe(200);
    expect(headerValue(res, 'X-MSN-Messenger')).toMatch(/; Session=close$/);
    expect((await rig.waitEvent('session-closed')).reason).toBe('upstream-error');
    expect((await c.send(rawRequest(pollTarget(id), ''))).status).toBe(400);
    expect((await rig.upstream.connection(0)).isClosed).toBe(true);
  });
});
