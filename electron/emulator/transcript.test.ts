// Replays the client side of real Escargot transcripts (copied into __fixtures__, see README there)
// against the emulator and compares the shape of every server line, per connection.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from './accounts.ts';
import { TicketStore } from './tickets.ts';
import { createEmulator } from './emulator.ts';
import type { Emulator } from './emulator.ts';
import { md5Hex } from '../../shared/msnp/challenge.ts';
import type { CommandItem } from '../../shared/msnp/types.ts';
import { TestClient } from './test-support/client.ts';
import { parseTranscript, shape } from './test-support/transcript.ts';

let emulator: Emulator | null = null;
afterEach(async () => {
  await emulator?.close();
  emulator = null;
});

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

interface Replay {
  ours: Map<string, string[]>;
  theirs: Map<string, string[]>;
}

/** Plays every client line in order; waits for the server to go quiet after each one. */
async function replay(name: string, linked: boolean): Promise<Replay> {
  const accounts = new AccountStore({ dataDir: null, seedDemo: false });
  for (const who of ['alice', 'bob']) accounts.create({ handle: `${who}@example.com`, password: who, friendlyName: `${who}@example.com` });
  if (linked) {
    for (const [a, b] of [['alice', 'bob'], ['bob', 'alice']]) {
      accounts.addContact(`${a}@example.com`, 'FL', `${b}@example.com`);
      accounts.addContact(`${a}@example.com`, 'AL', `${b}@example.com`);
    }
  }
  const tickets = new TicketStore();
  emulator = createEmulator({ accounts, tickets, options: { challenge: { enabled: false }, bot: { enabled: false } } });
  const entries = parseTranscript(fixture(name));
  const clients = new Map<string, TestClient>();
  const ours = new Map<string, string[]>();
  const theirs = new Map<string, string[]>();
  const last = new Map<string, CommandItem>();
  const record = (conn: string, cmds: CommandItem[]): void => {
    for (const cmd of cmds) {
      ours.set(conn, [...(ours.get(conn) ?? []), shape(cmd.line)]);
      last.set(`${conn} ${cmd.verb}`, cmd);
    }
  };
  const em = emulator;
  for (const e of entries) {
    if (e.dir === 'S') {
      theirs.set(e.conn, [...(theirs.get(e.conn) ?? []), shape(e.line)]);
      continue;
    }
    let client = clients.get(e.conn);
    if (client === undefined) {
      client = TestClient.inProcess(em.connect, e.conn.endsWith('SB') ? 'SB' : 'NS');
      clients.set(e.conn, client);
    }
    const who = e.conn.startsWith('A') ? 'alice' : 'bob';
    const ns = `${e.conn[0]}-NS`;
    let line = e.line;
    const t = line.split(' ');
    if (t[0] === 'USR' && t[2] === 'MD5' && t[3] === 'S') line = `USR ${t[1]} MD5 S ${md5Hex(last.get(`${ns} USR`)!.args[3] + who)}`;
    if (t[0] === 'USR' && t[2] === 'TWN' && t[3] === 'S') line = `USR ${t[1]} TWN S ${tickets.issue(`${who}@example.com`).ticket}`;
    if (t[0] === 'USR' && t[2] === 'SSO' && t[3] === 'S') line = `USR ${t[1]} SSO S ${tickets.issue(`${who}@example.com`).ticket} AQAAAA==`;
    if (e.conn.endsWith('SB') && t[0] === 'USR') line = `USR ${t[1]} ${t[2]} ${last.get(`${ns} XFR`)!.args[4]}`;
    if (e.conn.endsWith('SB') && t[0] === 'ANS') {
      const rng = last.get(`${ns} RNG`)!;
      line = `ANS ${t[1]} ${t[2]} ${rng.args[3]} ${rng.args[0]}`;
    }
    if (e.payload === null) client.line(line);
    else client.line(line.split(' ').slice(0, -1).join(' '), e.payload);
    for (const [conn, c] of clients) record(conn, await c.drain(15));
  }
  return { ours, theirs };
}

/** Lines only one side sent, per connection (as multisets: cross-connection timing differs). */
function differences(r: Replay): Record<string, { onlyTheirs: string[]; onlyOurs: string[] }> {
  const out: Record<string, { onlyTheirs: string[]; onlyOurs: string[] }> = {};
  for (const conn of new Set([...r.ours.keys(), ...r.theirs.keys()])) {
    const ours = [...(r.ours.get(conn) ?? [])];
    const onlyTheirs: string[] = [];
    for (const line of r.theirs.get(conn) ?? []) {
      const at = ours.indexOf(line);
      if (at >= 0) ours.splice(at, 1);
      else onlyTheirs.push(line);
    }
    if (onlyTheirs.length > 0 || ours.length > 0) out[conn] = { onlyTheirs, onlyOurs: ours };
  }
  return out;
}

describe('replaying real Escargot transcripts', () => {
  it('MSNP7 (MD5, lists, ADD, chat): same lines, except the documented differences', async () => {
    const diff = differences(await replay('msnp7-tcp.txt', false));
    expect(diff).toEqual({
      // Escargot: SYN list version 1 on a fresh account (ours 0 -> still "#"), BPR phone lines
      // (not emulated), ILN with the ADD's TrID for the new contact (ours: NLN, as MSNP8 Escargot).
      'B-NS': {
        onlyTheirs: ['BPR # alice@example.com PHH', 'BPR # alice@example.com PHW', 'BPR # alice@example.com PHM', 'BPR # alice@example.com MOB N', 'ILN # NLN alice@example.com alice@example.com'],
        // Ours: FLN when alice signs out at the end (the recording stopped before Escargot's).
        onlyOurs: ['NLN NLN alice@example.com alice@example.com', 'FLN alice@example.com'],
      },
      // Ours tells A about bob as soon as A lists him and when bob allows A (Escargot, MSNP7: once).
      'A-NS': { onlyTheirs: [], onlyOurs: ['NLN NLN bob@example.com bob@example.com'] },
    });
  });

  it('MSNP8 (TWN, SYN, chat): same lines, except the documented differences', async () => {
    const diff = differences(await replay('msnp8-tcp.txt', true));
    // The accounts start linked, as in the recording, where Escargot still accepted ADD of a
    // contact already on FL/AL; the store answers 215 instead (and so no NLN follows those).
    expect(diff).toEqual({
      'A-NS': {
        onlyTheirs: ['ADD # FL # bob@example.com bob', 'ADD # AL # bob@example.com bob', 'NLN NLN bob@example.com bob@example.com #'],
        onlyOurs: ['215 #', '215 #'],
      },
      'B-NS': {
        onlyTheirs: ['NLN NLN alice@example.com alice@example.com #', 'ADD # FL # alice@example.com alice', 'ADD # AL # alice@example.com alice'],
        // Ours: FLN when alice signs out at the end (the recording stopped before Escargot's).
        onlyOurs: ['215 #', '215 #', 'FLN alice@example.com'],
      },
    });
  });

  it('MSNP15 (SSO, BLP, ADL, CHG, XFR): same lines', async () => {
    const diff = differences(await replay('msnp15-sso-tcp.txt', true));
    expect(diff).toEqual({});
  });
});
