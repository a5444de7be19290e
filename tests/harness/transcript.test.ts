import { describe, expect, it } from 'vitest';
import { latin1 } from './bytes.ts';
import { clientCommands, loadTranscript, serverScript } from './transcript.ts';

describe('transcript fixture', () => {
  const entries = loadTranscript('msnp8-tcp.txt');
  it('rebuilds payload commands to their declared byte length', () => {
    const msg = entries.find((e) => e.line.startsWith('MSG Hotmail Hotmail 1441'))!;
    expect(msg.bytes.length).toBe('MSG Hotmail Hotmail 1441\r\n'.length + 1441);
  });
  it('pairs each client command of a connection with the server lines that followed it', () => {
    const script = serverScript(entries, 'A-NS', 'OUT');
    expect(script[0]).toEqual({ expect: new TextEncoder().encode('VER 1 MSNP8 CVR0\r\n'), reply: [new TextEncoder().encode('VER 1 MSNP8\r\n')] });
    expect(clientCommands(entries, 'A-NS', 'XFR').map((e) => e.line.split(' ')[0])).toEqual(['VER', 'CVR', 'USR', 'USR', 'SYN', 'CHG', 'ADD', 'ADD']);
    const syn = script.find((s) => 'expect' in s && latin1(s.expect as Uint8Array).startsWith('SYN'));
    expect(syn && 'reply' in syn ? (syn.reply as Uint8Array[]).map(latin1) : []).toEqual([
      'SYN 5 1 1 1\r\n', 'GTC A\r\n', 'BLP AL\r\n', 'LSG 0 Other%20Contacts 0\r\n', 'LST bob@example.com bob@example.com 11 0\r\n',
    ]);
  });
});
