// The four real transcripts (copied into __fixtures__/, see its README) framed back from bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConnectionDecoder } from './connection.ts';
import { Framer } from './framer.ts';
import { serializeItems } from './serialize.ts';
import type { CommandItem, Direction, Item } from './types.ts';
import { chunkBySizes, parseTranscript, streamOf } from './__fixtures__/transcript-streams.ts';
import type { TranscriptConnection } from './__fixtures__/transcript-streams.ts';

const load = (name: string) => parseTranscript(readFileSync(new URL(`./__fixtures__/transcripts/${name}`, import.meta.url), 'utf8'));
const FILES = ['msnp7-tcp.txt', 'msnp8-tcp.txt', 'msnp8-http-via-relay.txt', 'msnp15-sso-tcp.txt'] as const;
const DIRECTIONS: Direction[] = ['client', 'server'];

/** Replays a connection command by command, both directions interleaved as recorded. */
function replay(conn: TranscriptConnection): { decoder: ConnectionDecoder; items: Record<Direction, Item[]> } {
  const decoder = new ConnectionDecoder(conn.server);
  const items: Record<Direction, Item[]> = { client: [], server: [] };
  for (const c of conn.commands) items[c.direction].push(...decoder.push(c.direction, c.bytes));
  for (const d of DIRECTIONS) items[d].push(...decoder.end(d));
  return { decoder, items };
}

function expectMatchesTranscript(conn: TranscriptConnection, direction: Direction, items: Item[]): void {
  const expected = conn.commands.filter((c) => c.direction === direction);
  expect(items.every((i) => i.kind === 'command')).toBe(true);
  const got = items as CommandItem[];
  expect(got.map((i) => i.line)).toEqual(expected.map((c) => c.line));
  expect(got.map((i) => i.verb)).toEqual(expected.map((c) => c.line.slice(0, 3)));
  expect(got.map((i) => i.payloadLength)).toEqual(expected.map((c) => (c.payload ? c.payload.length : null)));
  got.forEach((item, k) => {
    if (expected[k].payload) expect(item.payload).toEqual(expected[k].payload);
  });
  expect(serializeItems(items)).toEqual(streamOf(conn, direction));
}

describe.each(FILES)('transcript %s', (file) => {
  const connections = load(file);

  it('has connections with commands in both directions', () => {
    expect(connections.length).toBeGreaterThanOrEqual(1);
    for (const conn of connections) {
      expect(conn.commands.some((c) => c.direction === 'client')).toBe(true);
      expect(conn.commands.some((c) => c.direction === 'server')).toBe(true);
    }
  });

  it('frames every command back from the recorded bytes, payloads included, and round-trips', () => {
    for (const conn of connections) {
      const { items } = replay(conn);
      for (const d of DIRECTIONS) expectMatchesTranscript(conn, d, items[d]);
    }
  });

  it('frames each direction identically in one push, byte by byte, and in 7-byte pieces', () => {
    for (const conn of connections) {
      const { decoder } = replay(conn);
      for (const d of DIRECTIONS) {
        const bytes = streamOf(conn, d);
        const ctx = { direction: d, server: conn.server, version: decoder.version };
        const once = new Framer(ctx).push(bytes);
        expectMatchesTranscript(conn, d, once);
        for (const step of [1, 7]) {
          const f = new Framer(ctx);
          const items: Item[] = [];
          for (let at = 0; at < bytes.length; at += step) items.push(...f.push(bytes.subarray(at, at + step)));
          items.push(...f.end());
          expect(items).toEqual(once);
        }
      }
    }
  });

  it('pairs every request with its reply; no reply lacks a request', () => {
    for (const conn of connections) {
      const { decoder } = replay(conn);
      expect(decoder.unpairedReplies()).toEqual([]);
      expect(decoder.pending().map((t) => t.request.line)).toEqual([]);
    }
  });
});

describe('transcript details', () => {
  it('follows the VER exchange per connection', () => {
    const versions = (file: string) =>
      Object.fromEntries(load(file).map((conn) => { const { decoder } = replay(conn); return [conn.name, [decoder.version, decoder.versionState]]; }));
    expect(versions('msnp7-tcp.txt')).toEqual({ 'A-NS': [7, 'negotiated'], 'B-NS': [7, 'negotiated'], 'A-SB': [8, 'assumed'], 'B-SB': [8, 'assumed'] });
    expect(versions('msnp15-sso-tcp.txt')).toEqual({ 'A-NS': [15, 'negotiated'] });
  });

  it('MSNP15: async `GCF 0 1187` (policy XML with bare LFs), `ADL 6 63` from the client, `ADL 6 OK` from the server', () => {
    const [ns] = load('msnp15-sso-tcp.txt');
    const { items, decoder } = replay(ns);
    const server = items.server as CommandItem[];
    const gcf = server.find((i) => i.verb === 'GCF')!;
    expect([gcf.trid, gcf.payloadLength]).toEqual([0, 1187]);
    expect(decoder.pairInfo(gcf)?.role).toBe('async');
    expect(new TextDecoder().decode(gcf.payload!)).toMatch(/^<Policies>\n\t<Policy type="SHIELDS"/);
    const adl = (items.client as CommandItem[]).find((i) => i.verb === 'ADL')!;
    expect([adl.trid, adl.payloadLength]).toEqual([6, 63]);
    const adlOk = server.find((i) => i.verb === 'ADL')!;
    expect([adlOk.args, adlOk.payloadLength]).toEqual([['6', 'OK'], null]);
    expect(decoder.pairOf(adl)).toBe(adlOk);
    const sbs = server.find((i) => i.verb === 'SBS')!;
    expect(sbs.trid).toBe(0);
  });

  it('MSNP7 list lines carry the SYN TrID and are related to it; MSNP8 ones carry none', () => {
    const [ns7] = load('msnp7-tcp.txt');
    const r7 = replay(ns7);
    const lsg7 = (r7.items.server as CommandItem[]).find((i) => i.verb === 'LSG')!;
    expect(lsg7.trid).toBe(6);
    expect(r7.decoder.pairInfo(lsg7)?.role).toBe('related');
    const bns7 = load('msnp7-tcp.txt').find((c) => c.name === 'B-NS')!;
    const bpr = (replay(bns7).items.server as CommandItem[]).filter((i) => i.verb === 'BPR');
    expect(bpr.map((i) => [i.args[0], i.trid])).toEqual([['3', null], ['3', null], ['3', null], ['3', null]]);

    const [ns8] = load('msnp8-tcp.txt');
    const server8 = replay(ns8).items.server as CommandItem[];
    expect(server8.filter((i) => ['GTC', 'BLP', 'LSG', 'LST'].includes(i.verb)).map((i) => [i.line, i.trid])).toEqual([
      ['GTC A', null],
      ['BLP AL', null],
      ['LSG 0 Other%20Contacts 0', null],
      ['LST bob@example.com bob@example.com 11 0', null],
    ]);
  });

  it('the HTTP gateway transcript, chunked exactly as the gateway carried it, frames the same', () => {
    for (const conn of load('msnp8-http-via-relay.txt')) {
      const { decoder, items } = replay(conn);
      for (const d of DIRECTIONS) {
        const chunks = chunkBySizes(streamOf(conn, d), conn.http[d]);
        expect(chunks.length).toBeGreaterThan(0);
        const f = new Framer({ direction: d, server: conn.server, version: decoder.version });
        const viaHttp = [...chunks.flatMap((c) => f.push(c)), ...f.end()];
        expect(viaHttp).toEqual(items[d]);
      }
    }
  });
});
