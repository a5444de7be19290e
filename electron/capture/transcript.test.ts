import { beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { CHAT_TEXT, TWN_TICKET, runGateway, type GatewayRun } from './__test__/gateway-run.ts';
import { toTranscript } from './transcript.ts';

let run: GatewayRun;
let text: string;
beforeAll(async () => {
  run = await runGateway();
  text = toTranscript(run.events);
});

describe('transcript of a real gateway run', () => {
  it('one line per command in libpurple style, with the session kind and number', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('# MSN Gateway Inspector transcript (redacted)');
    const ns = lines.filter((l) => l.startsWith('C: NS 000: ') || l.startsWith('S: NS 000: '));
    expect(ns.slice(0, 8)).toEqual([
      'C: NS 000: VER 1 MSNP8 CVR0',
      'S: NS 000: VER 1 MSNP8',
      'C: NS 000: CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com',
      'S: NS 000: CVR 2 6.0.0602 6.0.0602 6.0.0602 https://escargot.log1p.xyz https://escargot.log1p.xyz',
      'C: NS 000: USR 3 TWN I alice@example.com',
      'S: NS 000: USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1',
      'C: NS 000: USR 4 TWN S [redacted]',
      'S: NS 000: USR 4 OK alice@example.com alice@example.com 1 0',
    ]);
    expect(lines).toContain('C: SB 000: USR 1 alice@example.com [redacted]');
    expect(lines).toContain('C: SB 001: ANS 1 bob@example.com [redacted] a81a9271db03441275007f2c6577f66');
    expect(lines).toContain('S: SB 001: ANS 1 OK');
    expect(lines).toContain('C: NS 000: OUT');
    expect(lines.filter((l) => /^[CS]: /.test(l)).every((l) => /^[CS]: (NS|SB) \d{3}: [A-Z0-9]{3}( |$)/.test(l))).toBe(true);
  });

  it('payloads follow their command, indented, UTF-8 intact', () => {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('S: NS 000: MSG Hotmail Hotmail '));
    expect(lines.slice(at + 1, at + 3)).toEqual(['    MIME-Version: 1.0', '    Content-Type: text/x-msmsgsprofile; charset=UTF-8']);
    expect(lines).toContain('    MSPAuth: [redacted]');
    const chat = lines.findIndex((l) => l.startsWith('C: SB 000: MSG 2 A '));
    expect(lines.slice(chat + 1, chat + 5)).toEqual(['    MIME-Version: 1.0', '    Content-Type: text/plain; charset=UTF-8', '    ', `    ${CHAT_TEXT}`]);
  });

  it('session lifecycle as # lines; redacted by default, unredacted on request', () => {
    expect(text).toMatch(/^# NS 000 opened: gateway session \d{9}, client 127\.0\.0\.1:\d+, upstream 127\.0\.0\.1:\d+, IP=messenger\.hotmail\.com$/m);
    expect(text).toMatch(/^# SB 001 closed: client-out$/m);
    expect(text).not.toContain(TWN_TICKET);
    expect(toTranscript(run.events, { unredacted: true })).toContain(`C: NS 000: USR 4 TWN S ${TWN_TICKET}`);
  });

  it('binary payloads as a hex dump, malformed bytes named, injected bytes marked', () => {
    const enc = new TextEncoder();
    const p2p = new Uint8Array([...enc.encode('MIME-Version: 1.0\r\n\r\n'), 0, 1, 2, 0xff]);
    const events: GatewayEvent[] = [
      { type: 'session-opened', seq: 1, time: 1, sessionId: '9', server: 'SB', requestedIp: '', clientAddress: 'a', clientPort: 1, upstream: { host: 'h', port: 1, kind: 'tcp' } },
      { type: 'bytes', seq: 2, time: 2, sessionId: '9', direction: 'client', exchangeId: 1, bytes: new Uint8Array([...enc.encode(`MSG 3 D ${p2p.length}\r\n`), ...p2p]) },
      { type: 'bytes', seq: 3, time: 3, sessionId: '9', direction: 'server', exchangeId: 1, bytes: enc.encode('vEr bad\r\n'), origin: 'injected' },
      { type: 'bytes', seq: 4, time: 4, sessionId: '9', direction: 'server', exchangeId: 1, bytes: enc.encode('MSG x y 50\r\nshort') },
    ];
    const lines = toTranscript(events).split('\n');
    expect(lines).toContain('C: SB 000: MSG 3 D 25');
    expect(lines).toContain('    [binary payload, 25 bytes]');
    expect(lines.some((l) => l.startsWith('    00000000  4d 49 4d 45'))).toBe(true);
    expect(lines).toContain('# SB 000: the following server-to-client bytes were injected by the user');
    expect(lines.find((l) => l.startsWith('S: SB 000: [malformed'))).toMatch(/vEr bad$/);
    expect(lines.at(-2)).toMatch(/^S: SB 000: \[malformed: .*\] MSG x y 50$/);
  });
});
