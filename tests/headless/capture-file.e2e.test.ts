// `--capture run.ndjson` end to end: a scripted MSN Messenger 6 logs in through the gateway against
// the emulator and changes its status six times while the headless inspector writes the run to one named
// file with a small segment size (so it continues in run.0001.ndjson, ...). After the run, `export
// run.ndjson` gives HAR and a transcript of the whole run, and another inspector reopens the file
// (capture.open, what the UI's Open does) with every command.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRecord, SessionRecord } from '../../shared/api/contract.ts';
import { readAllEvents } from '../../electron/capture/read.ts';
import { main } from '../../electron/headless/cli.ts';
import { startHeadless } from '../../electron/headless/headless.ts';
import type { Headless } from '../../electron/headless/headless.ts';
import { LegacyClient } from '../harness/legacy-clients.ts';

let dir: string;
let file: string;
let ticket: string;
let liveCommands: number;
const opened: Headless[] = [];

async function twnTicket(passportUrl: string, handle: string, password: string): Promise<string> {
  const res = await fetch(`${passportUrl}/login2.srf`, {
    headers: {
      Authorization: `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=${encodeURIComponent(handle)},pwd=${encodeURIComponent(password)},lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=0123456789abcdef`,
    },
  });
  expect(res.status).toBe(200);
  return /from-PP='([^']+)'/.exec(res.headers.get('authentication-info') ?? '')![1];
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capture-file-e2e-'));
  file = join(dir, 'run.ndjson');
  const headless = await startHeadless({
    dataDir: join(dir, 'data'),
    rendererDir: '/nonexistent',
    gatewayPort: 0,
    nsPort: 0,
    sbPort: 0,
    capture: file,
    captureLimits: { segmentBytes: 4096 },
    warn: () => {},
    emulator: { challenge: { enabled: false }, bot: { presenceIntervalMs: 0, replyDelayMs: 0 } },
  });
  opened.push(headless);
  expect(headless.addresses.capture).toBe(file);
  const a = headless.addresses;
  const client = new LegacyClient('msn-official', { port: a.gateway.port });
  try {
    await client.open('VER 1 MSNP8 CVR0\r\n');
    await client.pollUntil('VER 1 MSNP8');
    await client.send('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com\r\n');
    await client.pollUntil('CVR 2 ');
    await client.send('USR 3 TWN I alice@example.com\r\n');
    await client.pollUntil('USR 3 TWN S ');
    ticket = await twnTicket(a.passport!.url, 'alice@example.com', 'alice');
    await client.send(`USR 4 TWN S ${ticket}\r\n`);
    await client.pollUntil('USR 4 OK alice@example.com');
    for (let i = 0; i < 6; i++) {
      await client.send(`CHG ${5 + i} ${i % 2 ? 'BSY' : 'NLN'} 0\r\n`);
      await client.pollUntil(`CHG ${5 + i} `);
    }
  } finally {
    client.close();
  }
  const sessions = (await headless.api.call('sessions.list', {})) as unknown as SessionRecord[];
  const page = (await headless.api.call('commands.query', { sessionId: sessions[0].id, limit: 1000 })) as unknown as { items: CommandRecord[] };
  liveCommands = page.items.length;
  await headless.close();
}, 30_000);

afterAll(async () => {
  for (const h of opened) await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('headless --capture run.ndjson', () => {
  it('writes the run to that file and continues it beside it, every segment of one capture', async () => {
    const names = (await readdir(dir)).filter((n) => n.startsWith('run.')).sort();
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual(['run.ndjson', ...Array.from({ length: names.length - 1 }, (_, i) => `run.${String(i + 1).padStart(4, '0')}.ndjson`)].sort());
    const { events, problems, headers } = await readAllEvents(file);
    expect(problems).toEqual([]);
    expect(headers.map((h) => h.segment)).toEqual(names.map((_, i) => i));
    expect(new Set(headers.map((h) => h.captureId)).size).toBe(1);
    expect(events.every((e, i) => i === 0 || e.seq > events[i - 1].seq)).toBe(true);
    expect(events.some((e) => e.type === 'session-closed')).toBe(true);
  });

  it('exports the whole run from the file: HAR and transcript, redacted', async () => {
    const { events } = await readAllEvents(file);
    const a = io();
    expect(await main(['export', file, '--format', 'har', '-o', join(dir, 'run.har')], a.io), a.err.join('')).toBe(0);
    const har = JSON.parse(await readFile(join(dir, 'run.har'), 'utf8'));
    expect(har.log.entries).toHaveLength(events.filter((e) => e.type === 'http-request').length);
    const posted = har.log.entries.map((e: { request: { postData?: { text: string } } }) => e.request.postData?.text ?? '').join('');
    for (const line of ['VER 1 MSNP8 CVR0', 'USR 3 TWN I alice@example.com', 'USR 4 TWN S [redacted]', 'CHG 10 BSY 0']) expect(posted).toContain(line);
    expect(JSON.stringify(har)).not.toContain(ticket);

    const b = io();
    expect(await main(['export', file, '--format', 'transcript', '-o', join(dir, 'run.txt')], b.io), b.err.join('')).toBe(0);
    const transcript = await readFile(join(dir, 'run.txt'), 'utf8');
    expect(transcript).toMatch(/^C: NS 000: VER 1 MSNP8 CVR0$/m);
    expect(transcript).toMatch(/^S: NS 000: USR 4 OK alice@example\.com/m);
    expect(transcript.match(/^S: NS 000: CHG \d+ (NLN|BSY)/gm)).toHaveLength(6);
    expect(b.out.join('')).toMatch(new RegExp(`^exported ${events.length} events \\(${liveCommands} commands\\)`));
  });

  it('reopens in another inspector (the UI\'s Open) with every command of the run', async () => {
    const viewer = await startHeadless({ dataDir: join(dir, 'viewer'), rendererDir: '/nonexistent', gatewayPort: 0, nsPort: 0, sbPort: 0, upstream: { host: '127.0.0.1', port: 9 }, capture: `${join(dir, 'viewer-captures')}/`, warn: () => {} });
    opened.push(viewer);
    expect(await viewer.api.call('capture.open', { path: file })).toEqual({ ok: true, commands: liveCommands });
    const sessions = (await viewer.api.call('sessions.list', {})) as unknown as SessionRecord[];
    expect(sessions).toEqual([expect.objectContaining({ server: 'NS', user: 'alice@example.com' })]);
    const page = (await viewer.api.call('commands.query', { sessionId: sessions[0].id, limit: 1000 })) as unknown as { items: CommandRecord[] };
    expect(page.items.map((c) => `${c.direction} ${c.verb}`).slice(0, 4)).toEqual(['client VER', 'server VER', 'client CVR', 'server CVR']);
    expect(page.items.filter((c) => c.verb === 'CHG' && c.direction === 'server')).toHaveLength(6);
  });
});
