// Pipelined requests on one keep-alive connection: answers come back in request order, every
// client byte goes upstream once and in order, and every server byte reaches the client once.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { concatBytes, latin1, sleep } from '../harness/bytes.ts';
import { HttpConnection, headerValue, type RawResponse } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig } from '../gateway/setup.ts';
import { connectionCount, serverOn, settleConnections } from './probe.ts';

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port);
  onCleanup(() => c.close());
  return c;
}

const GARBAGE = new TextEncoder().encode('THIS IS NOT HTTP\r\n\r\n');
const bodyText = (rs: RawResponse[]): string => latin1(concatBytes(rs.map((r) => r.body)));

describe('pipelined requests on one connection', () => {
  it('lenient: three pipelined requests of one session are answered in order, bytes exactly once', async () => {
    const rig = await startRig({ echo: true }, { profile: 'lenient', replyCapMs: 300, quietMs: 10 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const sent = ['CHG 2 NLN 0\r\n', 'SYN 3 0\r\n'];
    const answers = Promise.all([c.nextResponse(), c.nextResponse(), c.nextResponse()]);
    // One write: the three requests reach the parser in the same chunk.
    c.writeRaw(concatBytes([rawRequest(dataTarget(id), sent[0]), rawRequest(dataTarget(id), sent[1]), rawRequest(pollTarget(id), '')]));
    const rs = await answers;
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\n' + sent.join(''));
    // The open took the VER echo; the pipelined answers carry the rest, exactly once between them.
    expect(bodyText(rs)).toBe(sent.join(''));
    // Each answer names the session, and the minors follow the order of the answers.
    const majors = rs.map((r) => sessionIdOf(r).split('.')[0]);
    expect(new Set(majors)).toEqual(new Set([id.split('.')[0]]));
  });

  it('faithful: a pipelined second request is an overlap (400, not forwarded), answered after the first', async () => {
    const rig = await startRig({ echo: true }, { replyCapMs: 300, quietMs: 10 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const answers = Promise.all([c.nextResponse(), c.nextResponse()]);
    c.writeRaw(concatBytes([rawRequest(dataTarget(id), 'CHG 2 NLN 0\r\n'), rawRequest(dataTarget(id), 'SYN 3 0\r\n')]));
    const [first, second] = await answers;
    expect(first.status).toBe(200);
    expect(latin1(first.body)).toBe('CHG 2 NLN 0\r\n');
    expect(second.status).toBe(400);
    expect(headerValue(second, 'Content-Length')).toBe('0');
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\nCHG 2 NLN 0\r\n');
    expect(rig.of('notice').filter((n) => n.code === 'overlap-rejected')).toHaveLength(1);
    // The connection is still good for the next request.
    const next = await c.send(rawRequest(pollTarget(sessionIdOf(first)), ''));
    expect(next.status).toBe(200);
  });

  it('pipelined opens of several sessions and an unknown SessionID: 200, 200, 400 in order', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 10 });
    const c = await connect(rig.port);
    const answers = Promise.all([c.nextResponse(), c.nextResponse(), c.nextResponse()]);
    c.writeRaw(
      concatBytes([
        rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n'),
        rawRequest(OPEN_NS, 'VER 7 MSNP8 CVR0\r\n'),
        rawRequest(pollTarget('123456789.12345'), ''),
      ]),
    );
    const rs = await answers;
    expect(rs.map((r) => r.status)).toEqual([200, 200, 400]);
    // Each open is answered with its own session's echo, not the other's.
    expect(latin1(rs[0].body)).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(latin1(rs[1].body)).toBe('VER 7 MSNP8 CVR0\r\n');
    expect(sessionIdOf(rs[0]).split('.')[0]).not.toBe(sessionIdOf(rs[1]).split('.')[0]);
    expect(rig.gateway.sessionCount()).toBe(2);
  });

  // BUG (gateway.ts clientError handler): it writes its raw 400 straight onto the socket even when
  // an earlier pipelined request on that socket is still waiting for its answer, so the client
  // reads the 400 as the answer to its data request (whose bytes did go upstream).
  it('a pipelined request followed by unparseable bytes: the first request still gets its own 200 first', async () => {
    const rig = await startRig({ echo: true }, { replyCapMs: 300, quietMs: 20 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const first = c.nextResponse();
    c.writeRaw(concatBytes([rawRequest(dataTarget(id), 'CHG 2 NLN 0\r\n'), GARBAGE]));
    const res = await first;
    expect(res.status).toBe(200);
    expect(latin1(res.body)).toBe('CHG 2 NLN 0\r\n');
  });

  // BUG (found by npm run fuzz, when the gateway ran on node:http): with no 'connect' listener Node destroys the socket as soon as a
  // CONNECT request is parsed, so the answer owed to the data request before it never came.
  it('a pipelined request followed by CONNECT: the first gets its 200 with the echo, then 405 and close', async () => {
    const rig = await startRig({ echo: true }, { replyCapMs: 300, quietMs: 20 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const s = net.connect({ port: rig.port, host: '127.0.0.1' });
    onCleanup(() => {
      s.destroy();
    });
    await new Promise((r) => s.once('connect', r));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    const closed = new Promise((r) => s.once('close', r));
    s.write(concatBytes([rawRequest(dataTarget(id), 'CHG 2 NLN 0\r\n'), new TextEncoder().encode('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')]));
    await closed;
    const answers = got.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nCHG 2 NLN 0\r\n$/);
    expect(answers[1]).toBe('HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(rig.of('notice').some((n) => n.code === 'bad-method' && n.message.includes('CONNECT'))).toBe(true);
    // Nothing reached the upstream but the data request, once.
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\nCHG 2 NLN 0\r\n');
  });

  // BUG (same cause, worse effect): with a client that keeps its side open after the 400's FIN,
  // the socket is ended but not destroyed, so writeHead's guard (headersSent / destroyed /
  // socket.destroyed) passes, the echo is "delivered" into an ended socket (write after end),
  // the http-response event claims a 200, and the bytes are lost: the next poll is empty.
  it('no server byte is lost when unparseable bytes follow a pipelined request (half-open client)', async () => {
    const rig = await startRig({ echo: true }, { replyCapMs: 300, quietMs: 20 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    const s = net.connect({ port: rig.port, host: '127.0.0.1', allowHalfOpen: true });
    onCleanup(() => {
      s.destroy();
    });
    await new Promise((r) => s.once('connect', r));
    let received = '';
    s.on('data', (d: Buffer) => (received += d.toString('latin1')));
    s.write(concatBytes([rawRequest(dataTarget(id), 'CHG 2 NLN 0\r\n'), GARBAGE]));
    await sleep(300);
    const poll = await c.send(rawRequest(pollTarget(id), ''));
    expect(poll.status).toBe(200);
    // The echo reached the client exactly once: on the pipelined socket or on the next poll.
    const seen = received.split('CHG 2 NLN 0\r\n').length - 1 + (latin1(poll.body).split('CHG 2 NLN 0\r\n').length - 1);
    expect({ onPipelinedSocket: received, nextPoll: latin1(poll.body), copies: seen }).toMatchObject({ copies: 1 });
  });

  // BUG (found by npm run fuzz, when the gateway ran on node:http): Node answers `Expect: 100-continue` by itself when no
  // 'checkContinue' listener exists, and for a pipelined request queued behind a pending response
  // its `100 Continue` lands between the queued response's head and body on the wire:
  // `...Content-Length: 18\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nVER 5 MSNP8 CVR0\r\n`.
  it('a pipelined request with Expect: 100-continue behind a pending one keeps both responses intact', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 10 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    c.close();
    const s = net.connect({ port: rig.port, host: '127.0.0.1' });
    onCleanup(() => {
      s.destroy();
    });
    await new Promise((r) => s.once('connect', r));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    const second = latin1(rawRequest(OPEN_NS, 'VER 5 MSNP8 CVR0\r\n')).replace('\r\n\r\n', '\r\nExpect: 100-continue\r\n\r\n');
    s.write(concatBytes([rawRequest(`/gateway/gateway.dll?Action=poll&Lifespan=1&SessionID=${id}`, ''), new TextEncoder().encode(second)]));
    const deadline = Date.now() + 3000;
    while (!got.endsWith('VER 5 MSNP8 CVR0\r\n') && Date.now() < deadline) await sleep(10);
    // Every head is followed by exactly its Content-Length bytes of body.
    const bodies: string[] = [];
    let rest = got;
    while (rest.length > 0) {
      const end = rest.indexOf('\r\n\r\n');
      expect(end).toBeGreaterThan(0);
      const head = rest.slice(0, end);
      const n = Number(/Content-Length: (\d+)/.exec(head)?.[1] ?? '0');
      if (/^HTTP\/1\.1 200 /.test(head)) bodies.push(rest.slice(end + 4, end + 4 + n));
      rest = rest.slice(end + 4 + n);
    }
    expect(bodies).toEqual(['', 'VER 5 MSNP8 CVR0\r\n']);
  });

  it('many pipelined polls on many connections leave no socket behind', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const server = await serverOn(rig.port);
    const baseline = await settleConnections(server, 0);
    const conns = await Promise.all(Array.from({ length: 20 }, () => connect(rig.port)));
    await Promise.all(
      conns.map(async (c) => {
        const answers = Promise.all(Array.from({ length: 10 }, () => c.nextResponse()));
        c.writeRaw(concatBytes(Array.from({ length: 10 }, () => rawRequest(pollTarget('123456789.12345'), ''))));
        const rs = await answers;
        expect(rs.every((r) => r.status === 400)).toBe(true);
      }),
    );
    expect(await connectionCount(server)).toBe(baseline + 20);
    for (const c of conns) c.close();
    expect(await settleConnections(server, baseline)).toBe(baseline);
    await sleep(0);
  });
});
