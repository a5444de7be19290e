import { describe, expect, it } from 'vitest';
import { Framer } from '../../shared/msnp/framer.ts';
import type { CommandInterceptor, InterceptDecision } from './types.ts';
import { InterceptLane } from './intercept-lane.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

function rig(decide: (text: string) => 'pass' | Promise<InterceptDecision>, active: () => boolean = () => true) {
  const out: { text: string; origin: string; tag: number | null }[] = [];
  const seen: string[] = [];
  const interceptor: CommandInterceptor = {
    active,
    intercept: (_s, _d, raw) => {
      seen.push(dec.decode(raw));
      return decide(dec.decode(raw));
    },
  };
  const lane = new InterceptLane('1', 'client', interceptor, (bytes, origin, tag) => out.push({ text: dec.decode(bytes), origin, tag }));
  const framer = new Framer({ direction: 'client', server: 'NS', version: 8 });
  const push = (text: string, tag: number | null = null) => {
    const bytes = enc.encode(text);
    lane.push(bytes, framer.push(bytes), framer.buffered, tag);
  };
  const end = () => lane.end(framer.end());
  return { lane, out, seen, push, end };
}

function deferred() {
  let resolve!: (d: InterceptDecision) => void;
  const promise = new Promise<InterceptDecision>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const joined = (out: { text: string }[]) => out.map((o) => o.text).join('');

describe('InterceptLane', () => {
  it('passes commands through in one write when nothing is held', () => {
    const { out, seen, push } = rig(() => 'pass');
    push('CHG 6 NLN 0\r\nPRP 7 MFN x\r\n', 4);
    expect(out).toEqual([{ text: 'CHG 6 NLN 0\r\nPRP 7 MFN x\r\n', origin: 'wire', tag: 4 }]);
    expect(seen).toEqual(['CHG 6 NLN 0\r\n', 'PRP 7 MFN x\r\n']);
  });

  it('holds a command and everything behind it, then forwards the edit in order', async () => {
    const held = deferred();
    const { lane, out, push } = rig((t) => (t.startsWith('MSG') ? held.promise : 'pass'));
    push('CAL 2 bob@example.com\r\nMSG 3 A 2\r\nhiCAL 4 carol@example.com\r\n', 1);
    push('OUT\r\n', 2);
    expect(out.map((o) => o.text)).toEqual(['CAL 2 bob@example.com\r\n']);
    expect(lane.isHolding).toBe(true);
    held.resolve({ action: 'forward', raw: enc.encode('MSG 3 A 3\r\nhey'), edited: true });
    await tick();
    expect(out).toEqual([
      { text: 'CAL 2 bob@example.com\r\n', origin: 'wire', tag: 1 },
      { text: 'MSG 3 A 3\r\nhey', origin: 'edited', tag: 1 },
      { text: 'CAL 4 carol@example.com\r\n', origin: 'wire', tag: 1 },
      { text: 'OUT\r\n', origin: 'wire', tag: 2 },
    ]);
  });

  it('drops a held command and relays the rest', async () => {
    const held = deferred();
    const { out, push } = rig((t) => (t.startsWith('PNG') ? held.promise : 'pass'));
    push('PNG\r\nCHG 9 AWY 0\r\n');
    held.resolve({ action: 'drop' });
    await tick();
    expect(joined(out)).toBe('CHG 9 AWY 0\r\n');
  });

  it('forwards the original when the hook fails, and passes malformed bytes without asking', async () => {
    const { out, seen, push } = rig((t) => (t.startsWith('USR') ? Promise.reject(new Error('boom')) : 'pass'));
    push('bad line\r\nUSR 3 TWN I a@b.c\r\n');
    await tick();
    expect(seen).toEqual(['USR 3 TWN I a@b.c\r\n']);
    expect(joined(out)).toBe('bad line\r\nUSR 3 TWN I a@b.c\r\n');
    const lane = new InterceptLane('1', 'client', { intercept: () => { throw new Error('x'); } }, (b) => out.push({ text: dec.decode(b), origin: 'wire', tag: null }));
    lane.push(enc.encode('OUT\r\n'), new Framer({ direction: 'client', server: 'NS', version: 8 }).push(enc.encode('OUT\r\n')), 0, null);
    expect(out.at(-1)?.text).toBe('OUT\r\n');
  });

  it('streams bytes as they arrive while no breakpoint is active, partial commands included', () => {
    let active = false;
    const { out, seen, push } = rig(() => 'pass', () => active);
    push('MSG 3 A 5\r\nhe');
    expect(joined(out)).toBe('MSG 3 A 5\r\nhe');
    active = true;
    // Mid-command: the rest of it streams too (its start is already out), then commands are offered.
    push('llo');
    expect(joined(out)).toBe('MSG 3 A 5\r\nhello');
    expect(seen).toEqual([]);
    push('OUT\r\n');
    expect(seen).toEqual(['OUT\r\n']);
    expect(joined(out)).toBe('MSG 3 A 5\r\nhelloOUT\r\n');
  });

  it('waits for a whole command while active, and switches back to streaming at a boundary', () => {
    let active = true;
    const { out, seen, push, end } = rig(() => 'pass', () => active);
    push('CHG 6 N');
    expect(out).toEqual([]);
    active = false;
    push('LN 0\r\nCHG 7 A');
    expect(seen).toEqual(['CHG 6 NLN 0\r\n']);
    expect(joined(out)).toBe('CHG 6 NLN 0\r\n');
    push('WY 0\r\n');
    expect(joined(out)).toBe('CHG 6 NLN 0\r\nCHG 7 AWY 0\r\n');
    push('CHG 8 BS');
    expect(joined(out)).toBe('CHG 6 NLN 0\r\nCHG 7 AWY 0\r\nCHG 8 BS');
    end();
    expect(joined(out)).toBe('CHG 6 NLN 0\r\nCHG 7 AWY 0\r\nCHG 8 BS');
  });

  it('delivers the bytes of an unfinished command at the end of the stream', () => {
    const { out, push, end } = rig(() => 'pass');
    push('USR 3 TWN');
    expect(out).toEqual([]);
    end();
    expect(joined(out)).toBe('USR 3 TWN');
  });

  it('delivers nothing after close, even when a held command settles', async () => {
    const held = deferred();
    const { lane, out, push } = rig(() => held.promise);
    push('OUT\r\n');
    lane.close();
    held.resolve({ action: 'forward', raw: enc.encode('OUT\r\n'), edited: false });
    await tick();
    expect(out).toEqual([]);
  });
});
