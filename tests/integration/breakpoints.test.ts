// Breakpoints end to end: set through the inspector API, held on the real gateway's relay path,
// edited or dropped by the user, and the change visible in the captured commands.
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import { RawClient, sessionIdOf, startUpstream } from '../../electron/gateway/__test__/raw-http.ts';
import { createInspectorApi } from '../../electron/inspector/api.ts';
import { deferredInterceptor } from '../../electron/inspector/interceptor.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const OPEN = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';

async function until<T>(get: () => Promise<T | null | undefined> | T | null | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function rig() {
  const up = await startUpstream((s, c) => s.write(c)); // echo, like a server acknowledging each command
  open.push(up);
  const breakpoints = deferredInterceptor();
  const gateway = createGateway({ port: 0, quietMs: 10, replyCapMs: 500, upstream: { kind: 'tcp', host: '127.0.0.1', port: up.port }, interceptor: breakpoints.hook });
  const api = createInspectorApi({ gateway, batchIntervalMs: 10 });
  breakpoints.bind(api.interceptor);
  const { port } = await gateway.listen();
  open.push({ close: () => api.close() }, gateway);
  const client = await RawClient.open(port);
  open.push(client);
  const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
  return { up, api, client, id };
}

describe('breakpoints through the inspector API and the gateway', () => {
  it('a held client command edited by the user reaches the server changed, and the grid shows it as edited', async () => {
    const { up, api, client, id } = await rig();
    const bp = await api.call('breakpoints.set', { filter: 'verb:CHG', direction: 'client', enabled: true });
    expect(bp).toMatchObject({ filter: 'verb:CHG', enabled: true });
    const reply = client.request(`/gateway/gateway.dll?SessionID=${id}`, 'CHG 6 NLN 0\r\n');
    const held = await until(async () => (await api.call('breakpoints.list', {})).held[0]);
    expect(Buffer.from(held.raw, 'base64').toString()).toBe('CHG 6 NLN 0\r\n');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(await api.call('held.forward', { id: held.id, raw: b64('CHG 6 BSY 0\r\n') })).toMatchObject({ ok: true });
    expect((await reply).body.toString()).toBe('CHG 6 BSY 0\r\n');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\nCHG 6 BSY 0\r\n');
    const page = await until(async () => {
      const p = await api.call('commands.query', { filter: 'verb:CHG dir:client' });
      return p.items.length > 0 ? p : null;
    });
    expect(page.items[0]).toMatchObject({ verb: 'CHG', args: ['6', 'BSY', '0'], origin: 'edited' });
  });

  it('a dropped command never reaches the server; later commands still do, in order', async () => {
    const { up, api, client, id } = await rig();
    await api.call('breakpoints.set', { filter: 'verb:PRP', direction: 'client', enabled: true });
    const reply = client.request(`/gateway/gateway.dll?SessionID=${id}`, 'PRP 7 MFN Alice\r\nCHG 8 NLN 0\r\n');
    const held = await until(async () => (await api.call('breakpoints.list', {})).held[0]);
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(await api.call('held.drop', { id: held.id })).toMatchObject({ ok: true });
    expect((await reply).body.toString()).toBe('CHG 8 NLN 0\r\n');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\nCHG 8 NLN 0\r\n');
  });

  it('with no breakpoint set, the relay does not wait for whole commands', async () => {
    const { up, client, id } = await rig();
    await client.request(`/gateway/gateway.dll?SessionID=${id}`, 'MSG 4 N 10\r\nhalf');
    await until(() => up.receivedAll().toString().endsWith('half'));
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\nMSG 4 N 10\r\nhalf');
  });
});
