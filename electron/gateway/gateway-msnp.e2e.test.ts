// Behaviour that depends on reading MSNP commands: PNG, OUT, switchboard address learning.
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { RawClient, sessionIdOf, startUpstream, type TestUpstream } from './__test__/raw-http.ts';
import { createGateway } from './index.ts';
import type { Gateway, GatewayOptions } from './types.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(upstream: TestUpstream, extra: Partial<GatewayOptions> = {}) {
  const gw: Gateway = createGateway({ port: 0, quietMs: 10, upstream: { kind: 'tcp', host: '127.0.0.1', port: upstream.port }, ...extra });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  const { port } = await gw.listen();
  open.push(gw);
  const client = await RawClient.open(port);
  open.push(client);
  return { gw, client, events };
}

const OPEN = 'http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';
const closeReason = (events: GatewayEvent[]) => {
  const e = events.find((x) => x.type === 'session-closed');
  return e?.type === 'session-closed' ? e.reason : null;
};

describe('PNG over HTTP', () => {
  it('faithful: 400, session closed png-over-http, PNG not forwarded', async () => {
    const up = await startUpstream();
    open.push(up);
    const { client, events, gw } = await setup(up);
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8\r\n'));
    const r = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'PNG\r\n');
    expect(r.status).toBe(400);
    expect(closeReason(events)).toBe('png-over-http');
    expect(gw.sessionCount()).toBe(0);
    await new Promise((res) => setTimeout(res, 20));
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8\r\n');
  });

  it('lenient: PNG is relayed and QNG comes back', async () => {
    const up = await startUpstream((s, c) => s.write(c.toString() === 'PNG\r\n' ? 'QNG 50\r\n' : c));
    open.push(up);
    const { client } = await setup(up, { profile: 'lenient' });
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8\r\n'));
    const r = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'PNG\r\n');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('QNG 50\r\n');
  });
});

describe('OUT', () => {
  it('is relayed, and the upstream close after it ends the session as client-out', async () => {
    const up = await startUpstream((s, c) => {
      if (c.toString().includes('OUT\r\n')) s.end();
      else s.write(c);
    });
    open.push(up);
    const { client, events } = await setup(up);
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8\r\n'));
    const r = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'OUT\r\n');
    expect(r.header('X-MSN-Messenger')).toMatch(/; Session=close$/);
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8\r\nOUT\r\n');
    expect(closeReason(events)).toBe('client-out');
  });
});

describe('switchboard address learning', () => {
  it('maps an SB open with IP=<host> (no port) to the port announced by a relayed XFR', async () => {
    // The SB listens on its own ephemeral port, like Escargot's 1864.
    const sb = await startUpstream((s, c) => s.write(c.toString().startsWith('USR') ? 'USR 1 OK a@b.c A\r\n' : c));
    open.push(sb);
    const ns = await startUpstream((s, c) => {
      if (c.toString().startsWith('XFR')) s.write(`XFR 10 SB 127.0.0.1:${sb.port} CKI 214963.1047973248.28908 U messenger.msn.com 1\r\n`);
      else s.write(c);
    });
    open.push(ns);
    const { client, events } = await setup(ns);
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP14\r\n'));
    const x = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'XFR 10 SB\r\n');
    expect(x.body.toString()).toContain(`127.0.0.1:${sb.port}`);
    const sbOpen = await client.request('/gateway/gateway.dll?Action=open&Server=SB&IP=127.0.0.1', 'USR 1 a@b.c 214963.1047973248.28908\r\n');
    expect(sbOpen.status).toBe(200);
    expect(sbOpen.body.toString()).toBe('USR 1 OK a@b.c A\r\n');
    expect(sb.receivedAll().toString()).toBe('USR 1 a@b.c 214963.1047973248.28908\r\n');
    const opened = events.filter((e) => e.type === 'session-opened');
    expect(opened[1]?.type === 'session-opened' && opened[1].upstream).toEqual({ host: '127.0.0.1', port: sb.port, kind: 'tcp' });
  });

  it('learns from RNG as well, and refuses an SB host nobody announced', async () => {
    const sb = await startUpstream();
    open.push(sb);
    const ns = await startUpstream((s, c) => {
      s.write(c);
      if (c.toString().startsWith('VER')) s.write(`RNG 11752013 127.0.0.1:${sb.port} CKI 849102291.520491113 alice@hotmail.com Alice\r\n`);
    });
    open.push(ns);
    const { client } = await setup(ns, { quietMs: 40 });
    const r = await client.request(OPEN, 'VER 1 MSNP8\r\n');
    expect(r.body.toString()).toContain('RNG 11752013');
    const bad = await client.request('/gateway/gateway.dll?Action=open&Server=SB&IP=10.1.1.1', 'ANS 1 me@hotmail.com 1.2 3\r\n');
    expect(bad.status).toBe(403);
    // The cookie is preferred over IP=: the address announced with it wins.
    const good = await client.request('/gateway/gateway.dll?Action=open&Server=SB&IP=127.0.0.9', 'ANS 1 me@hotmail.com 849102291.520491113 11752013\r\n');
    expect(good.status).toBe(200);
    expect(good.body.toString()).toBe('ANS 1 me@hotmail.com 849102291.520491113 11752013\r\n');
  });
});

describe('reply timing by command', () => {
  it('a request whose commands get no reply (MSG U) is answered after the quiet window, not the reply cap', async () => {
    const up = await startUpstream((s, c) => {
      if (c.toString().startsWith('VER')) s.write(c);
    });
    open.push(up);
    const { client } = await setup(up, { replyCapMs: 5000 });
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8\r\n'));
    const sent = Date.now();
    const r = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'MSG 2 U 5\r\nhello');
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    // Generous bound: far below the 5 s cap it would otherwise wait for.
    expect(Date.now() - sent).toBeLessThan(2500);
  });
});
