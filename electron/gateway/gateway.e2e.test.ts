// End-to-end over real loopback sockets: raw HTTP in, a tiny TCP echo upstream behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { RawClient, sessionIdOf, startUpstream, type TestUpstream } from './__test__/raw-http.ts';
import { createGateway } from './index.ts';
import type { Gateway, GatewayOptions } from './types.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(extra: Partial<GatewayOptions> = {}, upstreamHandler?: Parameters<typeof startUpstream>[0]) {
  const upstream: TestUpstream = await startUpstream(upstreamHandler);
  open.push(upstream);
  const gw: Gateway = createGateway({ port: 0, upstream: { kind: 'tcp', host: '127.0.0.1', port: upstream.port }, quietMs: 10, ...extra });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  const { port } = await gw.listen();
  open.push(gw);
  const client = await RawClient.open(port);
  open.push(client);
  return { gw, upstream, client, port, events };
}

const OPEN_NS = 'http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';

describe('gateway end to end', () => {
  it('opens an NS session with the VER body and answers with the echo and the exact head', async () => {
    const { client, upstream } = await setup();
    const r = await client.request(OPEN_NS, 'VER 5 MSNP8 CVR0\r\n');
    expect(r.statusLine).toBe('HTTP/1.1 200 OK');
    expect(r.body.toString()).toBe('VER 5 MSNP8 CVR0\r\n');
    expect(r.header('X-MSN-Messenger')).toMatch(/^SessionID=\d{9}\.\d{5}; GW-IP=127\.0\.0\.1$/);
    expect(r.head).toBe(
      'HTTP/1.1 200 OK\r\n' +
        `X-MSN-Messenger: SessionID=${sessionIdOf(r)}; GW-IP=127.0.0.1\r\n` +
        'Content-Type: application/x-msn-messenger\r\n' +
        'Content-Length: 18\r\n' +
        'Connection: keep-alive\r\n\r\n',
    );
    expect(upstream.receivedAll().toString()).toBe('VER 5 MSNP8 CVR0\r\n');
  });

  it('relays later commands and polls on the same keep-alive connection, with a new minor each time', async () => {
    const { client } = await setup();
    const r1 = await client.request(OPEN_NS, 'VER 1 MSNP8\r\n');
    const id1 = sessionIdOf(r1);
    const r2 = await client.request(`/gateway/gateway.dll?SessionID=${id1}`, 'CVR 2 0x0409 winnt 5.1\r\n');
    expect(r2.body.toString()).toBe('CVR 2 0x0409 winnt 5.1\r\n');
    const id2 = sessionIdOf(r2);
    expect(id2.split('.')[0]).toBe(id1.split('.')[0]);
    const r3 = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${id2}`);
    expect(r3.status).toBe(200);
    expect(r3.body.length).toBe(0);
    expect(client.closed).toBe(false);
  });

  it('answers 400 with an empty body for an unknown SessionID, 404 elsewhere, 405 for GET in faithful', async () => {
    const { client } = await setup();
    const r = await client.request('/gateway/gateway.dll?SessionID=123456789.12345', 'VER 1 MSNP8\r\n');
    expect(r.status).toBe(400);
    expect(r.body.length).toBe(0);
    expect((await client.request('/other', '')).status).toBe(404);
    const g = await client.request('/gateway/gateway.dll?Action=open&Server=NS', '', [], 'GET');
    expect(g.status).toBe(405);
    expect(g.header('Allow')).toBe('POST');
  });

  it('sends Session=close with the remaining data when the upstream closes, then 400', async () => {
    const { client } = await setup({}, (s, c) => {
      s.write(c);
      if (c.toString().startsWith('OUT')) s.end();
    });
    const id = sessionIdOf(await client.request(OPEN_NS, 'VER 1 MSNP8\r\n'));
    const r = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'OUT\r\n');
    expect(r.body.toString()).toBe('OUT\r\n');
    expect(r.header('X-MSN-Messenger')).toMatch(/; Session=close$/);
    const after = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r)}`);
    expect(after.status).toBe(400);
  });
});
