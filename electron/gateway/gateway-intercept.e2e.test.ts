// Breakpoints on the relay path: commands held, edited, dropped in both directions, over real
// sockets; the events show what the user changed.
import { afterEach, describe, expect, it } from 'vitest';
import type { BytesEvent, GatewayEvent } from '../../shared/api/gateway-events.ts';
import { RawClient, sessionIdOf, startUpstream } from './__test__/raw-http.ts';
import { createGateway } from './index.ts';
import type { CommandInterceptor, InterceptDecision } from './types.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const enc = new TextEncoder();
const dec = new TextDecoder();
const OPEN = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';

async function setup(interceptor: CommandInterceptor, onData?: Parameters<typeof startUpstream>[0]) {
  const up = await startUpstream(onData);
  open.push(up);
  const gw = createGateway({ port: 0, quietMs: 10, replyCapMs: 300, upstream: { kind: 'tcp', host: '127.0.0.1', port: up.port }, interceptor });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  const { port } = await gw.listen();
  open.push(gw);
  const client = await RawClient.open(port);
  open.push(client);
  return { up, gw, client, events };
}

const bytesEvents = (events: GatewayEvent[], direction: 'client' | 'server') =>
  events.filter((e): e is BytesEvent => e.type === 'bytes' && e.direction === direction);

async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('gateway breakpoints', () => {
  it('holds a client command, later commands wait behind it, and the edit reaches the server', async () => {
    let release!: (d: InterceptDecision) => void;
    const hook: CommandInterceptor = {
      active: () => true,
      intercept: (_s, dir, raw) =>
        dir === 'client' && dec.decode(raw).startsWith('CHG') ? new Promise<InterceptDecision>((r) => (release = r)) : 'pass',
    };
    const { up, client, events } = await setup(hook);
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
    const pending = client.request(`/gateway/gateway.dll?SessionID=${id}`, 'CHG 6 NLN 0\r\nPRP 7 MFN x\r\n');
    await until(() => release !== undefined);
    await new Promise((r) => setTimeout(r, 30));
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\n');
    release({ action: 'forward', raw: enc.encode('CHG 6 AWY 0\r\n'), edited: true });
    const reply = await pending;
    expect(reply.body.toString()).toBe('CHG 6 AWY 0\r\nPRP 7 MFN x\r\n');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\nCHG 6 AWY 0\r\nPRP 7 MFN x\r\n');
    const sent = bytesEvents(events, 'client').map((e) => [dec.decode(e.bytes), e.origin ?? 'wire']);
    expect(sent).toEqual([
      ['VER 1 MSNP8 CVR0\r\n', 'wire'],
      ['CHG 6 AWY 0\r\n', 'edited'],
      ['PRP 7 MFN x\r\n', 'wire'],
    ]);
  });

  it('drops a server command; the client gets the rest, and the capture does not show it', async () => {
    const hook: CommandInterceptor = {
      intercept: (_s, dir, raw) => (dir === 'server' && dec.decode(raw).startsWith('NLN') ? Promise.resolve({ action: 'drop' }) : 'pass'),
    };
    const { client, events } = await setup(hook, (s, c) => {
      if (c.toString().startsWith('SYN')) s.write('SYN 5 1\r\nNLN NLN bob@example.com Bob 0\r\nGTC A\r\n');
      else s.write(c);
    });
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
    const reply = await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'SYN 5 0\r\n');
    let body = reply.body.toString();
    if (!body.includes('GTC')) body += (await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${id}`, '')).body.toString();
    expect(body).toBe('SYN 5 1\r\nGTC A\r\n');
    expect(bytesEvents(events, 'server').map((e) => dec.decode(e.bytes)).join('')).toBe('VER 1 MSNP8 CVR0\r\nSYN 5 1\r\nGTC A\r\n');
  });

  it('streams untouched, partial commands included, while no breakpoint is active', async () => {
    let asked = 0;
    const hook: CommandInterceptor = {
      active: () => false,
      intercept: () => {
        asked++;
        return 'pass';
      },
    };
    const { up, client } = await setup(hook, () => {});
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
    await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'MSG 3 A 5\r\nhe');
    await until(() => up.receivedAll().length === 'VER 1 MSNP8 CVR0\r\nMSG 3 A 5\r\nhe'.length);
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\nMSG 3 A 5\r\nhe');
    expect(asked).toBe(0);
  });

  it('relays the bytes of a server command cut off by the upstream closing', async () => {
    const hook: CommandInterceptor = { intercept: () => 'pass' };
    const { client } = await setup(hook, (s, c) => {
      if (c.toString().startsWith('VER')) {
        s.write('VER 1 MSNP8\r\nMSG Hotmail Hotmail 100\r\nonly part');
        s.end();
      }
    });
    const first = await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n');
    let body = first.body.toString();
    let close = first.header('X-MSN-Messenger') ?? '';
    if (!close.includes('Session=close')) {
      const more = await client.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(first)}`, '');
      body += more.body.toString();
      close = more.header('X-MSN-Messenger') ?? '';
    }
    expect(body).toBe('VER 1 MSNP8\r\nMSG Hotmail Hotmail 100\r\nonly part');
    expect(close).toContain('Session=close');
  });
});
