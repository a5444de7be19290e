import { describe, expect, it } from 'vitest';
import { Framer } from '../../shared/msnp/framer.ts';
import type { CommandInterceptor, InterceptDecision } from './types.ts';
import { InterceptLane } from './intercept-lane.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const frame = (text: string) => new Framer({ direction: 'client', server: 'NS', version: 8 }).push(enc.encode(text));

function rig(decide: (text: string) => 'pass' | Promise<InterceptDecision>) {
  const out: { text: string; origin: string; tag: number | null }[] = [];
  const seen: string[] = [];
  const interceptor: CommandInterceptor = {
    intercept: (_s, _d, raw) => {
      seen.push(dec.decode(raw));
      return decide(dec.decode(raw));
    },
  };
  const lane = new InterceptLane('1', 'client', interceptor, (bytes, origin, tag) => out.push({ text: dec.decode(bytes), origin, tag }));
  return { lane, out, seen };
}

function deferred() {
  let resolve!: (d: InterceptDecision) => void;
  const promise = new Promise<InterceptDecision>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('InterceptLane', () => {
  it('passes commands through in one write when nothing is held', () => {
    const { lane, out, seen } = rig(() => 'pass');
    lane.push(frame('CHG 6 NLN 0\r\nPRP 7 MFN x\r\n'), 4);
    expect(out).toEqual([{ text: 'CHG 6 NLN 0\r\nPRP 7 MFN x\r\n', origin: 'wire', tag: 4 }]);
    expect(seen).toEqual(['CHG 6 NLN 0\r\n', 'PRP 7 MFN x\r\n']);
  });

  it('holds a command and everything behind it, then forwards the edit in order', async () => {
    const held = deferred();
    const { lane, out } = rig((t) => (t.startsWith('MSG') ? held.promise : 'pass'));
    lane.push(frame('CAL 2 bob@example.com\r\nMSG 3 A 2\r\nhiCAL 4 carol@example.com\r\n'), 1);
    lane.push(frame('OUT\r\n'), 2);
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
    const { lane, out } = rig((t) => (t.startsWith('PNG') ? held.promise : 'pass'));
    lane.push(frame('PNG\r\nCHG 9 AWY 0\r\n'), null);
    held.resolve({ action: 'drop' });
    await tick();
    expect(out.map((o) => o.text)).toEqual(['CHG 9 AWY 0\r\n']);
  });

  it('forwards the original when the hook fails, and passes malformed bytes without asking', async () => {
    const { lane, out, seen } = rig((t) => (t.startsWith('USR') ? Promise.reject(new Error('boom')) : 'pass'));
    lane.push(frame('bad line\r\nUSR 3 TWN I a@b.c\r\n'), null);
    await tick();
    expect(seen).toEqual(['USR 3 TWN I a@b.c\r\n']);
    expect(out.map((o) => o.text).join('')).toBe('bad line\r\nUSR 3 TWN I a@b.c\r\n');
    const throwing = new InterceptLane('1', 'client', { intercept: () => { throw new Error('x'); } }, (b) => out.push({ text: dec.decode(b), origin: 'wire', tag: null }));
    throwing.push(frame('OUT\r\n'), null);
    expect(out.at(-1)?.text).toBe('OUT\r\n');
  });

  it('delivers nothing after close, even when a held command settles', async () => {
    const held = deferred();
    const { lane, out } = rig(() => held.promise);
    lane.push(frame('OUT\r\n'), null);
    lane.close();
    held.resolve({ action: 'forward', raw: enc.encode('OUT\r\n'), edited: false });
    await tick();
    expect(out).toEqual([]);
  });
});
