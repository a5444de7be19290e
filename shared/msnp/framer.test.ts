import { describe, expect, it } from 'vitest';
import { Framer } from './framer.ts';
import type { CommandItem, Direction, FramerLimits, FramingContext, Item, MalformedItem, ServerKind } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { concatBytes } from './bytes.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string) => enc.encode(s);
const ctx = (direction: Direction, version = 8, server: ServerKind = 'NS'): FramingContext => ({ direction, server, version });

/** Frames `input` pushed in pieces of `step` bytes (whole when 0), then ends the stream. */
function frame(input: Uint8Array | string, c: FramingContext, limits?: Partial<FramerLimits>, step = 0): Item[] {
  const data = typeof input === 'string' ? bytes(input) : input;
  const f = new Framer(c, limits);
  const items: Item[] = [];
  if (step <= 0) items.push(...f.push(data));
  else for (let at = 0; at < data.length; at += step) items.push(...f.push(data.subarray(at, at + step)));
  items.push(...f.end());
  return items;
}

function expectAccounted(items: Item[], input: Uint8Array): void {
  expect(concatBytes(items.map((i) => i.raw))).toEqual(input);
  let at = 0;
  for (const item of items) {
    expect(item.offset).toBe(at);
    at += item.raw.length;
  }
}

const commands = (items: Item[]) => items.filter((i): i is CommandItem => i.kind === 'command');
const malformed = (items: Item[]) => items.filter((i): i is MalformedItem => i.kind === 'malformed');

describe('Framer: command lines', () => {
  it('fills every field of a plain command', () => {
    const [item] = frame('CHG 7 NLN 0\r\n', ctx('client'));
    expect(item).toEqual({
      kind: 'command', raw: bytes('CHG 7 NLN 0\r\n'), offset: 0, line: 'CHG 7 NLN 0', verb: 'CHG', args: ['7', 'NLN', '0'],
      trid: 7, payloadLength: null, payload: null, errorCode: null,
    });
  });

  it('a verb alone, and numeric errors with their code', () => {
    const items = commands(frame('PNG\r\n', ctx('client')).concat(frame('201 19\r\n911 3\r\n', ctx('server'))));
    expect(items.map((i) => [i.verb, i.args, i.trid, i.errorCode])).toEqual([
      ['PNG', [], null, null],
      ['201', ['19'], 19, 201],
      ['911', ['3'], 3, 911],
    ]);
  });

  it('keeps tokens exactly as on the wire (no URL decoding)', () => {
    const [item] = commands(frame('LSG 0 Other%20Contacts 0\r\n', ctx('server')));
    expect(item.args).toEqual(['0', 'Other%20Contacts', '0']);
    expect(item.trid).toBeNull();
  });

  it('decodes the line as UTF-8 for display; invalid bytes become U+FFFD, the raw bytes stay', () => {
    const raw = concatBytes([bytes('NLN NLN a@b.c '), new Uint8Array([0xc3, 0xa9, 0xff]), bytes(' 0\r\n')]);
    const [item] = commands(frame(raw, ctx('server')));
    expect(item.line).toBe('NLN NLN a@b.c é\uFFFD 0');
    expect(item.raw).toEqual(raw);
  });

  it('reports offsets across items', () => {
    const items = frame('VER 1 MSNP8\r\nCVR 2 x\r\nOUT\r\n', ctx('client'));
    expect(items.map((i) => i.offset)).toEqual([0, 13, 22]);
  });
});

describe('Framer: payloads', () => {
  it('frames a MSG with its payload and no terminator after it', () => {
    const items = frame('MSG a@b.c Alice 5\r\nhelloACK 3\r\n', ctx('server', 8, 'SB'));
    const [msg, ack] = commands(items);
    expect(msg.payloadLength).toBe(5);
    expect(dec.decode(msg.payload!)).toBe('hello');
    expect(msg.line).toBe('MSG a@b.c Alice 5');
    expect(dec.decode(msg.raw)).toBe('MSG a@b.c Alice 5\r\nhello');
    expect(ack.verb).toBe('ACK');
    expect(ack.offset).toBe(24);
  });

  it('counts multi-byte UTF-8 payloads in bytes, not characters', () => {
    const body = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nпривет 今日は 😀';
    const payload = bytes(body);
    expect(payload.length).not.toBe(body.length);
    const input = concatBytes([bytes(`MSG 4 N ${payload.length}\r\n`), payload, bytes('PNG\r\n')]);
    const items = frame(input, ctx('client', 12, 'SB'));
    expect(commands(items).map((i) => i.verb)).toEqual(['MSG', 'PNG']);
    expect(dec.decode(commands(items)[0].payload!)).toBe(body);
    expectAccounted(items, input);
  });

  it('keeps binary P2P payloads with CR, LF, CRLF and NUL bytes intact', () => {
    const head = bytes('MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\nP2P-Dest: b@c.d\r\n\r\n');
    const bin = new Uint8Array(300);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 37) & 0xff;
    bin.set([13, 10, 0, 13, 10, 13, 0, 10], 100);
    const payload = concatBytes([head, bin]);
    const input = concatBytes([bytes(`MSG 5 D ${payload.length}\r\n`), payload, bytes('MSG 6 U 0\r\n')]);
    for (const step of [0, 1, 7, 64]) {
      const items = frame(input, ctx('client', 9, 'SB'), undefined, step);
      expect(malformed(items)).toEqual([]);
      expect(commands(items).map((i) => i.payloadLength)).toEqual([payload.length, 0]);
      expect(commands(items)[0].payload).toEqual(payload);
      expectAccounted(items, input);
    }
  });

  it('a zero-length payload (`UUX 21 0`) is a payload of 0 bytes, not null', () => {
    const [uux, next] = commands(frame('UUX 21 0\r\nCHG 22 NLN 0\r\n', ctx('server', 11)));
    expect(uux.payloadLength).toBe(0);
    expect(uux.payload).toEqual(new Uint8Array(0));
    expect(next.verb).toBe('CHG');
  });

  it('decides by the table: traps that end in numbers stay plain lines', () => {
    const stream = 'CHL 0 15570131571988941333\r\nQNG 50\r\nQRY 10\r\nUSR 7 OK a@b.c Name 1 0\r\nSYN 8 1\r\nILN 6 NLN a@b.c a@b.c 0\r\n';
    const items = frame(stream, ctx('server', 9));
    expect(commands(items).map((i) => i.payloadLength)).toEqual([null, null, null, null, null, null]);
  });

  it('GCF from the server carries a payload in both forms; the client GCF does not', () => {
    const s = commands(frame('GCF 0 3\r\nabcGCF 5 Shields.xml 2\r\nxyGCF 6 Shields.xml\r\n', ctx('server', 13)));
    expect(s.map((i) => [i.trid, i.payloadLength])).toEqual([[0, 3], [5, 2], [6, null]]);
    const c = commands(frame('GCF 5 Shields.xml\r\n', ctx('client', 13)));
    expect(c[0].payloadLength).toBeNull();
  });

  it('server ADL: `ADL 0 len` has a payload, `ADL 1 OK` does not', () => {
    const items = commands(frame('ADL 1 OK\r\nADL 0 4\r\n<ml>', ctx('server', 13)));
    expect(items.map((i) => [i.trid, i.payloadLength])).toEqual([[1, null], [0, 4]]);
  });

  it('client QRY carries its 32-byte answer; the server reply does not', () => {
    const c = commands(frame('QRY 10 PROD0090YUAUV{2B 32\r\n85ecb0db8f32113df79ce0892b9a102cPNG\r\n', ctx('client', 11)));
    expect(c.map((i) => [i.verb, i.payloadLength])).toEqual([['QRY', 32], ['PNG', null]]);
    expect(commands(frame('QRY 10\r\n', ctx('server', 11)))[0].payloadLength).toBeNull();
  });

  it('UBX in each version form', () => {
    expect(commands(frame('UBX a@b.c 2\r\nab', ctx('server', 11)))[0].payloadLength).toBe(2);
    expect(commands(frame('UBX a@b.c 1 2\r\nab', ctx('server', 14)))[0].payloadLength).toBe(2);
    expect(commands(frame('UBX 1:a@b.c 0\r\n', ctx('server', 18)))[0].payloadLength).toBe(0);
  });

  it('PUT from the server: `PUT TrID OK len`', () => {
    const [put] = commands(frame('PUT 9 OK 3\r\nabc', ctx('server', 21)));
    expect([put.trid, put.payloadLength, dec.decode(put.payload!)]).toEqual([9, 3, 'abc']);
  });

  it('MSNP13+ errors with a payload; without, before MSNP13', () => {
    const [e13] = commands(frame('241 9 5\r\nhello', ctx('server', 13)));
    expect([e13.errorCode, e13.trid, e13.payloadLength]).toEqual([241, 9, 5]);
    const e12 = commands(frame('241 9 5\r\n', ctx('server', 12)));
    expect(e12[0].payloadLength).toBeNull();
  });

  it('setVersion switches the table for the following lines', () => {
    const f = new Framer(ctx('server', 8));
    expect(commands(f.push(bytes('UBX a@b.c 0\r\n')))[0].payloadLength).toBeNull();
    f.setVersion(11);
    expect(f.context.version).toBe(11);
    expect(commands(f.push(bytes('UBX a@b.c 0\r\n')))[0].payloadLength).toBe(0);
    f.setVersion(99);
    expect(f.context.version).toBe(21);
  });

  it('onCommand runs before the next line is framed, so a version switch applies within one chunk', () => {
    const f = new Framer(ctx('server', 8));
    f.onCommand = (item) => {
      if (item.verb === 'VER') f.setVersion(11);
    };
    const items = f.push(bytes('VER 1 MSNP11\r\nUBX a@b.c 2\r\nhi'));
    expect(commands(items).map((i) => i.payloadLength)).toEqual([null, 2]);
  });
});

describe('Framer: malformed input', () => {
  const reasons = (s: string | Uint8Array, c = ctx('client'), limits?: Partial<FramerLimits>) =>
    malformed(frame(s, c, limits)).map((i) => i.reason);

  it('empty line', () => {
    expect(reasons('\r\nPNG\r\n')).toEqual(['empty line']);
  });

  it('invalid verbs', () => {
    expect(reasons('vEr 1 MSNP8\r\n')).toEqual(['invalid verb "vEr"']);
    expect(reasons('VERB 1\r\n')).toEqual(['invalid verb "VERB"']);
    expect(reasons('VE\r\n')).toEqual(['invalid verb "VE"']);
    expect(reasons('1A2 x\r\n')).toEqual(['invalid verb "1A2"']);
    expect(reasons(' VER 1\r\n')).toEqual(['invalid verb ""']);
  });

  it('control bytes in the line (NUL, TAB, bare CR, bare LF)', () => {
    expect(reasons('CHG 1\0 NLN\r\n')).toEqual(['control byte 0x00 in line at column 5']);
    expect(reasons('CHG\t1\r\n')).toEqual(['control byte 0x09 in line at column 3']);
    expect(reasons('CHG 1\rNLN\r\n')).toEqual(['control byte 0x0d in line at column 5']);
    expect(reasons('CHG 1\nNLN\r\n')).toEqual(['control byte 0x0a in line at column 5']);
  });

  it('bad payload lengths', () => {
    const sb = ctx('client', 8, 'SB');
    expect(reasons('MSG 1 N abc\r\n', sb)).toEqual(['payload length "abc" is not a number']);
    expect(reasons('MSG 1 N -5\r\n', sb)).toEqual(['payload length "-5" is not a number']);
    expect(reasons('MSG 1 N \r\n', sb)).toEqual(['payload length "" is not a number']);
    expect(reasons('MSG\r\n', sb)).toEqual(['missing payload length: MSG carries a payload here']);
    expect(reasons('MSG 1 N 101\r\n', sb, { maxPayloadBytes: 100 })).toEqual(['payload length 101 exceeds the limit of 100 bytes']);
    expect(reasons('MSG 1 N 99999999999999999999999\r\n', sb)).toEqual([
      `payload length "99999999999999999999999" exceeds the limit of ${DEFAULT_LIMITS.maxPayloadBytes} bytes`,
    ]);
  });

  it('a payload at exactly the limit is accepted', () => {
    const items = frame(`MSG 1 N 10\r\n${'x'.repeat(10)}`, ctx('client', 8, 'SB'), { maxPayloadBytes: 10 });
    expect(commands(items)[0].payloadLength).toBe(10);
  });

  it('after a rejected payload length, framing resumes at the next CRLF', () => {
    const input = 'MSG 1 N 500\r\nhello\r\nPNG\r\n';
    const items = frame(input, ctx('client', 8, 'SB'), { maxPayloadBytes: 100 });
    expect(items.map((i) => (i.kind === 'command' ? i.verb : i.reason))).toEqual([
      'payload length 500 exceeds the limit of 100 bytes',
      'invalid verb "hello"',
      'PNG',
    ]);
    expectAccounted(items, bytes(input));
  });

  it('cuts a line longer than maxLineBytes at the limit and resyncs at the next CRLF', () => {
    const max = 16;
    const input = `CHG 1 ${'x'.repeat(40)}\r\nPNG\r\n`;
    for (const step of [0, 1, 5, 17]) {
      const items = frame(input, ctx('client'), { maxLineBytes: max }, step);
      expect(items.map((i) => (i.kind === 'command' ? i.verb : i.raw.length))).toEqual([16, 16, 16, 'PNG']);
      const [first, middle, rest] = malformed(items);
      expect(first.reason).toBe('line longer than 16 bytes without CRLF: cut off at the limit, resyncing at the next CRLF');
      expect(middle.reason).toBe('overlong line continues: another 16 bytes without CRLF cut off');
      expect(rest.reason).toBe('rest of an overlong line, discarded up to its CRLF');
      expect(dec.decode(rest.raw)).toBe('x'.repeat(14) + '\r\n');
      expectAccounted(items, bytes(input));
    }
  });

  it('a line of exactly maxLineBytes is fine; one byte more is cut', () => {
    expect(commands(frame('CHG 1 NLN\r\n', ctx('client'), { maxLineBytes: 9 })).length).toBe(1);
    const items = frame('CHG 1 NLNx\r\n', ctx('client'), { maxLineBytes: 9 });
    expect(items.map((i) => i.kind)).toEqual(['malformed', 'malformed']);
    expect(items.map((i) => i.raw.length)).toEqual([9, 3]);
  });

  it('never holds more than maxLineBytes + 1 bytes while waiting for a CRLF', () => {
    const f = new Framer(ctx('client'), { maxLineBytes: 32 });
    let out: Item[] = [];
    for (let i = 0; i < 1000; i++) {
      out = out.concat(f.push(bytes('y')));
      expect(f.buffered).toBeLessThanOrEqual(33);
    }
    expect(out.every((i) => i.kind === 'malformed' && i.raw.length === 32)).toBe(true);
  });
});

describe('Framer: chunking and end()', () => {
  const stream = 'VER 1 MSNP8 CVR0\r\nMSG a@b.c A 11\r\nhello\r\nworldNLN NLN a@b.c A 0\r\n';

  it('decodes identically whatever the chunk size', () => {
    const whole = frame(stream, ctx('server', 8, 'SB'));
    for (let step = 1; step <= stream.length; step++) {
      const items = frame(stream, ctx('server', 8, 'SB'), undefined, step);
      expect(items).toEqual(whole);
    }
  });

  it('partial commands wait for more bytes', () => {
    const f = new Framer(ctx('server', 8, 'SB'));
    expect(f.push(bytes('MSG a@b.c A 5\r'))).toEqual([]);
    expect(f.push(bytes('\nhel'))).toEqual([]);
    expect(f.buffered).toBe(18);
    const items = f.push(bytes('loJOI'));
    expect(commands(items).map((i) => dec.decode(i.payload!))).toEqual(['hello']);
    expect(f.buffered).toBe(3);
    expect(f.position).toBe(23);
  });

  it('items inside one chunk are views of it (no copy)', () => {
    const chunk = bytes('PNG\r\nMSG 1 U 2\r\nhi');
    const items = new Framer(ctx('client', 8, 'SB')).push(chunk);
    expect(items.every((i) => i.raw.buffer === chunk.buffer)).toBe(true);
  });

  it('end() turns a partial line into a truncated malformed item', () => {
    const f = new Framer(ctx('client'));
    f.push(bytes('PNG\r\nCHG 1 N'));
    const [item] = f.end();
    expect(item).toMatchObject({ kind: 'malformed', offset: 5, reason: 'truncated line: 7 bytes without CRLF at end of stream' });
    expect(dec.decode(item.raw)).toBe('CHG 1 N');
    expect(f.end()).toEqual([]);
  });

  it('end() accounts for a partial payload', () => {
    const f = new Framer(ctx('server', 8, 'SB'));
    f.push(bytes('MSG a b 10\r\nabc'));
    const [item] = f.end();
    expect(item.kind === 'malformed' && item.reason).toBe('truncated MSG command: payload has 3 of 10 bytes at end of stream');
    expect(item.raw.length).toBe(15);
  });

  it('end() inside an overlong line', () => {
    const f = new Framer(ctx('client'), { maxLineBytes: 4 });
    const first = f.push(bytes('abcdefgh'));
    const [last] = f.end();
    expect(first.map((i) => i.raw.length)).toEqual([4]);
    expect(last.kind === 'malformed' && last.reason).toBe('truncated overlong line: 4 more bytes without CRLF at end of stream');
  });

  it('end() on a pending CR keeps the CR', () => {
    const items = frame('PNG\r', ctx('client'));
    expect(items.length).toBe(1);
    expect(items[0].raw).toEqual(bytes('PNG\r'));
  });

  it('the framer is reusable after end(), offsets continue', () => {
    const f = new Framer(ctx('client'));
    f.push(bytes('PN'));
    f.end();
    const [item] = f.push(bytes('PNG\r\n'));
    expect(item.offset).toBe(2);
  });

  it('empty pushes are no-ops', () => {
    const f = new Framer(ctx('client'));
    expect(f.push(new Uint8Array(0))).toEqual([]);
    expect(f.end()).toEqual([]);
  });

  it('large payloads split into many chunks are reassembled once', () => {
    const payload = new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff);
    const input = concatBytes([bytes(`MSG 1 D ${payload.length}\r\n`), payload]);
    const items = frame(input, ctx('client', 9, 'SB'), undefined, 1000);
    expect(items.length).toBe(1);
    expect(commands(items)[0].payload).toEqual(payload);
  });

  it('ignores bad limits, keeping the defaults', () => {
    const f = new Framer(ctx('client'), { maxLineBytes: Number.NaN, maxPayloadBytes: -1 });
    expect(f.limits).toEqual({ maxLineBytes: DEFAULT_LIMITS.maxLineBytes, maxPayloadBytes: 0 });
  });
});
