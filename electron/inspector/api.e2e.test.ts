// The inspector over a REAL gateway: a libpurple-style client on loopback HTTP, the gateway, and a
// tiny MSNP server on TCP. Injection both ways must arrive byte-correct on the other side and come
// back through the event path marked injected and paired.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../shared/api/contract.ts';
import { createGateway } from '../gateway/index.ts';
import type { Gateway, GatewayOptions } from '../gateway/types.ts';
import { bytesEqual, waitFor } from '../../tests/harness/bytes.ts';
import { LegacyClient } from '../../tests/harness/legacy-clients.ts';
import type { ClientProfileName } from '../../tests/harness/legacy-clients.ts';
import { startScriptedUpstream } from '../../tests/harness/scripted-upstream.ts';
import type { ScriptedUpstream, UpstreamConn } from '../../tests/harness/scripted-upstream.ts';
import { createInspectorApi } from './api.ts';
import type { InspectorApi } from './api.ts';

const enc = new TextEncoder();
const b64 = (s: string | Uint8Array) => Buffer.from(typeof s === 'string' ? enc.encode(s) : s).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Answers VER, CHG, XFR and SB USR like an MSNP8 server; everything else gets no answer. */
function miniServer(sbAddress: () => string): (conn: UpstreamConn, chunk: Uint8Array) => void {
  const pending = new Map<UpstreamConn, string>();
  return (conn, chunk) => {
    let text = (pending.get(conn) ?? '') + Buffer.from(chunk).toString('latin1');
    let at: number;
    while ((at = text.indexOf('\r\n')) >= 0) {
      const [verb, trid, ...rest] = text.slice(0, at).split(' ');
      text = text.slice(at + 2);
      if (verb === 'VER') conn.write(`VER ${trid} MSNP8\r\n`);
      if (verb === 'CHG') conn.write(`CHG ${trid} ${rest[0]} 0\r\n`);
      if (verb === 'XFR') conn.write(`XFR ${trid} SB ${sbAddress()} CKI 1234.5678\r\n`);
      if (verb === 'USR' && rest[1] === '1234.5678') conn.write(`USR ${trid} OK ${rest[0]} Alice\r\n`);
    }
    pending.set(conn, text);
  };
}

/** Like waitFor, for checks that need to await the API. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

interface Rig {
  api: InspectorApi;
  gateway: Gateway;
  port: number;
  upstream: ScriptedUpstream;
  client: LegacyClient;
  batches: EventBatch[];
  sessionId: string;
}

async function rig(options: Partial<GatewayOptions> = {}, profile: ClientProfileName = 'libpurple'): Promise<Rig> {
  let address = '';
  const upstream = await startScriptedUpstream({ handler: miniServer(() => address) });
  address = `${upstream.host}:${upstream.port}`;
  cleanup.push(() => upstream.close());
  const gateway = createGateway({ host: '127.0.0.1', port: 0, upstream: { kind: 'tcp', host: upstream.host, port: upstream.port }, replyCapMs: 150, quietMs: 10, ...options });
  const api = createInspectorApi({ gateway, batchIntervalMs: 20 });
  cleanup.push(() => gateway.close());
  cleanup.push(() => api.close());
  const batches: EventBatch[] = [];
  api.onBatch((b) => batches.push(b));
  const { port } = await gateway.listen();
  const client = new LegacyClient(profile, { port });
  cleanup.push(() => client.close());
  await client.open('VER 1 MSNP8 CVR0\r\n');
  await client.pollUntil('VER 1 MSNP8\r\n');
  const sessions = await api.call('sessions.list', {});
  expect(sessions).toHaveLength(1);
  return { api, gateway, port, upstream, client, batches, sessionId: sessions[0].id };
}

describe('inspector API over a real gateway', () => {
  it('models the session, its exchanges and paired commands, and batches them', async () => {
    const { api, batches, sessionId } = await rig();
    const session = (await api.call('sessions.get', { id: sessionId }))!;
    expect(session).toMatchObject({ server: 'NS', version: 8, state: 'open', requestedIp: 'messenger.hotmail.com' });
    expect(session.gatewaySessionIds[0]).toMatch(new RegExp(`^${sessionId}\\.\\d{5}$`));
    const page = await api.call('commands.query', { sessionId });
    expect(page.items.map((c) => [c.direction, c.verb, c.trid])).toEqual([
      ['client', 'VER', 1],
      ['server', 'VER', 1],
    ]);
    expect(page.items[0].pairId).toBe(page.items[1].id);
    const detail = (await api.call('commands.get', { id: page.items[1].id }))!;
    expect(unb64(detail.raw)).toEqual(enc.encode('VER 1 MSNP8\r\n'));
    expect(detail.fields.length).toBeGreaterThan(0);

    const exchanges = await api.call('exchanges.list', { sessionId });
    const open = exchanges.items.find((x) => x.kind === 'open')!;
    expect(open.commandIds).toEqual(page.items.map((c) => c.id)); // the reply rode on the open's response
    const x = (await api.call('exchanges.get', { id: open.id }))!;
    expect(Buffer.from(x.requestHead, 'base64').toString('latin1')).toMatch(/^POST http:\/\/gateway\.messenger\.hotmail\.com\/gateway\/gateway\.dll\?Action=open/);
    expect(Buffer.from(x.requestBody, 'base64').toString()).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(Buffer.from(x.responseBody!, 'base64').toString()).toBe('VER 1 MSNP8\r\n');
    expect(Buffer.from(x.responseHead!, 'base64').toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\nX-MSN-Messenger: SessionID=/);

    await waitFor(() => batches.flatMap((b) => b.commands).length >= 2, 1000, 'batches with both commands');
    const sent = batches.flatMap((b) => b.commands).map((c) => c.verb);
    expect(sent).toEqual(['VER', 'VER']);
    expect(batches.flatMap((b) => b.sessions).some((s) => s.id === sessionId)).toBe(true);
  });

  it('injects to the server with the next TrID, byte-correct, and pairs the reply', async () => {
    const { api, upstream, client, sessionId } = await rig();
    const res = await api.call('inject.send', { sessionId, to: 'server', verb: 'CHG', args: ['NLN', '0'], trid: 'auto' });
    expect(res).toEqual({ ok: true, raw: b64('CHG 2 NLN 0\r\n') });
    const conn = await upstream.connection(0);
    await waitFor(() => conn.receivedText() === 'VER 1 MSNP8 CVR0\r\nCHG 2 NLN 0\r\n', 2000, 'injected bytes upstream');
    await client.pollUntil('CHG 2 NLN 0\r\n');
    const page = await api.call('commands.query', { filter: 'verb:CHG' });
    expect(page.items.map((c) => [c.direction, c.origin])).toEqual([
      ['client', 'injected'],
      ['server', 'wire'],
    ]);
    expect(page.items[0].pairId).toBe(page.items[1].id);
    const second = await api.call('inject.send', { sessionId, to: 'server', verb: 'CHG', args: ['BSY', '0'], trid: 'auto' });
    expect(second).toEqual({ ok: true, raw: b64('CHG 3 BSY 0\r\n') });
  });

  it('injects to the client on its next response, byte-correct with a UTF-8 payload', async () => {
    const { api, client, sessionId } = await rig();
    const payload = enc.encode('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhé ☃ 😀');
    const res = await api.call('inject.send', { sessionId, to: 'client', verb: 'MSG', args: ['Hotmail', 'Hotmail'], payload: b64(payload) });
    expect(res.ok).toBe(true);
    const expected = new Uint8Array([...enc.encode(`MSG Hotmail Hotmail ${payload.length}\r\n`), ...payload]);
    expect(res.ok && unb64(res.raw)).toEqual(expected);
    const before = client.receivedBytes().length;
    await client.poll();
    expect(bytesEqual(client.receivedBytes().subarray(before), expected)).toBe(true);
    const msg = await api.call('commands.query', { filter: 'verb:MSG' });
    expect(msg.items).toHaveLength(1);
    expect(msg.items[0]).toMatchObject({ direction: 'server', origin: 'injected', payloadLength: payload.length });
  });

  it('resends a captured command and refuses what cannot be injected', async () => {
    const { api, upstream, sessionId, gateway } = await rig();
    const [ver] = (await api.call('commands.query', { filter: 'dir:client verb:VER' })).items;
    expect(await api.call('inject.resend', { commandId: ver.id })).toEqual({ ok: true, raw: b64('VER 1 MSNP8 CVR0\r\n') });
    const conn = await upstream.connection(0);
    await waitFor(() => conn.receivedText() === 'VER 1 MSNP8 CVR0\r\nVER 1 MSNP8 CVR0\r\n', 2000, 'resent bytes upstream');
    expect(await api.call('inject.resend', { commandId: 999_999 })).toMatchObject({ ok: false, error: expect.stringContaining('not in memory') });
    expect(await api.call('inject.send', { sessionId, to: 'server', verb: 'MSG', args: ['N'], trid: 'auto' })).toMatchObject({ ok: false, error: expect.stringContaining('carries a payload') });
    expect(await api.call('inject.send', { sessionId, to: 'server', verb: 'CHG', args: ['two words'] })).toMatchObject({ ok: false, error: expect.stringContaining('space') });
    expect(await api.call('inject.send', { sessionId: 'nope', to: 'server', verb: 'OUT', args: [] })).toEqual({ ok: false, error: 'unknown session "nope"' });
    await gateway.close();
    expect(await api.call('inject.send', { sessionId, to: 'server', verb: 'OUT', args: [] })).toMatchObject({ ok: false });
  });

  it('links an SB session to the NS session whose XFR announced its cookie', async () => {
    const { api, client, port, sessionId } = await rig();
    await client.send('XFR 2 SB\r\n');
    await client.pollUntil('CKI 1234.5678');
    const sb = new LegacyClient('libpurple', { port, server: 'SB', ip: '127.0.0.1' });
    cleanup.push(() => sb.close());
    await sb.open('USR 1 alice@example.com 1234.5678\r\n');
    await sb.pollUntil('USR 1 OK');
    const sessions = await api.call('sessions.list', {});
    const sbRecord = sessions.find((r) => r.server === 'SB')!;
    expect(sbRecord).toMatchObject({ parentSessionId: sessionId, user: 'alice@example.com' });
  });

  it('findings from the real gateway: PNG over HTTP, overlapping request, idle timeout', async () => {
    const png = await rig();
    expect((await png.client.send('PNG\r\n'))[0].status).toBe(400);
    await until(async () => (await png.api.call('findings.list', {})).items.some((f) => f.code === 'png-over-http'), 2000, 'png finding');

    const overlap = await rig({}, 'bitlbee');
    const results = await Promise.all([overlap.client.poll(), overlap.client.send('ZZZ 5\r\n')]);
    expect(results.flat().some((r) => r.status === 400)).toBe(true);
    const codes = (await overlap.api.call('findings.list', {})).items.map((f) => f.code);
    expect(codes).toContain('overlap-rejected');

    const idle = await rig({ idleTimeoutMs: 150 });
    const closed = await until(async () => (await idle.api.call('sessions.get', { id: idle.sessionId }))?.state === 'closed', 3000, 'idle close');
    expect(closed).toBe(true);
    const idleFindings = await idle.api.call('findings.list', { sessionId: idle.sessionId });
    expect(idleFindings.items.map((f) => f.code)).toContain('idle-timeout');
  });
});
