import { describe, expect, it } from 'vitest';
import { Framer } from './framer.ts';
import { MAX_CACHED_VERBS, MAX_TABLES, TRID_ASK, TRID_FIRST, TRID_NONE, verbInfo, verbTableCount, verbTableFor } from './framer-verbs.ts';
import { PAYLOAD_TABLE, payloadRule } from './payload-table.ts';
import { ASYNC_SERVER_VERBS, CLIENT_VERBS_WITHOUT_TRID, SYN_LIST_VERBS_NO_TRID, SYN_SETTING_VERBS, tridOf } from './trid.ts';
import { COMMAND_VERBS } from './catalog.ts';
import type { CommandItem, FramingContext, Item } from './types.ts';
import { concatBytes } from './bytes.ts';

const enc = new TextEncoder();

const contexts: FramingContext[] = [];
for (const direction of ['client', 'server'] as const) {
  for (const server of ['NS', 'SB'] as const) {
    for (let version = 2; version <= 21; version++) contexts.push({ direction, server, version });
  }
}

const verbs = [
  ...new Set([
    ...COMMAND_VERBS,
    ...PAYLOAD_TABLE.map((e) => e.verb).filter((v) => v !== 'NNN'),
    ...ASYNC_SERVER_VERBS,
    ...CLIENT_VERBS_WITHOUT_TRID,
    ...SYN_LIST_VERBS_NO_TRID,
    ...SYN_SETTING_VERBS,
    '201', '911', '540', '000', 'ZZZ',
  ]),
];

// Token shapes that exercise every TrID and payload rule: none, a TrID alone, a TrID with a word,
// a word first, a numeric last token (a payload length where the verb carries one), a long number.
const shapes: string[][] = [[], ['7'], ['7', 'OK'], ['AL', '7'], ['7', 'a@b.c', '3'], ['x', 'y', '0'], ['4294967296', 'z'], ['12', '1234567890123456']];

/** Frames the parts in one push (the fast path), and with every part cut after its second byte (the general path). */
function bothWays(parts: Uint8Array[], ctx: FramingContext): { whole: Item[]; cut: Item[] } {
  const f1 = new Framer(ctx);
  const whole = [...f1.push(concatBytes(parts)), ...f1.end()];
  const f2 = new Framer(ctx);
  const cut: Item[] = [];
  for (const p of parts) cut.push(...f2.push(p.subarray(0, 2)), ...f2.push(p.subarray(2)));
  cut.push(...f2.end());
  return { whole, cut };
}

const latin1 = new TextDecoder('latin1');
function summary(item: Item): string {
  const bytes = latin1.decode(item.raw);
  if (item.kind === 'malformed') return `${item.offset} ${item.reason} ${bytes}`;
  const { offset, line, verb, args, trid, payloadLength, payload, errorCode } = item;
  return JSON.stringify([offset, line, verb, args, trid, payloadLength, payload && latin1.decode(payload), errorCode, bytes]);
}

describe('framer verb table', () => {
  it('frames every verb, context and token shape the same on the fast and general paths, with the reference TrID and payload rules', () => {
    let commands = 0;
    for (const ctx of contexts) {
      const parts: Uint8Array[] = [];
      for (const verb of verbs) {
        for (const args of shapes) {
          const line = enc.encode([verb, ...args].join(' ') + '\r\n');
          // A short payload when the rule says the last token is its length, so both sides agree.
          const takes = payloadRule(verb, args, ctx) ? Number(args[args.length - 1]) : 0;
          parts.push(concatBytes([line, enc.encode('x'.repeat(Number.isSafeInteger(takes) && takes < 10 ? takes : 0))]));
        }
      }
      const { whole, cut } = bothWays(parts, ctx);
      // Compared as text: deep equality over tens of thousands of items would dominate the run.
      expect(cut.map(summary)).toEqual(whole.map(summary));
      const wrong: string[] = [];
      for (const item of whole) {
        if (item.kind !== 'command') continue;
        commands++;
        const trid = tridOf(item.verb, item.args, ctx);
        const carries = payloadRule(item.verb, item.args, ctx);
        const errorCode = /^\d{3}$/.test(item.verb) ? Number(item.verb) : null;
        if (item.trid !== trid || (item.payloadLength !== null) !== carries || item.errorCode !== errorCode) wrong.push(item.line);
      }
      expect(wrong, JSON.stringify(ctx)).toEqual([]);
    }
    expect(commands).toBeGreaterThan(contexts.length * verbs.length * 5);
  });

  it('classifies TrID slots: fixed where the rules ignore the tokens, asked per line where they do not', () => {
    const ns8: FramingContext = { direction: 'server', server: 'NS', version: 8 };
    const t = verbTableFor(ns8);
    const code = (v: string) => [v.charCodeAt(0), v.charCodeAt(1), v.charCodeAt(2)] as const;
    expect(verbInfo(t, ns8, ...code('NLN'))?.trid).toBe(TRID_NONE);
    expect(verbInfo(t, ns8, ...code('USR'))?.trid).toBe(TRID_FIRST);
    expect(verbInfo(t, ns8, ...code('BLP'))?.trid).toBe(TRID_ASK);
    expect(verbInfo(t, ns8, ...code('201'))).toMatchObject({ verb: '201', errorCode: 201, trid: TRID_FIRST });
    expect(verbInfo(t, ns8, ...code('MsG'))).toBeUndefined();
    expect(verbInfo(t, ns8, ...code('1A2'))).toBeUndefined();
  });

  it('caches a bounded number of verbs per context and stays correct past the bound', () => {
    // A context no other test uses, so the table starts empty.
    const ctx: FramingContext = { direction: 'client', server: 'SB', version: 3 };
    const table = verbTableFor(ctx);
    const lines: Uint8Array[] = [];
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) lines.push(enc.encode(`${String.fromCharCode(a, b, 65 + ((a + b) % 26))} 1 x\r\n`));
    }
    expect(lines.length).toBeGreaterThan(MAX_CACHED_VERBS / 2);
    // Twice over, so the second round reads both cached and uncached verbs.
    const data = concatBytes([...lines, ...lines, enc.encode('MSG 9 N 2\r\nhi')]);
    const items = new Framer(ctx).push(data);
    expect(table.size).toBeLessThanOrEqual(MAX_CACHED_VERBS);
    expect(items).toHaveLength(lines.length * 2 + 1);
    expect(items.every((i) => i.kind === 'command' && i.trid === (i.verb === 'MSG' ? 9 : 1))).toBe(true);
    const last = items[items.length - 1] as CommandItem;
    expect(new TextDecoder().decode(last.payload as Uint8Array)).toBe('hi');

    const spray = new Framer(ctx);
    const all: Uint8Array[] = [];
    for (let a = 65; a <= 90; a++) for (let b = 65; b <= 90; b++) for (let c = 65; c <= 90; c += 5) all.push(enc.encode(`${String.fromCharCode(a, b, c)} 2\r\n`));
    const sprayed = spray.push(concatBytes(all));
    expect(all.length).toBeGreaterThan(MAX_CACHED_VERBS);
    expect(table.size).toBe(MAX_CACHED_VERBS);
    expect(sprayed.every((i) => i.kind === 'command' && i.trid === 2)).toBe(true);
  });

  it('keeps a bounded number of context tables, and framers past the bound still frame correctly', () => {
    // Versions a VER exchange can never set (setVersion clamps), only a constructor can.
    for (let v = 1000; v < 1000 + MAX_TABLES * 2; v++) {
      const items = new Framer({ direction: 'server', server: 'NS', version: v }).push(enc.encode(`USR ${v} OK\r\nQNG 5\r\n`));
      expect(items.map((i) => (i.kind === 'command' ? i.trid : i.reason))).toEqual([v, null]);
    }
    expect(verbTableCount()).toBeLessThanOrEqual(MAX_TABLES);
  });
});
