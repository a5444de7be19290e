import { describe, expect, it } from 'vitest';
import { EncodeError, encodeCommand, serializeItems } from './serialize.ts';
import { Framer } from './framer.ts';
import type { CommandItem, Direction, FramingContext, ServerKind } from './types.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const ctx = (direction: Direction, version = 8, server: ServerKind = 'NS'): FramingContext => ({ direction, server, version });

function frameOne(bytes: Uint8Array, c: FramingContext): CommandItem {
  const f = new Framer(c);
  const items = [...f.push(bytes), ...f.end()];
  expect(items.length).toBe(1);
  expect(items[0].kind).toBe('command');
  return items[0] as CommandItem;
}

describe('serializeItems', () => {
  it('reproduces the input bytes, malformed items included', () => {
    const input = enc.encode('PNG\r\nbad line\r\nMSG 1 U 3\r\nabcCHG 2 N');
    const f = new Framer(ctx('client', 8, 'SB'));
    const items = [...f.push(input.subarray(0, 7)), ...f.push(input.subarray(7)), ...f.end()];
    expect(items.map((i) => i.kind)).toEqual(['command', 'malformed', 'command', 'malformed']);
    expect(serializeItems(items)).toEqual(input);
    expect(serializeItems([])).toEqual(new Uint8Array(0));
  });
});

describe('encodeCommand', () => {
  it('builds a plain command with a TrID', () => {
    const bytes = encodeCommand({ verb: 'CHG', trid: 7, args: ['NLN', '0'] }, ctx('client'));
    expect(dec.decode(bytes)).toBe('CHG 7 NLN 0\r\n');
  });

  it('builds commands without a TrID', () => {
    expect(dec.decode(encodeCommand({ verb: 'PNG' }, ctx('client')))).toBe('PNG\r\n');
    expect(dec.decode(encodeCommand({ verb: 'NLN', args: ['NLN', 'a@b.c', 'A'] }, ctx('server')))).toBe('NLN NLN a@b.c A\r\n');
    expect(dec.decode(encodeCommand({ verb: '201', trid: 19 }, ctx('server')))).toBe('201 19\r\n');
  });

  it('appends the payload length in bytes (multi-byte UTF-8)', () => {
    const text = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nпривет 😀';
    const bytes = encodeCommand({ verb: 'MSG', trid: 3, args: ['N'], payload: text }, ctx('client', 8, 'SB'));
    const item = frameOne(bytes, ctx('client', 8, 'SB'));
    expect(item.payloadLength).toBe(enc.encode(text).length);
    expect(item.args).toEqual(['3', 'N', String(enc.encode(text).length)]);
    expect(dec.decode(item.payload!)).toBe(text);
  });

  it('binary payloads stay intact', () => {
    const payload = new Uint8Array([0, 13, 10, 255, 13, 10, 1]);
    const bytes = encodeCommand({ verb: 'MSG', trid: 4, args: ['D'], payload }, ctx('client', 9, 'SB'));
    expect(frameOne(bytes, ctx('client', 9, 'SB')).payload).toEqual(payload);
  });

  it('an empty payload gives a zero length (`UUX 21 0`)', () => {
    const bytes = encodeCommand({ verb: 'UUX', trid: 21, payload: new Uint8Array(0) }, ctx('server', 11));
    expect(dec.decode(bytes)).toBe('UUX 21 0\r\n');
  });

  it('server messages and QRY answers', () => {
    const msg = encodeCommand({ verb: 'MSG', args: ['Hotmail', 'Hotmail'], payload: 'x' }, ctx('server', 8));
    expect(dec.decode(msg)).toBe('MSG Hotmail Hotmail 1\r\nx');
    const qry = encodeCommand({ verb: 'QRY', trid: 10, args: ['PROD0090YUAUV{2B'], payload: '85ecb0db8f32113df79ce0892b9a102c' }, ctx('client', 11));
    expect(dec.decode(qry)).toBe('QRY 10 PROD0090YUAUV{2B 32\r\n85ecb0db8f32113df79ce0892b9a102c');
  });

  it('refuses a payload on a command that carries none here (it would desync the stream)', () => {
    expect(() => encodeCommand({ verb: 'CHG', trid: 1, args: ['NLN'], payload: 'x' }, ctx('client'))).toThrow(EncodeError);
    expect(() => encodeCommand({ verb: 'UBX', args: ['a@b.c'], payload: 'x' }, ctx('server', 10))).toThrow(/carries no payload from the server on NS in MSNP10/);
  });

  it('refuses a payload command without its payload', () => {
    expect(() => encodeCommand({ verb: 'MSG', trid: 1, args: ['N'] }, ctx('client', 8, 'SB'))).toThrow(/carries a payload/);
    expect(() => encodeCommand({ verb: 'UUX', trid: 21, args: ['0'] }, ctx('server', 11))).toThrow(/carries a payload/);
  });

  it('refuses bad verbs, TrIDs and tokens', () => {
    const c = ctx('client');
    expect(() => encodeCommand({ verb: 'chg' }, c)).toThrow(/invalid verb "chg"/);
    expect(() => encodeCommand({ verb: 'CHGX' }, c)).toThrow(EncodeError);
    expect(() => encodeCommand({ verb: 'CHG', trid: -1 }, c)).toThrow(/invalid TrID/);
    expect(() => encodeCommand({ verb: 'CHG', trid: 1.5 }, c)).toThrow(/invalid TrID/);
    expect(() => encodeCommand({ verb: 'REA', trid: 1, args: ['a@b.c', 'My Name'] }, c)).toThrow(/URL-encode/);
    expect(() => encodeCommand({ verb: 'REA', trid: 1, args: ['a\r\nOUT'] }, c)).toThrow(EncodeError);
    expect(() => encodeCommand({ verb: 'REA', trid: 1, args: [''] }, c)).toThrow(/empty token/);
  });

  it('refuses commands over the limits', () => {
    const sb = ctx('client', 8, 'SB');
    expect(() => encodeCommand({ verb: 'MSG', trid: 1, args: ['N'], payload: 'x'.repeat(11) }, sb, { maxPayloadBytes: 10 })).toThrow(/exceeds the limit/);
    expect(() => encodeCommand({ verb: 'CHG', trid: 1, args: ['x'.repeat(40)] }, ctx('client'), { maxLineBytes: 20 })).toThrow(/would not frame/);
  });
});
