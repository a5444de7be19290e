import { describe, expect, it } from 'vitest';
import { ConnectionDecoder } from './connection.ts';
import type { CommandItem, Direction, Item } from './types.ts';

const enc = new TextEncoder();
const cmds = (items: Item[]) => items.filter((i): i is CommandItem => i.kind === 'command');

/** Pushes `[direction, text]` steps in order; returns the items of each step. */
function run(d: ConnectionDecoder, steps: [Direction, string][]): CommandItem[][] {
  return steps.map(([dir, text]) => cmds(d.push(dir, enc.encode(text))));
}

describe('ConnectionDecoder: version', () => {
  it('assumes MSNP8 until a VER exchange', () => {
    const d = new ConnectionDecoder('NS');
    expect([d.version, d.versionState]).toEqual([8, 'assumed']);
  });

  it('the client VER proposes its highest version, the server reply fixes it', () => {
    const d = new ConnectionDecoder('NS');
    d.push('client', enc.encode('VER 1 MSNP13 MSNP12 CVR0\r\n'));
    expect([d.version, d.versionState, d.proposedVersions]).toEqual([13, 'proposed', [13, 12]]);
    d.push('server', enc.encode('VER 1 MSNP12\r\n'));
    expect([d.version, d.versionState]).toEqual([12, 'negotiated']);
    expect(d.framer('client').context.version).toBe(12);
    expect(d.framer('server').context.version).toBe(12);
  });

  it('the new version applies to the very next line in the same chunk', () => {
    const d = new ConnectionDecoder('NS');
    d.push('client', enc.encode('VER 1 MSNP11 CVR0\r\n'));
    const items = cmds(d.push('server', enc.encode('VER 1 MSNP11\r\nUBX a@b.c 2\r\nhiQNG 50\r\n')));
    expect(items.map((i) => [i.verb, i.payloadLength])).toEqual([['VER', null], ['UBX', 2], ['QNG', null]]);
  });

  it('`VER TrID 0` means no common version', () => {
    const d = new ConnectionDecoder('NS');
    d.push('client', enc.encode('VER 1 MSNP99 CVR0\r\n'));
    d.push('server', enc.encode('VER 1 0\r\n'));
    expect([d.version, d.versionState]).toEqual([21, 'rejected']);
  });

  it('followVer: false keeps the given version', () => {
    const d = new ConnectionDecoder('SB', { version: 12, followVer: false });
    d.push('client', enc.encode('VER 1 MSNP8 CVR0\r\n'));
    d.push('server', enc.encode('VER 1 MSNP8\r\n'));
    expect([d.version, d.versionState]).toEqual([12, 'fixed']);
  });

  it('passes limits to both framers', () => {
    const d = new ConnectionDecoder('SB', { limits: { maxPayloadBytes: 3 } });
    const [item] = d.push('server', enc.encode('MSG a b 4\r\n'));
    expect(item.kind === 'malformed' && item.reason).toBe('payload length 4 exceeds the limit of 3 bytes');
    expect(d.end('client')).toEqual([]);
  });
});

describe('ConnectionDecoder: TrID pairing', () => {
  it('pairs a request with the reply of the same TrID and verb', () => {
    const d = new ConnectionDecoder('NS');
    const [[ver], [verReply], [cvr], [cvrReply]] = run(d, [
      ['client', 'VER 1 MSNP8 CVR0\r\n'],
      ['server', 'VER 1 MSNP8\r\n'],
      ['client', 'CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS a@b.c\r\n'],
      ['server', 'CVR 2 6.0.0602 6.0.0602 6.0.0602 x y\r\n'],
    ]);
    expect(d.pairOf(ver)).toBe(verReply);
    expect(d.pairOf(verReply)).toBe(ver);
    expect(d.pairOf(cvr)).toBe(cvrReply);
    expect(d.pairInfo(cvrReply)?.role).toBe('reply');
    expect(d.pending()).toEqual([]);
  });

  it('numeric errors answer any request', () => {
    const d = new ConnectionDecoder('NS');
    const [[chg], [err]] = run(d, [['client', 'CHG 19 FLN 0\r\n'], ['server', '201 19\r\n']]);
    expect(d.pairOf(chg)).toBe(err);
  });

  it('MSG A is answered by ACK or NAK; MSG U expects nothing', () => {
    const d = new ConnectionDecoder('SB');
    const [[msgA], [msgU], [ack]] = run(d, [
      ['client', 'MSG 3 A 2\r\nhi'],
      ['client', 'MSG 4 U 2\r\nhi'],
      ['server', 'ACK 3\r\n'],
    ]);
    expect(d.pairOf(msgA)).toBe(ack);
    expect(d.pairInfo(msgU)?.transaction?.expectsReply).toBe(false);
    expect(d.pending()).toEqual([]);
  });

  it('same-TrID lines that are not the answer are related (SYN list lines, ILN, IRO)', () => {
    const d = new ConnectionDecoder('NS', { version: 7, followVer: false });
    const [[syn], [synReply, gtc, lst], [chg], [chgReply, iln]] = run(d, [
      ['client', 'SYN 6 0\r\n'],
      ['server', 'SYN 6 1\r\nGTC 6 1 A\r\nLST 6 FL 1 0 0\r\n'],
      ['client', 'CHG 7 NLN 0\r\n'],
      ['server', 'CHG 7 NLN 0\r\nILN 7 NLN a@b.c A\r\n'],
    ]);
    expect(d.pairOf(syn)).toBe(synReply);
    expect(d.pairInfo(gtc)?.role).toBe('related');
    expect(d.pairInfo(syn)?.transaction?.related).toEqual([gtc, lst]);
    expect(d.pairOf(chg)).toBe(chgReply);
    expect(d.pairInfo(iln)).toMatchObject({ role: 'related', transaction: { request: chg } });

    const sb = new ConnectionDecoder('SB');
    const [[ans], [iro, ansOk]] = run(sb, [['client', 'ANS 1 b@c.d cookie 123\r\n'], ['server', 'IRO 1 1 1 a@b.c A\r\nANS 1 OK\r\n']]);
    expect(sb.pairInfo(iro)?.role).toBe('related');
    expect(sb.pairOf(ans)).toBe(ansOk);
  });

  it('asynchronous server lines: no TrID or TrID 0', () => {
    const d = new ConnectionDecoder('NS');
    const [items] = run(d, [['server', 'CHL 0 123\r\nNLN NLN a@b.c A 0\r\nADD 0 RL 2 a@b.c a@b.c\r\nRNG 1 2 CKI 3 a b\r\n']]);
    expect(items.map((i) => d.pairInfo(i)?.role)).toEqual(['async', 'async', 'async', 'async']);
  });

  it('PNG is answered by the next QNG, in order', () => {
    const d = new ConnectionDecoder('NS');
    const [[p1], [p2], [q1], [q2], [q3]] = run(d, [
      ['client', 'PNG\r\n'],
      ['client', 'PNG\r\n'],
      ['server', 'QNG 50\r\n'],
      ['server', 'QNG 50\r\n'],
      ['server', 'QNG 50\r\n'],
    ]);
    expect(d.pairOf(p1)).toBe(q1);
    expect(d.pairOf(p2)).toBe(q2);
    expect(d.pairInfo(q3)?.role).toBe('unpaired-reply');
  });

  it('reports replies without requests and requests without replies', () => {
    const d = new ConnectionDecoder('NS');
    const [[xfr], [orphan], [out]] = run(d, [['client', 'XFR 10 SB\r\n'], ['server', 'USR 42 OK a@b.c 1 0\r\n'], ['client', 'OUT\r\n']]);
    expect(d.unpairedReplies()).toEqual([orphan]);
    expect(d.pending().map((t) => t.request)).toEqual([xfr]);
    expect(d.pairInfo(out)?.role).toBe('untracked');
    expect(d.pairing.stats).toMatchObject({ requests: 1, unpairedReplies: 1 });
  });

  it('keeps the open window bounded and counts dropped or reused TrIDs', () => {
    const d = new ConnectionDecoder('NS', { pairing: { maxOpen: 3, maxUnpaired: 2 } });
    for (let t = 1; t <= 5; t++) d.push('client', enc.encode(`CHG ${t} NLN 0\r\n`));
    expect(d.pending().map((t) => t.trid)).toEqual([3, 4, 5]);
    expect(d.pairing.stats.droppedUnanswered).toBe(2);
    d.push('client', enc.encode('CHG 5 BSY 0\r\n'));
    expect(d.pairing.stats.tridReuse).toBe(1);
    for (let t = 100; t < 105; t++) d.push('server', enc.encode(`CHG ${t} NLN 0\r\n`));
    expect(d.unpairedReplies().map((i) => i.trid)).toEqual([103, 104]);
  });
});

describe('ConnectionDecoder: answered transactions', () => {
  it('keeps the last maxAnswered answered transactions for related lines, and no more', () => {
    const d = new ConnectionDecoder('NS', { pairing: { maxAnswered: 2 } });
    d.push('client', enc.encode('VER 1 MSNP8 CVR0\r\n'));
    d.push('server', enc.encode('VER 1 MSNP8\r\n'));
    for (let t = 2; t <= 4; t++) {
      d.push('client', enc.encode(`CHG ${t} NLN 0\r\n`));
      d.push('server', enc.encode(`CHG ${t} NLN 0\r\n`));
    }
    // ILN after the CHG reply with its TrID: related while the transaction is among the last two.
    const [late] = d.push('server', enc.encode('ILN 4 NLN bob@example.com Bob\r\n')) as CommandItem[];
    expect(d.pairInfo(late)).toMatchObject({ role: 'related', transaction: { trid: 4 } });
    expect(d.pairInfo(late)?.transaction?.related).toEqual([late]);
    const [gone] = d.push('server', enc.encode('ILN 2 NLN bob@example.com Bob\r\n')) as CommandItem[];
    expect(d.pairInfo(gone)?.role).toBe('unpaired-reply');
    expect(d.pending()).toEqual([]);
    // A TrID used again opens a new transaction; its reply pairs with the new request.
    const [again] = d.push('client', enc.encode('CHG 4 BSY 0\r\n')) as CommandItem[];
    const [reply] = d.push('server', enc.encode('CHG 4 BSY 0\r\n')) as CommandItem[];
    expect(d.pairOf(reply)).toBe(again);
    expect(d.pairing.stats.tridReuse).toBe(0);
  });

  it('holds a bounded number of transactions over a long session', () => {
    const d = new ConnectionDecoder('NS');
    d.push('client', enc.encode('VER 1 MSNP8 CVR0\r\n'));
    d.push('server', enc.encode('VER 1 MSNP8\r\n'));
    let first: CommandItem | null = null;
    for (let t = 2; t < 5000; t++) {
      const [req] = d.push('client', enc.encode(`CHG ${t} NLN 0\r\n`)) as CommandItem[];
      first ??= req;
      d.push('server', enc.encode(`CHG ${t} NLN 0\r\n`));
    }
    // The first answered transaction is long gone: a line with its TrID pairs with nothing.
    const [stale] = d.push('server', enc.encode('ILN 2 NLN bob@example.com Bob\r\n')) as CommandItem[];
    expect(d.pairInfo(stale)?.role).toBe('unpaired-reply');
    expect(d.pairing.stats).toMatchObject({ requests: 4999, replies: 4999, droppedUnanswered: 0 });
  });
});

describe('ConnectionDecoder: trackPairs: false', () => {
  it('frames and follows VER like the default, but records no pairing', () => {
    const steps: [Direction, string][] = [
      ['client', 'VER 1 MSNP13 CVR0\r\nUUX 2 5\r\n<a/>\n'],
      ['server', 'VER 1 MSNP13\r\nUUX 2 0\r\nUBX bob@x.com 3\r\nabc'],
      ['client', 'PNG\r\n'],
      ['server', 'QNG 50\r\n'],
    ];
    const plain = new ConnectionDecoder('NS', { trackPairs: false });
    const paired = new ConnectionDecoder('NS');
    const a = run(plain, steps);
    const b = run(paired, steps);
    const shape = (xs: CommandItem[][]) => xs.map((s) => s.map((i) => [i.verb, i.args, i.payloadLength]));
    expect(shape(a)).toEqual(shape(b));
    expect(plain.version).toBe(13);
    expect(plain.versionState).toBe('negotiated');
    expect(plain.pairInfo(a[0][1])).toBeUndefined();
    expect(plain.pending()).toEqual([]);
    expect(plain.pairing.stats.requests).toBe(0);
    expect(paired.pairOf(b[0][1])).toBe(b[1][1]);
  });
});
