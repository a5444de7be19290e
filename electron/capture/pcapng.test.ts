// pcapng through Debian's tshark (installed in CI): both legs decode, the MSNMS lines tshark shows
// equal the codec's lines for the same bytes, and TCP analysis finds nothing wrong.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BytesEvent, GatewayEvent } from '../../shared/api/gateway-events.ts';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { Direction, Item, ServerKind } from '../../shared/msnp/types.ts';
import { TWN_TICKET, XFR_COOKIE, runGateway, type GatewayRun } from './__test__/gateway-run.ts';
import { toPcapng } from './pcapng.ts';
import { redactEvents } from './redact.ts';

const run$ = promisify(execFile);
const DISSECT = ['-d', 'tcp.port==80,http', '-d', 'tcp.port==1864,msnms'];
async function tshark(file: string, ...args: string[]): Promise<string> {
  const { stdout } = await run$('tshark', ['-r', file, ...DISSECT, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

interface Packet {
  stream: number;
  srcport: number;
  dstport: number;
  msnms: string[];
}

const utf8 = new TextDecoder();
function parsePdml(xml: string): Packet[] {
  return xml.split('<packet>').slice(1).map((p) => {
    const field = (name: string) => Number(new RegExp(`<field name="${name.replace('.', '\\.')}"[^>]* show="(\\d+)"`).exec(p)?.[1] ?? -1);
    const msnms: string[] = [];
    for (const section of p.split('<proto name="msnms"').slice(1)) {
      const body = section.slice(0, section.indexOf('</proto>'));
      for (const m of body.matchAll(/<field name="" [^>]*value="([0-9a-f]*)"/g)) msnms.push(utf8.decode(Buffer.from(m[1], 'hex')));
    }
    return { stream: field('tcp.stream'), srcport: field('tcp.srcport'), dstport: field('tcp.dstport'), msnms };
  });
}

function frame(bytes: Uint8Array, server: ServerKind, direction: Direction): Item[] {
  const d = new ConnectionDecoder(server);
  return [...d.push(direction, bytes), ...d.end(direction)];
}

/**
 * The lines a line-based dissector should show for these commands: each command's line (as the
 * codec parsed it) and its payload's lines. With `glue`, a payload without a final LF runs into
 * the next command's line, as it does inside one HTTP body.
 */
function codecLines(items: Item[], glue: boolean): string[] {
  const lines: string[] = [];
  let carry = '';
  for (const item of items) {
    expect(item.kind).toBe('command');
    if (item.kind !== 'command') continue;
    const pieces = [item.line + '\r\n'];
    if (item.payload && item.payload.length > 0) pieces.push(...(utf8.decode(item.payload).match(/[^\n]*\n|[^\n]+$/g) ?? []));
    pieces[0] = carry + pieces[0];
    carry = '';
    if (glue && !pieces.at(-1)!.endsWith('\n')) carry = pieces.pop()!;
    lines.push(...pieces);
  }
  if (carry) lines.push(carry);
  return lines;
}

const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const streamBytes = (events: GatewayEvent[], sessionId: string, direction: Direction) =>
  concat(events.filter((e): e is BytesEvent => e.type === 'bytes' && e.sessionId === sessionId && e.direction === direction).map((e) => e.bytes));

let run: GatewayRun;
let dir: string;
let file: string;
let packets: Packet[];
/** One row per packet: the FIELDS below, tab-separated (tshark is slow to start: one call for all). */
let rows: Record<string, string>[];
const FIELDS = ['frame.time_epoch', 'ip.checksum.status', 'tcp.checksum.status', 'tcp.len', '_ws.expert.severity', '_ws.expert.message', 'frame.comment', 'http.request.method', 'http.response.code'];
async function fieldRows(f: string): Promise<Record<string, string>[]> {
  const out = await tshark(f, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((x) => ['-e', x]));
  return out.replace(/\n$/, '').split('\n').map((line) => Object.fromEntries(FIELDS.map((name, i) => [name, line.split('\t')[i] ?? ''])));
}
beforeAll(async () => {
  run = await runGateway();
  dir = await mkdtemp(join(tmpdir(), 'pcapng-test-'));
  file = join(dir, 'run.pcapng');
  await writeFile(file, toPcapng(run.events));
  [packets, rows] = await Promise.all([tshark(file, '-T', 'pdml').then(parsePdml), fieldRows(file)]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pcapng of a real gateway run, read by tshark', () => {
  it('has both legs: one HTTP connection per client connection and one MSNP connection per session', async () => {
    const conv = await tshark(file, '-q', '-z', 'conv,tcp');
    expect(conv).toMatch(/10\.0\.0\.1:49152\s+<->\s+10\.0\.0\.2:80/);
    expect(conv).toMatch(/10\.0\.0\.2:40000\s+<->\s+10\.0\.0\.3:1863/);
    expect(conv.match(/10\.0\.0\.3:1864/g)).toHaveLength(2);
    const clientPorts = new Set(run.events.flatMap((e) => (e.type === 'http-request' ? [e.clientPort] : [])));
    expect(conv.match(/:80\s/g)).toHaveLength(clientPorts.size);
  });

  it('every checksum is right and TCP analysis flags nothing (no lost segments, no retransmissions, no window problems)', async () => {
    expect(rows.length).toBe(packets.length);
    for (const r of rows) {
      expect([r['ip.checksum.status'], r['tcp.checksum.status']]).toEqual(['1', '1']); // 1 = good
      expect(Number(r['tcp.len'])).toBeLessThanOrEqual(1460);
      // Chat (0x200000) and note (0x400000) only: handshakes, FINs, HTTP request lines.
      for (const sev of r['_ws.expert.severity'].split('|').filter(Boolean)) expect(Number(sev)).toBeLessThan(0x600000);
    }
    const messages = rows.map((r) => r['_ws.expert.message']).join('\n');
    expect(messages).not.toMatch(/previous segment not captured|Retransmission|ACKed segment that wasn't captured|Out-Of-Order|window/i);
    expect(messages).toMatch(/Connection finish \(FIN\)/);
    expect(await tshark(file, '-Y', 'tcp.analysis.flags')).toBe('');
  });

  it('the MSNMS lines tshark shows on the gateway <-> server leg equal the codec lines, both directions of every session', () => {
    const redacted = redactEvents(run.events);
    const sessions = run.events.filter((e) => e.type === 'upstream-connected').map((u) => run.events.find((e) => e.type === 'session-opened' && e.sessionId === u.sessionId)!);
    const msnpStreams = [...new Set(packets.filter((p) => p.dstport === 1863 || p.dstport === 1864).map((p) => p.stream))];
    expect(msnpStreams).toHaveLength(sessions.length);
    sessions.forEach((s, i) => {
      if (s.type !== 'session-opened') return;
      const inStream = packets.filter((p) => p.stream === msnpStreams[i]);
      const fromServer = (p: Packet) => p.srcport === 1863 || p.srcport === 1864;
      const toServerLines = inStream.filter((p) => !fromServer(p)).flatMap((p) => p.msnms);
      const fromServerLines = inStream.filter(fromServer).flatMap((p) => p.msnms);
      expect(toServerLines).toEqual(codecLines(frame(streamBytes(redacted, s.sessionId, 'client'), s.server, 'client'), false));
      expect(fromServerLines).toEqual(codecLines(frame(streamBytes(redacted, s.sessionId, 'server'), s.server, 'server'), false));
      expect(toServerLines.length).toBeGreaterThan(0);
      expect(fromServerLines.length).toBeGreaterThan(0);
    });
    const all = packets.flatMap((p) => p.msnms).join('');
    expect(all).toContain('USR 4 TWN S [redacted]\r\n');
    expect(all).not.toContain(TWN_TICKET);
    expect(all).not.toContain(XFR_COOKIE);
  });

  it('the HTTP leg decodes as HTTP and each body as MSNMS, with the same lines as the codec', async () => {
    const redacted = redactEvents(run.events);
    const requests = redacted.filter((e) => e.type === 'http-request');
    const methods = rows.map((r) => r['http.request.method']).filter(Boolean);
    expect(methods).toEqual(requests.map(() => 'POST'));
    const codes = rows.map((r) => r['http.response.code']).filter(Boolean);
    expect(codes).toEqual(redacted.flatMap((e) => (e.type === 'http-response' ? [String(e.status)] : [])));
    for (const [direction, type] of [['client', 'http-request'], ['server', 'http-response']] as const) {
      const expected = redacted.flatMap((e) => (e.type === type && e.body.length > 0 ? codecLines(frame(e.body, 'NS', direction), true) : []));
      const shown = packets.filter((p) => (direction === 'client' ? p.dstport === 80 : p.srcport === 80)).flatMap((p) => p.msnms);
      expect(shown).toEqual(expected);
      expect(shown.length).toBeGreaterThan(10);
    }
  });

  it('timestamps are the events\' times (microseconds) and SYN packets carry the session label', async () => {
    const first = rows[0]['frame.time_epoch'];
    expect(Math.abs(Number(first) * 1000 - run.events.find((e) => e.type === 'http-request')!.time)).toBeLessThan(0.01);
    const comments = rows.map((r) => r['frame.comment']).filter(Boolean).join('\n');
    expect(comments).toMatch(/^NS 000: gateway session \d{9}$/m);
    expect(comments).toMatch(/^SB 001: gateway session \d{9}$/m);
    expect(comments).toMatch(/^HTTP connection 1 \(client port \d+\)$/m);
  });

  it('unredacted keeps the secrets on the wire', async () => {
    const raw = join(dir, 'raw.pcapng');
    await writeFile(raw, toPcapng(run.events, { unredacted: true }));
    const lines = parsePdml(await tshark(raw, '-T', 'pdml')).flatMap((p) => p.msnms).join('');
    expect(lines).toContain(`USR 4 TWN S ${TWN_TICKET}\r\n`);
  });

  it('a large server burst is cut into MSS-sized segments, ACKed within the window', async () => {
    const big = new Uint8Array(200_000).fill(0x41);
    const events: GatewayEvent[] = [
      { type: 'session-opened', seq: 1, time: 1000, sessionId: '1', server: 'SB', requestedIp: '', clientAddress: '127.0.0.1', clientPort: 1, upstream: { host: 'h', port: 1864, kind: 'tcp' } },
      { type: 'upstream-connected', seq: 2, time: 1001, sessionId: '1', host: 'h', port: 1864 },
      { type: 'bytes', seq: 3, time: 1002, sessionId: '1', direction: 'server', exchangeId: null, bytes: concat([new TextEncoder().encode(`MSG a@b.c A ${big.length}\r\n`), big]) },
      { type: 'session-closed', seq: 4, time: 1003, sessionId: '1', reason: 'upstream-closed' },
    ];
    const f = join(dir, 'big.pcapng');
    await writeFile(f, toPcapng(events));
    const big$ = await fieldRows(f);
    const lens = big$.map((r) => Number(r['tcp.len']));
    expect(lens.reduce((a, b) => a + b, 0)).toBe(200_000 + `MSG a@b.c A 200000\r\n`.length);
    expect(Math.max(...lens)).toBe(1460);
    for (const r of big$) expect(r['_ws.expert.message']).not.toMatch(/window|not captured|Retransmission/i);
  });
});
