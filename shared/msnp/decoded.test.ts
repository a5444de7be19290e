import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeView } from './decoded.ts';
import type { CommandItem, FramingContext } from './types.ts';

const enc = new TextEncoder();
const crlf = (...lines: string[]) => lines.join('\r\n');

/** Builds a CommandItem the way the framer would, without depending on it. */
function item(line: string, payload?: Uint8Array | string, trid: number | null = null): CommandItem {
  const [verb, ...args] = line.split(' ');
  const body = typeof payload === 'string' ? enc.encode(payload) : payload ?? null;
  const head = enc.encode(`${line}\r\n`);
  const raw = new Uint8Array(head.length + (body?.length ?? 0));
  raw.set(head);
  if (body) raw.set(body, head.length);
  return {
    kind: 'command', raw, offset: 0, line, verb, args, trid,
    payloadLength: body ? body.length : null,
    payload: body ? raw.subarray(head.length) : null,
    errorCode: /^\d{3}$/.test(verb) ? Number(verb) : null,
  };
}

const ctx = (direction: 'client' | 'server', server: 'NS' | 'SB', version = 8): FramingContext => ({ direction, server, version });

describe('decodeView: lines', () => {
  it('names RNG fields and URL-decodes values', () => {
    const v = decodeView(item('RNG 11752013 207.46.108.13:1863 CKI 849102291.520491113 alice@hotmail.com Alice%20Smith'), ctx('server', 'NS'));
    expect(v).toMatchObject({ verb: 'RNG', trid: null, category: 'switchboard', known: true });
    expect(v.fields).toEqual({
      sessionId: '11752013', address: '207.46.108.13:1863', authType: 'CKI',
      cookie: '849102291.520491113', handle: 'alice@hotmail.com', friendlyName: 'Alice Smith',
    });
    expect(v.args[5]).toEqual({ index: 5, raw: 'Alice%20Smith', value: 'Alice Smith', name: 'friendlyName' });
    expect(v.payload).toEqual({ kind: 'none' });
  });

  it('keeps bad % escapes as raw text', () => {
    const v = decodeView(item('USR 4 OK a@b.c 100%25%20sure%zz%E2%82%AC%C3%28%', undefined, 4), ctx('server', 'NS', 7));
    expect(v.args[3].value).toBe('100% sure%zz€%C3(%');
    expect(v.fields.friendlyName).toBe('100% sure%zz€%C3(%');
  });

  it('joins repeated fields and decodes errors', () => {
    expect(decodeView(item('VER 1 MSNP8 MSNP7 CVR0', undefined, 1), ctx('client', 'NS')).fields)
      .toEqual({ trid: '1', versions: 'MSNP8 MSNP7 CVR0' });
    const e = decodeView(item('911 3', undefined, 3), ctx('server', 'SB'));
    expect(e.category).toBe('error');
    expect(e.error).toMatchObject({ code: 911, name: 'ERR_AUTHENTICATION_FAILED', fatal: 'switchboard', known: true });
    expect(decodeView(item('999 3', undefined, 3), ctx('server', 'NS')).error?.meaning).toBe('unknown error code 999');
  });

  it('labels unknown verbs and commands outside their version', () => {
    const v = decodeView(item('ZZZ 1 a'), ctx('client', 'NS'));
    expect(v).toMatchObject({ category: 'other', known: false, description: 'unknown command ZZZ' });
    expect(v.args.map((a) => a.name)).toEqual([null, null]);
    expect(decodeView(item('INF 2', undefined, 2), ctx('client', 'NS', 8)).problems).toContain('INF is not part of MSNP8');
  });
});

describe('decodeView: payloads', () => {
  it('shows a profile MSG as MIME headers in order and body', () => {
    const payload = crlf('MIME-Version: 1.0', 'Content-Type: text/x-msmsgsprofile; charset=UTF-8', 'LoginTime: 1795409965',
      'preferredEmail:', 'ClientPort: 0', '', '');
    const v = decodeView(item('MSG Hotmail Hotmail ' + enc.encode(payload).length, payload), ctx('server', 'NS'));
    expect(v.category).toBe('notification');
    expect(v.payload.kind).toBe('mime');
    if (v.payload.kind !== 'mime') return;
    expect(v.payload.mime.headers).toEqual([
      ['MIME-Version', '1.0'], ['Content-Type', 'text/x-msmsgsprofile; charset=UTF-8'], ['LoginTime', '1795409965'],
      ['preferredEmail', ''], ['ClientPort', '0'],
    ]);
    expect(v.payload.mime.bodyText).toBe('');
    expect(v.payload.xml).toBeNull();
  });

  it('shows a chat MSG body with multi-byte text intact', () => {
    const payload = crlf('MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=0', '', 'héllo ✓ <3');
    const v = decodeView(item('MSG 3 N ' + enc.encode(payload).length, payload, 3), ctx('client', 'SB'));
    expect(v.fields).toEqual({ trid: '3', ackType: 'N', length: String(enc.encode(payload).length) });
    if (v.payload.kind !== 'mime') throw new Error(v.payload.kind);
    expect(v.payload.mime.bodyText).toBe('héllo ✓ <3');
    expect(v.payload.mime.body).toEqual(enc.encode('héllo ✓ <3'));
    expect(v.payload.xml).toBeNull();
  });

  it('pretty-prints UUX and ADL XML', () => {
    const uux = '<Data><PSM>hi &amp; bye</PSM><CurrentMedia></CurrentMedia></Data>';
    const v = decodeView(item('UUX 21 ' + uux.length, uux, 21), ctx('client', 'NS', 11));
    expect(v.payload).toEqual({ kind: 'xml', xml: {
      text: uux, wellFormed: true, problems: [],
      pretty: '<Data>\n  <PSM>hi &amp; bye</PSM>\n  <CurrentMedia></CurrentMedia>\n</Data>',
    } });
    const adl = '<ml l="1"><d n="example.com"><c n="bob" l="3" t="1" /></d></ml>';
    const a = decodeView(item('ADL 6 ' + adl.length, adl, 6), ctx('client', 'NS', 15));
    if (a.payload.kind !== 'xml') throw new Error(a.payload.kind);
    expect(a.payload.xml.pretty).toBe('<ml l="1">\n  <d n="example.com">\n    <c n="bob" l="3" t="1" />\n  </d>\n</ml>');
    expect(a.category).toBe('lists');
  });

  it('reports bad XML without throwing', () => {
    const bad = '<ml><d n="x"><c n="a" l="3"></d><oops';
    const v = decodeView(item('ADL 7 ' + bad.length, bad, 7), ctx('client', 'NS', 15));
    if (v.payload.kind !== 'xml') throw new Error(v.payload.kind);
    expect(v.payload.xml.wellFormed).toBe(false);
    expect(v.problems.some((p) => p.includes('unterminated tag'))).toBe(true);
    expect(v.problems.some((p) => p.includes('closed by </d>'))).toBe(true);
  });

  it('shows a zero-length UUX reply as empty and QRY as text', () => {
    expect(decodeView(item('UUX 21 0', new Uint8Array(0), 21), ctx('server', 'NS', 11)).payload).toEqual({ kind: 'empty' });
    const qry = decodeView(item('QRY 10 PROD0090YUAUV{2B 32', '85ecb0db8f32113df79ce0892b9a102c', 10), ctx('client', 'NS', 11));
    expect(qry.payload).toEqual({ kind: 'text', text: '85ecb0db8f32113df79ce0892b9a102c' });
    expect(qry.fields.productId).toBe('PROD0090YUAUV{2B');
  });

  it('splits MSNP21 header blocks and pretty-prints an XML body', () => {
    const body = '<user><s n="PF" ts="1"></s></user>';
    const payload = crlf('Routing: 1.0', 'To: 1:me@live.com', 'From: 1:me@live.com', '',
      'Reliability: 1.0', '', 'Notification: 1.0', 'Content-Type: application/user+xml', `Content-Length: ${body.length}`, '', body);
    const v = decodeView(item('NFY PUT ' + enc.encode(payload).length, payload), ctx('server', 'NS', 21));
    expect(v.category).toBe('msnp21');
    if (v.payload.kind !== 'mime') throw new Error(v.payload.kind);
    expect(v.payload.mime.blocks).toEqual([
      [['Routing', '1.0'], ['To', '1:me@live.com'], ['From', '1:me@live.com']],
      [['Reliability', '1.0']],
      [['Notification', '1.0'], ['Content-Type', 'application/user+xml'], ['Content-Length', String(body.length)]],
    ]);
    expect(v.payload.mime.bodyText).toBe(body);
    expect(v.payload.xml?.pretty).toBe('<user>\n  <s n="PF" ts="1"></s>\n</user>');
  });

  it('decodes a P2P MSG: MIME headers, 48-byte header fields, data and footer', () => {
    const headers = enc.encode(crlf('MIME-Version: 1.0', 'Content-Type: application/x-msnmsgrp2p', 'P2P-Dest: bob@example.com', '', ''));
    const data = new Uint8Array([0x00, 0x0d, 0x0a, 0xff, 0x10, 0x20, 0x0d, 0x0a]);
    const bin = new Uint8Array(48);
    const dv = new DataView(bin.buffer);
    dv.setUint32(0, 0x01020304, true);               // session id
    dv.setUint32(4, 161080160, true);                // id
    dv.setBigUint64(8, 1202n, true);                 // offset
    dv.setBigUint64(16, 2n ** 60n + 5n, true);       // total size beyond 2^53
    dv.setUint32(24, data.length, true);             // message size
    dv.setUint32(28, 0x20, true);                    // flags
    dv.setUint32(32, 0xdeadbeef, true);              // ack session id
    dv.setUint32(36, 7, true);                       // ack unique id
    dv.setBigUint64(40, 1210n, true);                // ack data size
    const footer = new Uint8Array([0, 0, 0, 1]);
    const payload = new Uint8Array([...headers, ...bin, ...data, ...footer]);
    const v = decodeView(item(`MSG 4 D ${payload.length}`, payload, 4), ctx('client', 'SB', 9));
    if (v.payload.kind !== 'p2p') throw new Error(v.payload.kind);
    expect(v.payload.mime.headers).toContainEqual(['P2P-Dest', 'bob@example.com']);
    expect(v.payload.frame.header).toEqual({
      sessionId: 0x01020304, id: 161080160, offset: 1202, totalSize: (2n ** 60n + 5n).toString(),
      messageSize: 8, flags: 0x20, ackSessionId: 0xdeadbeef, ackUniqueId: 7, ackDataSize: 1210,
    });
    expect(v.payload.frame.data).toEqual(data);
    expect(v.payload.frame.footer).toEqual(footer);
    expect(v.payload.frame.footerValue).toBe(1);
    expect(v.payload.dataDump.lines).toEqual([
      `${(headers.length + 48).toString(16).padStart(8, '0')}  00 0d 0a ff 10 20 0d 0a ${' '.repeat(26)}|..... ..|`,
    ]);
    expect(v.problems).toEqual([]);
  });

  it('flags a truncated or inconsistent P2P frame', () => {
    const headers = crlf('Content-Type: application/x-msnmsgrp2p', '', '');
    const short = decodeView(item('MSG 4 D 40', enc.encode(headers + 'x'.repeat(10)), 4), ctx('client', 'SB'));
    expect(short.problems).toContain('P2P header truncated: 10 of 48 bytes');
    const bin = new Uint8Array(48 + 3 + 4);
    new DataView(bin.buffer).setUint32(24, 99, true);
    const odd = decodeView(item('MSG 5 D 1', new Uint8Array([...enc.encode(headers), ...bin]), 5), ctx('client', 'SB'));
    expect(odd.problems).toContain('P2P message size 99 does not match the 3 data bytes');
  });

  it('dumps unknown binary payloads as hex', () => {
    const v = decodeView(item('SDG 9 20', new Uint8Array(20).map((_, i) => i), 9), ctx('client', 'NS', 21));
    expect(v.payload.kind).toBe('binary');
    if (v.payload.kind !== 'binary') return;
    expect(v.payload.dump.lines[0]).toBe('00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|');
    expect(v.payload.dump.lines[1]).toBe('00000010  10 11 12 13                                       |....|');
  });
});

describe('decodeView: property', () => {
  const token = fc.string({ maxLength: 12 });
  const anyItem = fc.record({
    verb: fc.oneof(fc.constantFrom('MSG', 'UUX', 'ADL', 'NFY', 'RNG', 'USR', 'XFR', 'GCF', 'NOT', 'IPG', 'UBM', '911', '201', 'ZZZ'), fc.string({ maxLength: 4 })),
    args: fc.array(fc.oneof(token, fc.constantFrom('%', '%zz', '%E2%82', 'OK', 'SB', 'NS', 'TWN', 'MD5', 'S', 'I', '0')), { maxLength: 10 }),
    trid: fc.option(fc.integer(), { nil: null }),
    payload: fc.option(fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((s) => enc.encode(s)),
      fc.constantFrom('Content-Type: application/x-msnmsgrp2p\r\n\r\n', 'A: b\r\n\r\nC: d\r\n\r\n<x', '<a><b></a>', '<!--', '<![CDATA[')
        .chain((prefix) => fc.uint8Array({ maxLength: 80 }).map((tail) => new Uint8Array([...enc.encode(prefix), ...tail]))),
    ), { nil: null }),
    declared: fc.option(fc.integer({ min: -5, max: 500 }), { nil: null }),
    errorCode: fc.option(fc.integer(), { nil: null }),
  });
  const anyCtx = fc.record({
    direction: fc.constantFrom('client' as const, 'server' as const),
    server: fc.constantFrom('NS' as const, 'SB' as const),
    version: fc.integer({ min: -1, max: 30 }),
  });

  it('never throws on random CommandItems', () => {
    fc.assert(fc.property(anyItem, anyCtx, (r, c) => {
      const cmd: CommandItem = {
        kind: 'command', raw: r.payload ?? new Uint8Array(0), offset: 0, line: [r.verb, ...r.args].join(' '),
        verb: r.verb, args: r.args, trid: r.trid, payload: r.payload,
        payloadLength: r.declared ?? (r.payload ? r.payload.length : null), errorCode: r.errorCode,
      };
      const v = decodeView(cmd, c);
      expect(v.verb).toBe(r.verb);
      expect(v.args).toHaveLength(r.args.length);
      expect(typeof v.description).toBe('string');
      expect(v.problems.some((p) => p.startsWith('decoder error'))).toBe(false);
    }), { numRuns: 400 });
  });
});
