import { describe, expect, it } from 'vitest';
import type { FindingCode } from '../../../shared/api/contract.ts';
import { EventScript } from '../__test__/synthetic.ts';
import { InspectorModel } from './model.ts';
import { CommandQueries } from '../query.ts';

function build(script: EventScript, options = {}): InspectorModel {
  const model = new InspectorModel(options);
  for (const e of script.take()) model.ingest(e);
  return model;
}

function codes(model: InspectorModel): FindingCode[] {
  return model.findings.list(undefined, 0, 1000).items.map((f) => f.code);
}

function all(model: InspectorModel) {
  return new CommandQueries(model).query({ limit: 5000 }).items;
}

describe('InspectorModel: sessions', () => {
  it('builds a session with user, version, client, history, counts and bytes', () => {
    const s = new EventScript().open('100');
    s.exchange('100', 'VER 1 MSNP8 CVR0\r\n', 'VER 1 MSNP8\r\n');
    s.exchange('100', 'CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0205 MSMSGS alice@example.com\r\n', 'CVR 2 6.2.0205 6.2.0205 1.0.0000 http://x http://y\r\n');
    s.exchange('100', 'USR 3 TWN I alice@example.com\r\n', 'USR 3 TWN S lc=1033\r\n');
    s.exchange('100', 'USR 4 TWN S t=abc\r\n', 'USR 4 OK alice@example.com Alice%20A 1 0\r\n');
    const m = build(s);
    const rec = m.sessions.get('100')!;
    expect(rec.server).toBe('NS');
    expect(rec.user).toBe('alice@example.com');
    expect(rec.version).toBe(8);
    expect(rec.client).toEqual({ name: 'MSNMSGR', version: '6.2.0205' });
    expect(rec.gatewaySessionIds).toHaveLength(4);
    expect(rec.counts).toMatchObject({ commandsFromClient: 4, commandsFromServer: 4, exchanges: 4 });
    expect(rec.bytes.fromClient).toBeGreaterThan(50);
    expect(rec.upstream).toBe('127.0.0.1:1863');
    expect(rec.clientAddress).toBe('127.0.0.1:50000');
  });

  it('links an SB to the NS whose XFR announced its cookie, and one announced by RNG', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'XFR 9 SB\r\n', 'XFR 9 SB 10.0.0.5:1864 CKI 1234.5678\r\nRNG 777 10.0.0.5:1864 CKI 999.111 bob@example.com Bob\r\n');
    s.open('2', 'SB').exchange('2', 'USR 1 alice@example.com 1234.5678\r\n', 'USR 1 OK alice@example.com Alice\r\n');
    s.open('3', 'SB').exchange('3', 'ANS 1 alice@example.com 999.111 777\r\n');
    s.open('4', 'SB').exchange('4', 'USR 1 alice@example.com 0000.0000\r\n');
    const m = build(s);
    expect(m.sessions.get('2')!.parentSessionId).toBe('1');
    expect(m.sessions.get('2')!.user).toBe('alice@example.com');
    expect(m.sessions.get('3')!.parentSessionId).toBe('1');
    expect(m.sessions.get('4')!.parentSessionId).toBeNull();
  });

  it('evicts dropped closed sessions beyond maxClosedSessions', () => {
    const s = new EventScript();
    for (let i = 0; i < 5; i++) s.open(String(i)).close(String(i));
    const m = build(s, { maxClosedSessions: 2 });
    expect([...m.sessions.keys()]).toEqual(['3', '4']);
  });
});

describe('InspectorModel: commands and pairing', () => {
  it('pairs requests with replies and errors by TrID, both ways', () => {
    const s = new EventScript().open('1');
    const x = s.exchange('1', 'CHG 5 NLN 0\r\nADC 6 FL N=bob@example.com\r\n', 'CHG 5 NLN 0\r\n201 6\r\n');
    const m = build(s);
    const cmds = all(m);
    expect(cmds.map((c) => c.verb)).toEqual(['CHG', 'ADC', 'CHG', '201']);
    expect(cmds[0].pairId).toBe(cmds[2].id);
    expect(cmds[2].pairId).toBe(cmds[0].id);
    expect(cmds[1].pairId).toBe(cmds[3].id);
    expect(cmds[3].errorCode).toBe(201);
    expect(cmds.every((c) => c.exchangeId === x)).toBe(true);
    expect(m.exchanges.get(x)!.record.commandIds).toEqual(cmds.map((c) => c.id));
    expect(codes(m)).toEqual(['error-reply']);
  });

  it('keeps payloads byte-exact and frames commands split across exchanges', () => {
    const payload = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhé ☃';
    const len = new TextEncoder().encode(payload).length;
    const line = `MSG 7 N ${len}\r\n${payload}`;
    const bytes = new TextEncoder().encode(line);
    const s = new EventScript().open('1');
    s.exchange('1', bytes.subarray(0, 20));
    s.exchange('1', bytes.subarray(20));
    const m = build(s);
    const [cmd] = all(m);
    expect(cmd.payloadLength).toBe(len);
    expect(cmd.size).toBe(bytes.length);
    expect(m.commands.get(cmd.id)!.raw).toEqual(bytes);
  });
});

describe('InspectorModel: findings', () => {
  it('request without reply at close, and after the reply timeout', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'SYN 1 0\r\n');
    const m = build(s, { replyTimeoutMs: 1000 });
    m.sweep(s.time + 10);
    expect(codes(m)).toEqual([]);
    m.sweep(s.time + 2000);
    expect(codes(m)).toEqual(['no-reply']);
    s.exchange('1', 'CHG 2 NLN 0\r\n');
    s.close('1');
    for (const e of s.take()) m.ingest(e);
    expect(codes(m)).toEqual(['no-reply', 'no-reply']);
    const f = m.findings.list(undefined, 0, 10).items;
    expect(f[1].message).toContain('CHG 2');
    expect(m.commands.get(f[0].commandId!)!.findingIds).toEqual([f[0].id]);
  });

  it('reply without request, TrID reuse, unknown command, error reply, PNG', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'CHG 3 NLN 0\r\nCHG 3 BSY 0\r\nZZZ 4\r\nPNG\r\n', 'ADC 44 FL bob@example.com\r\n911 3\r\n');
    const m = build(s);
    expect(codes(m).sort()).toEqual(['error-reply', 'png-over-http', 'trid-reuse', 'unknown-command', 'unsolicited-reply']);
    expect(m.findings.list(undefined, 0, 10).items.find((f) => f.code === 'error-reply')!.message).toContain('911');
  });

  it('length problems: a bad length token, and a payload cut short at close', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'MSG 1 N abc\r\n');
    s.exchange('1', 'MSG 2 N 100\r\nMIME-Version: 1.0\r\n');
    s.close('1');
    const m = build(s);
    const f = m.findings.list(undefined, 0, 10).items.filter((x) => x.code === 'length-mismatch');
    expect(f).toHaveLength(2);
    expect(f[1].message).toContain('payload has');
    const malformed = new CommandQueries(m).query({ filter: 'malformed' });
    expect(malformed.total).toBe(2);
  });

  it('malformed bytes, gateway notices, slow upstream, idle timeout, upstream errors', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'not a command\r\n');
    s.exchange('1', 'CHG 1 NLN 0\r\n', 'CHG 1 NLN 0\r\n', { firstByteAfter: 9000 });
    s.notice('1', 'overlap-rejected', 'overlapping request');
    s.notice('1', 'png-over-http', 'PNG over HTTP');
    s.notice(null, 'relay-refused', 'open to evil.example:1863 refused');
    s.notice(null, 'limit-body', 'body too large');
    s.notice(null, 'unknown-session', 'unknown SessionID', 'info');
    s.events.push({ seq: 999, time: s.time, type: 'upstream-error', sessionId: '1', code: 'ECONNRESET', message: 'reset' });
    s.close('1', 'idle-timeout');
    const m = build(s, { slowUpstreamMs: 5000 });
    expect(codes(m)).toEqual(['malformed', 'slow-upstream', 'overlap-rejected', 'png-over-http', 'relay-refused', 'limit', 'notice', 'upstream-error', 'idle-timeout']);
    expect(m.sessions.get('1')!.closeReason).toBe('idle-timeout');
    expect(m.sessions.get('1')!.counts.findings).toBe(6);
  });

  it('marks injected and edited commands and pairs the reply to an injected request', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'MSG 1 N 5\r\nab'); // half a payload is buffered when the injection lands
    s.bytes('1', 'client', 'CHG 9 AWY 0\r\n', 'injected');
    s.exchange('1', 'cde', 'CHG 9 AWY 0\r\n');
    s.bytes('1', 'server', 'NLN NLN bob@example.com Bob\r\n', 'edited');
    const m = build(s);
    const cmds = all(m);
    expect(cmds.map((c) => [c.verb, c.origin])).toEqual([
      ['CHG', 'injected'],
      ['MSG', 'wire'],
      ['CHG', 'wire'],
      ['NLN', 'edited'],
    ]);
    expect(cmds[0].pairId).toBe(cmds[2].id);
    expect(codes(m)).toEqual(['injected', 'edited']);
    expect(m.sessions.get('1')!.maxClientTrid).toBe(9);
  });
});

describe('InspectorModel: retention, pause and clear', () => {
  it('evicts the oldest commands beyond memoryCommands and reports the range', () => {
    const s = new EventScript().open('1');
    for (let i = 1; i <= 10; i++) s.exchange('1', `CHG ${i} NLN 0\r\n`);
    const m = build(s, { memoryCommands: 4 });
    expect(m.commands.size).toBe(4);
    expect(m.commands.firstId).toBe(7);
    expect(m.changes.evicted).toEqual({ fromId: 1, toId: 6 });
    const q = new CommandQueries(m);
    expect(q.query({ sessionId: '1' }).items.map((c) => c.trid)).toEqual([7, 8, 9, 10]);
    expect(q.query({ filter: 'verb:CHG' }).total).toBe(4);
    m.setRetention(2);
    expect(m.commands.firstId).toBe(9);
    expect(m.changes.evicted).toEqual({ fromId: 1, toId: 8 });
  });

  it('pausing stores nothing but keeps framing in step', () => {
    const s = new EventScript().open('1');
    s.exchange('1', 'MSG 1 N 5\r\nab');
    const m = build(s);
    m.recording = false;
    s.exchange('1', 'cde');
    for (const e of s.take()) m.ingest(e);
    m.recording = true;
    s.exchange('1', 'CHG 2 NLN 0\r\n');
    for (const e of s.take()) m.ingest(e);
    expect(all(m).map((c) => c.verb)).toEqual(['CHG']);
    expect(codes(m)).toEqual([]);
  });

  it('clear drops commands, exchanges, findings and closed sessions; live sessions stay', () => {
    const s = new EventScript().open('1').open('2');
    s.exchange('1', 'ZZZ 1\r\n');
    s.close('2');
    const m = build(s);
    expect(m.clear()).toBe(1);
    expect(m.commands.size).toBe(0);
    expect(m.exchanges.size).toBe(0);
    expect(m.findings.size).toBe(0);
    expect([...m.sessions.keys()]).toEqual(['1']);
    expect(m.sessions.get('1')!.counts.commandsFromClient).toBe(0);
    expect(m.changes.cleared).toBe(true);
  });
});
