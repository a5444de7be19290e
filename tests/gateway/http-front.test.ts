// The gateway's own HTTP front, through the whole gateway: request heads captured byte for byte,
// chunked bodies, 100-continue, and the statuses the front answers by itself.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { latin1, sleep } from '../harness/bytes.ts';
import { HttpConnection } from '../harness/http-client.ts';
import { OPEN_NS, onCleanup, rawRequest, sessionIdOf, startRig } from './setup.ts';

const VER = 'VER 1 MSNP8 CVR0\r\n';

function rawSocket(port: number): Promise<net.Socket & { received: () => string; gone: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', () => {});
    const gone = new Promise<void>((r) => s.once('close', () => r()));
    onCleanup(() => {
      s.destroy();
    });
    s.once('connect', () => resolve(Object.assign(s, { received: () => got, gone })));
    s.once('error', reject);
  });
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(5);
}

describe('HTTP front', () => {
  it('captures each request head exactly as sent: header case, odd spacing, absolute-form target', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const head =
      `POST http://gateway.messenger.hotmail.com${OPEN_NS} HTTP/1.1\r\n` +
      'accept: */*\r\n' +
      'User-Agent:MSMSGS\r\n' +
      'Host:   gateway.messenger.hotmail.com  \r\n' +
      'Proxy-Connection: Keep-Alive\r\n' +
      `Content-Length: ${VER.length}\r\n\r\n`;
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    const res = await c.send(head + VER);
    expect(res.status).toBe(200);
    const req = rig.of('http-request')[0];
    expect(latin1(req.head)).toBe(head);
    expect(latin1(req.body)).toBe(VER);
    expect(req.target).toBe(`http://gateway.messenger.hotmail.com${OPEN_NS}`);
  });

  it('reads a chunked body and relays exactly its bytes (multi-byte UTF-8 included)', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const payload = Buffer.from('VER 1 MSNP8 CVR0\r\nPRP 2 MFN Zo%C3%A9\u00e9\r\n', 'utf8');
    const chunks = [payload.subarray(0, 7), payload.subarray(7, 30), payload.subarray(30)];
    const body = Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]), Buffer.from('0\r\n\r\n')]);
    const head = Buffer.from(`POST ${OPEN_NS} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`, 'latin1');
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    const res = await c.send(Buffer.concat([head, body]));
    expect(res.status).toBe(200);
    const up = await rig.upstream.connection(0);
    await until(() => up.receivedBytes().length >= payload.length);
    expect(Buffer.from(up.receivedBytes())).toEqual(payload);
    expect(Buffer.from(rig.of('http-request')[0].body)).toEqual(payload);
  });

  it('Expect: 100-continue gets 100 Continue before the body is sent, then the answer', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const s = await rawSocket(rig.port);
    s.write(`POST ${OPEN_NS} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${VER.length}\r\n\r\n`);
    await until(() => s.received().length > 0);
    expect(s.received()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    s.write(VER);
    await until(() => s.received().endsWith(VER));
    expect(s.received()).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });

  it.each([
    ['an HTTP/2.0 request line', `POST ${OPEN_NS} HTTP/2.0\r\nHost: x\r\n\r\n`, 505],
    ['an unknown transfer coding', `POST ${OPEN_NS} HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n`, 501],
    ['an unknown expectation', `POST ${OPEN_NS} HTTP/1.1\r\nExpect: coffee\r\nContent-Length: 0\r\n\r\n`, 417],
    ['a Content-Length beside chunked', `POST ${OPEN_NS} HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`, 400],
    ['a broken chunk size', `POST ${OPEN_NS} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`, 400],
  ])('%s: the status that names it, a notice, and a closed connection; nothing upstream', async (_name, bytes, status) => {
    const rig = await startRig({ echo: true });
    const s = await rawSocket(rig.port);
    s.write(bytes);
    await Promise.race([s.gone, sleep(3000)]);
    expect(s.received()).toMatch(new RegExp(`^HTTP/1\\.1 ${status} [A-Za-z ]+\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n$`));
    expect(s.destroyed || s.readableEnded).toBe(true);
    expect(rig.of('notice').some((n) => n.code === 'http-parse-error')).toBe(true);
    expect(rig.gateway.sessionCount()).toBe(0);
    expect(rig.upstream.connections).toHaveLength(0);
  });

  it('a request with Connection: close is answered with close, and what follows it is not read', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const s = await rawSocket(rig.port);
    const first = latin1(rawRequest(OPEN_NS, VER)).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n');
    s.write(first + latin1(rawRequest(OPEN_NS, 'VER 9 MSNP8 CVR0\r\n')));
    await Promise.race([s.gone, sleep(3000)]);
    expect(s.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n\r\nVER 1 MSNP8 CVR0\r\n$/);
    expect(rig.gateway.sessionCount()).toBe(1);
  });

  it('an HTTP/1.0 client is answered and the connection closed unless it asked for keep-alive', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const s = await rawSocket(rig.port);
    s.write(latin1(rawRequest(OPEN_NS, VER)).replace(' HTTP/1.1\r\n', ' HTTP/1.0\r\n').replace('Connection: Keep-Alive\r\n', ''));
    await Promise.race([s.gone, sleep(3000)]);
    expect(s.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n\r\nVER 1 MSNP8 CVR0\r\n$/);
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    const kept = await c.send(latin1(rawRequest(OPEN_NS, VER)).replace(' HTTP/1.1\r\n', ' HTTP/1.0\r\n'));
    expect(kept.headers).toContainEqual(['Connection', 'keep-alive']);
    expect(sessionIdOf(kept)).toMatch(/^\d{9}\.\d{5}$/);
    expect(c.isClosed).toBe(false);
  });
});
