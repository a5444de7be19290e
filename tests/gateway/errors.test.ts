// Every refusal and limit gets a clear status, never a crash: unknown SessionID, malformed
// query, wrong path or method, oversized body, too many sessions, overlapping requests.
import { describe, expect, it } from 'vitest';
import { latin1, sleep } from '../harness/bytes.ts';
import { HttpConnection, headerValue } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig } from './setup.ts';

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port);
  onCleanup(() => c.close());
  return c;
}

describe('gateway errors and limits', () => {
  it('400 with an empty body for an unknown SessionID (data and poll), and the connection stays usable', async () => {
    const rig = await startRig({ echo: true });
    const c = await connect(rig.port);
    for (const target of [dataTarget('123456789.12345'), pollTarget('987654321.00001'), '/gateway/gateway.dll?SessionID=nonsense&']) {
      const res = await c.send(rawRequest(target, target.includes('poll') ? '' : 'CHG 6 NLN 0\r\n'));
      expect(res.status).toBe(400);
      expect(res.body.length).toBe(0);
      expect(headerValue(res, 'Content-Length')).toBe('0');
    }
    expect(rig.upstream.connections).toHaveLength(0);
    const open = await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'));
    expect(open.status).toBe(200);
    const responses = rig.of('http-response').filter((e) => e.status === 400);
    expect(responses).toHaveLength(3);
    expect(responses.every((e) => e.sessionId === null && typeof e.reason === 'string' && e.reason.length > 0)).toBe(true);
  });

  it('400 for a malformed query (unknown Action, Server neither NS nor SB)', async () => {
    const rig = await startRig({ echo: true });
    const c = await connect(rig.port);
    for (const target of ['/gateway/gateway.dll?Action=bogus&Server=NS', '/gateway/gateway.dll?Action=open&Server=XX&IP=a']) {
      const res = await c.send(rawRequest(target, 'VER 1 MSNP8 CVR0\r\n'));
      expect(res.status).toBe(400);
      expect(res.body.length).toBe(0);
    }
    expect(rig.upstream.connections).toHaveLength(0);
    expect(rig.of('session-opened')).toHaveLength(0);
  });

  it('404 for other paths, 405 for other methods (GET only in lenient)', async () => {
    const faithful = await startRig({ echo: true });
    const c = await connect(faithful.port);
    expect((await c.send(rawRequest('/gateway/other.dll?Action=open&Server=NS'))).status).toBe(404);
    expect((await c.send(rawRequest('/index.html'))).status).toBe(404);
    expect((await c.send(rawRequest(OPEN_NS, '', 'PUT'))).status).toBe(405);
    expect((await c.send(rawRequest(OPEN_NS, '', 'GET'))).status).toBe(405);
    expect(faithful.upstream.connections).toHaveLength(0);

    const lenient = await startRig({ echo: true }, { profile: 'lenient' });
    const l = await connect(lenient.port);
    expect((await l.send(rawRequest(OPEN_NS, '', 'DELETE'))).status).toBe(405);
    const get = await l.send(rawRequest(OPEN_NS, '', 'GET'));
    expect(get.status).toBe(200);
    expect(headerValue(get, 'X-MSN-Messenger')).toMatch(/^SessionID=/);
  });

  it('413 for a body over maxBodyBytes; nothing of it reaches upstream', async () => {
    const rig = await startRig({ echo: true }, { maxBodyBytes: 1024 });
    const c = await connect(rig.port);
    const open = await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'));
    const id = sessionIdOf(open);
    const big = 'MSG 2 N 4000\r\n' + 'x'.repeat(4000);
    const c2 = await connect(rig.port);
    const res = await c2.send(rawRequest(dataTarget(id), big)).catch((e: Error) => e);
    expect(res).not.toBeInstanceOf(Error);
    expect((res as { status: number }).status).toBe(413);
    // An open with an oversized body is refused the same way, without a session.
    const c3 = await connect(rig.port);
    expect((await c3.send(rawRequest(OPEN_NS, big))).status).toBe(413);
    await sleep(50);
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(rig.upstream.connections).toHaveLength(1);
    expect(rig.of('notice').some((n) => n.code === 'limit-body')).toBe(true);
  });

  it('503 once maxSessions are open', async () => {
    const rig = await startRig({ echo: true }, { maxSessions: 2 });
    const c = await connect(rig.port);
    expect((await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'))).status).toBe(200);
    expect((await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'))).status).toBe(200);
    const third = await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'));
    expect(third.status).toBe(503);
    expect(third.body.length).toBe(0);
    expect(rig.gateway.sessionCount()).toBe(2);
    expect(rig.of('notice').some((n) => n.code === 'limit-sessions')).toBe(true);
  });

  it('faithful: a request overlapping an outstanding one gets 400 and is not forwarded', async () => {
    // The upstream never answers, so the first data request is held until the reply cap.
    const rig = await startRig({ script: [{ expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' }, { stall: true }] }, { replyCapMs: 400 });
    const a = await connect(rig.port);
    const b = await connect(rig.port);
    const id = sessionIdOf(await a.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const first = a.send(rawRequest(dataTarget(id), 'SYN 5 0\r\n'));
    await sleep(50);
    const overlap = await b.send(rawRequest(dataTarget(id), 'CHG 6 NLN 0\r\n'));
    expect(overlap.status).toBe(400);
    expect(overlap.body.length).toBe(0);
    expect((await first).status).toBe(200);
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\nSYN 5 0\r\n');
    expect(rig.of('notice').some((n) => n.code === 'overlap-rejected')).toBe(true);
  });

  it('lenient: overlapping requests are each answered and forwarded in arrival order', async () => {
    const rig = await startRig(
      { script: [{ expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' }, { expect: 'SYN 5 0\r\n' }, { expect: 'CHG 6 NLN 0\r\n', reply: 'CHG 6 NLN 0\r\n' }] },
      { profile: 'lenient', replyCapMs: 400 },
    );
    const a = await connect(rig.port);
    const b = await connect(rig.port);
    const id = sessionIdOf(await a.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const first = a.send(rawRequest(dataTarget(id), 'SYN 5 0\r\n'));
    await sleep(30);
    const second = await b.send(rawRequest(dataTarget(id), 'CHG 6 NLN 0\r\n'));
    const firstRes = await first;
    expect([firstRes.status, second.status]).toEqual([200, 200]);
    expect(latin1(firstRes.body) + latin1(second.body)).toBe('CHG 6 NLN 0\r\n');
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\nSYN 5 0\r\nCHG 6 NLN 0\r\n');
    expect(up.mismatches).toEqual([]);
  });

  it('a flooding upstream is paused at maxQueuedBytes and every byte still arrives, in order', async () => {
    const rig = await startRig({ script: [{ expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' }] }, { maxQueuedBytes: 64 * 1024, quietMs: 2 });
    const c = await connect(rig.port);
    let id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const up = await rig.upstream.connection(0);
    await up.scriptDone;
    const total = 3 * 1024 * 1024;
    const flooding = up.flood(total, 16 * 1024, 0x5a);
    await rig.waitEvent('notice', (n) => n.code === 'limit-queue');
    let got = 0;
    let largest = 0;
    let wrong = 0;
    while (got < total) {
      const res = await c.send(rawRequest(pollTarget(id), ''));
      expect(res.status).toBe(200);
      id = sessionIdOf(res);
      for (const b of res.body) if (b !== 0x5a) wrong++;
      got += res.body.length;
      largest = Math.max(largest, res.body.length);
      if (res.body.length === 0) await sleep(5);
    }
    expect(await flooding).toBe(total);
    expect(got).toBe(total);
    expect(wrong).toBe(0);
    // The queue stops growing soon after the limit (one socket read may overshoot it).
    expect(largest).toBeLessThanOrEqual(2 * 64 * 1024 + 64 * 1024);
  });
});
