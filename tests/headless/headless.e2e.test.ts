// The headless inspector end to end over real loopback sockets: a scripted legacy client logs in
// through the gateway against the emulator (Passport login2.srf over HTTP for the ticket), and the
// session shows up through the WebSocket API; every operation of the contract answers over the
// WebSocket with the real inspector API; the capture log holds the run.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { CommandRecord, OperationName, SessionRecord } from '../../shared/api/contract.ts';
import { readAllEvents } from '../../electron/capture/log.ts';
import { startHeadless } from '../../electron/headless/headless.ts';
import type { Headless } from '../../electron/headless/headless.ts';
import { ApiClient } from '../../electron/headless/__test__/api-client.ts';
import { LegacyClient } from '../harness/legacy-clients.ts';
import { sleep } from '../harness/bytes.ts';

let dir: string;
let headless: Headless;
let client: LegacyClient;
let api: ApiClient;
let ticket: string;

async function twnTicket(passportUrl: string, handle: string, password: string): Promise<string> {
  const res = await fetch(`${passportUrl}/login2.srf`, {
    headers: {
      Authorization: `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=${encodeURIComponent(handle)},pwd=${encodeURIComponent(password)},lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=0123456789abcdef`,
    },
  });
  expect(res.status).toBe(200);
  const m = /from-PP='([^']+)'/.exec(res.headers.get('authentication-info') ?? '');
  expect(m).not.toBeNull();
  return m![1];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headless-e2e-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>inspector</title>');
  headless = await startHeadless({
    dataDir: join(dir, 'data'),
    rendererDir: join(dir, 'renderer'),
    gatewayPort: 0,
    nsPort: 0,
    sbPort: 0,
    warn: () => {},
    emulator: { challenge: { enabled: false }, bot: { presenceIntervalMs: 0, replyDelayMs: 0 } },
  });
  const a = headless.addresses;
  api = await ApiClient.connect(`ws://127.0.0.1:${a.inspector.port}/api?token=${a.inspector.token}`, { Origin: `http://127.0.0.1:${a.inspector.port}` });

  // MSN Messenger 6's way: VER, CVR, USR TWN I, the ticket from Passport, USR TWN S.
  client = new LegacyClient('msn-official', { port: a.gateway.port });
  await client.open('VER 1 MSNP8 CVR0\r\n');
  await client.pollUntil('VER 1 MSNP8');
  await client.send('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com\r\n');
  await client.pollUntil('CVR 2 ');
  await client.send('USR 3 TWN I alice@example.com\r\n');
  await client.pollUntil('USR 3 TWN S ');
  ticket = await twnTicket(a.passport!.url, 'alice@example.com', 'alice');
  await client.send(`USR 4 TWN S ${ticket}\r\n`);
  await client.pollUntil('USR 4 OK alice@example.com');
}, 30_000);

afterAll(async () => {
  client?.close();
  await api?.close();
  await headless?.close();
  await rm(dir, { recursive: true, force: true });
});

async function ok<T>(op: OperationName, request: unknown): Promise<T> {
  const result = await api.call(op, request);
  expect(result, `${op} ${JSON.stringify(result)}`).toMatchObject({ ok: true });
  return (result as { response: T }).response;
}

describe('startHeadless', () => {
  it('reports every endpoint, and the login arrives through the WebSocket API', async () => {
    const a = headless.addresses;
    expect(headless.lines()).toEqual([
      `gateway: http://127.0.0.1:${a.gateway.port}/gateway/gateway.dll`,
      `inspector: http://127.0.0.1:${a.inspector.port}/#token=${a.inspector.token}`,
      `ns: 127.0.0.1:${a.ns!.port}`,
      `sb: 127.0.0.1:${a.sb!.port}`,
      `passport: http://127.0.0.1:${a.passport!.port}`,
      `passport-tls: https://127.0.0.1:${a.passportTls!.port}`,
    ]);
    for (const line of headless.lines()) expect(line).toMatch(/^(gateway|inspector|ns|sb|passport|passport-tls): \S+$/);

    const sessions = await ok<SessionRecord[]>('sessions.list', {});
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ server: 'NS', user: 'alice@example.com', version: 8, state: 'open', upstream: 'emulator' });
    const page = await ok<{ items: CommandRecord[] }>('commands.query', { sessionId: sessions[0].id, limit: 100 });
    const lines = page.items.map((c) => `${c.direction} ${c.verb} ${c.trid}`);
    expect(lines.slice(0, 8)).toEqual([
      'client VER 1', 'server VER 1', 'client CVR 2', 'server CVR 2', 'client USR 3', 'server USR 3', 'client USR 4', 'server USR 4',
    ]);
    // The same arrived pushed, in batches.
    const pushed = await api.until(() => {
      const ids = new Set(api.batches.flatMap((b) => b.commands.map((c) => c.id)));
      return page.items.every((c) => ids.has(c.id)) && api.batches;
    });
    expect(pushed.some((b) => b.sessions.some((s) => s.id === sessions[0].id && s.user === 'alice@example.com'))).toBe(true);
    const status = await ok<{ gateway: { port: number; listening: boolean }; captureFile: string | null }>('status.get', {});
    expect(status.gateway).toMatchObject({ listening: true, port: a.gateway.port });
    expect(status.captureFile).toBe(a.capture);
  });

  it('serves the UI page on the same listener', async () => {
    const res = await fetch(`http://127.0.0.1:${headless.addresses.inspector.port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>inspector</title>');
  });

  it('answers every operation of the contract over the WebSocket, with the real inspector', async () => {
    const [session] = await ok<SessionRecord[]>('sessions.list', {});
    const { items } = await ok<{ items: CommandRecord[] }>('commands.query', { sessionId: session.id, limit: 10 });
    const exchanges = await ok<{ items: { id: number }[] }>('exchanges.list', { sessionId: session.id });
    const saved = join(dir, 'saved.ndjson');
    const har = join(dir, 'run.har');
    const requests: Record<OperationName, unknown> = {
      'status.get': {},
      'sessions.list': {},
      'sessions.get': { id: session.id },
      'commands.query': { filter: 'verb:USR dir:server', sessionId: session.id, offset: 0, limit: 5 },
      'commands.get': { id: items[0].id },
      'exchanges.list': { sessionId: session.id, offset: 0, limit: 5 },
      'exchanges.get': { id: exchanges.items[0].id },
      'findings.list': { offset: 0, limit: 5 },
      'inject.send': { sessionId: session.id, to: 'server', verb: 'CHG', args: ['NLN', '0'], trid: 'auto' },
      'inject.resend': { commandId: items.find((c) => c.verb === 'CVR' && c.direction === 'client')!.id },
      'capture.pause': {},
      'capture.resume': {},
      'breakpoints.list': {},
      'breakpoints.set': { filter: 'verb:MSG', direction: 'both', enabled: true },
      'breakpoints.remove': { id: 1 },
      'held.forward': { id: 999 },
      'held.drop': { id: 999 },
      'settings.get': {},
      'settings.set': { theme: 'dark' },
      'accounts.list': {},
      'accounts.create': { handle: 'carol@example.com', password: 'carol-pw', friendlyName: 'Carol' },
      'accounts.remove': { handle: 'carol@example.com' },
      'capture.save': { path: saved },
      'capture.export': { path: har, format: 'har' },
      'capture.open': { path: saved },
      'capture.import': { path: har },
      'capture.clear': {},
    };
    expect(Object.keys(requests).sort()).toEqual([...OPERATION_NAMES].sort());
    const responses: Partial<Record<OperationName, unknown>> = {};
    for (const op of Object.keys(requests) as OperationName[]) responses[op] = await ok(op, requests[op]);

    expect(responses['sessions.get']).toMatchObject({ id: session.id });
    expect((responses['commands.query'] as { items: CommandRecord[] }).items.every((c) => c.verb === 'USR' && c.direction === 'server')).toBe(true);
    expect(responses['commands.get']).toMatchObject({ command: { id: items[0].id }, raw: expect.any(String) });
    expect(responses['inject.send']).toMatchObject({ ok: true, raw: expect.any(String) });
    expect(Buffer.from((responses['inject.send'] as { raw: string }).raw, 'base64').toString()).toMatch(/^CHG \d+ NLN 0\r\n$/);
    expect(responses['held.forward']).toMatchObject({ ok: false });
    expect(responses['settings.set']).toMatchObject({ settings: { theme: 'dark' }, restartNeeded: false });
    expect(responses['accounts.list']).toEqual(expect.arrayContaining([{ handle: 'alice@example.com', friendlyName: expect.any(String), online: true }]));
    expect(responses['accounts.create']).toMatchObject({ ok: true });
    expect(responses['accounts.remove']).toMatchObject({ ok: true });
    expect(responses['capture.save']).toMatchObject({ ok: true, bytes: expect.any(Number) });
    expect(responses['capture.export']).toMatchObject({ ok: true, bytes: expect.any(Number) });
    expect(responses['capture.open']).toMatchObject({ ok: true });
    expect((responses['capture.open'] as { commands: number }).commands).toBeGreaterThanOrEqual(8);
    expect(responses['capture.import']).toMatchObject({ ok: true });
    expect(responses['capture.clear']).toMatchObject({ cleared: expect.any(Number) });

    // The injected CHG went to the emulator, and its answer rides on the client's next poll.
    await client.pollUntil((text) => /CHG \d+ NLN 0\r\n/.test(text));
  });

  it('answers a bad request to every operation with an error result, and keeps serving', async () => {
    for (const op of OPERATION_NAMES) {
      const result = await api.call(op, 42);
      expect(result, op).toMatchObject({ ok: false, error: expect.stringContaining(op) });
    }
    await ok('status.get', {});
  });

  it('exports the run in every format, redacted unless asked, and never overwrites a file', async () => {
    const out = (name: string) => join(dir, name);
    const token = ticket.slice(2, 12);
    for (const format of ['har', 'pcapng', 'transcript', 'ndjson'] as const) {
      expect(await ok(`capture.export`, { path: out(`x.${format}`), format }), format).toMatchObject({ ok: true, bytes: expect.any(Number) });
    }
    const transcript = await readFile(out('x.transcript'), 'utf8');
    expect(transcript).toMatch(/^C: NS \d+: VER 1 MSNP8 CVR0/m);
    expect(transcript).toContain('USR 4 TWN S [redacted]');
    for (const f of ['x.har', 'x.pcapng', 'x.transcript']) expect((await readFile(out(f))).includes(token), f).toBe(false);
    expect(await ok('capture.export', { path: out('u.transcript'), format: 'transcript', unredacted: true })).toMatchObject({ ok: true });
    expect(await readFile(out('u.transcript'), 'utf8')).toContain(ticket);
    expect(await ok('capture.export', { path: out('x.har'), format: 'har' })).toMatchObject({ ok: false, error: expect.stringMatching(/EEXIST/) });
  });

  it('writes the run to the capture log', async () => {
    const file = headless.addresses.capture!;
    // The writer flushes at least every 200 ms.
    let types = new Set<string>();
    for (let i = 0; i < 30 && !(types.has('session-opened') && types.has('http-request') && types.has('bytes')); i++) {
      if (i > 0) await sleep(100);
      types = new Set((await readAllEvents(file)).events.map((e) => e.type));
    }
    expect([...types]).toEqual(expect.arrayContaining(['session-opened', 'http-request', 'http-response', 'bytes']));
  });
});
