import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeldCommand } from '../../shared/api/contract.ts';
import { BreakpointManager } from './breakpoints.ts';
import type { HeldOutcome } from './breakpoints.ts';
import type { InterceptDecision } from './interceptor.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

function setup(timeoutMs = 30_000, maxHeld?: number) {
  const changes: HeldCommand[][] = [];
  const resolved: [number, HeldOutcome][] = [];
  const m = new BreakpointManager({
    timeoutMs: () => timeoutMs,
    sessionInfo: (id) => (id === 'ns' ? { server: 'NS', user: 'alice@example.com', version: 8 } : id === 'sb' ? { server: 'SB', user: 'alice@example.com', version: 8 } : null),
    onHeldChange: (h) => changes.push(h),
    onResolved: (h, outcome) => resolved.push([h.id, outcome]),
    now: () => 1000,
    ...(maxHeld ? { maxHeld } : {}),
  });
  return { m, changes, resolved };
}

function held(result: 'pass' | Promise<InterceptDecision>): Promise<InterceptDecision> {
  expect(result).not.toBe('pass');
  return result as Promise<InterceptDecision>;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BreakpointManager', () => {
  it('passes everything without enabled breakpoints, and what does not match', () => {
    const { m } = setup();
    expect(m.intercept('ns', 'client', enc.encode('CHG 1 NLN 0\r\n'))).toBe('pass');
    expect(m.set({ filter: 'verb:MSG', direction: 'client', enabled: false })).toMatchObject({ id: 1 });
    expect(m.intercept('sb', 'client', enc.encode('MSG 1 N 0\r\n'))).toBe('pass');
    m.set({ id: 1, filter: 'verb:MSG', direction: 'client', enabled: true });
    expect(m.intercept('sb', 'server', enc.encode('MSG a@b A 0\r\n'))).toBe('pass'); // wrong direction
    expect(m.intercept('sb', 'client', enc.encode('CAL 2 bob@example.com\r\n'))).toBe('pass'); // no match
    expect(m.intercept('unknown', 'client', enc.encode('MSG 1 N 0\r\n'))).toBe('pass'); // unknown session
  });

  it('holds a match, lists it with its deadline, forwards it unchanged', async () => {
    const { m, changes, resolved } = setup(5000);
    m.set({ filter: 'verb:CHG server:ns', direction: 'both', enabled: true });
    const raw = enc.encode('CHG 4 BSY 0\r\n');
    const p = held(m.intercept('ns', 'client', raw));
    const [h] = m.held();
    expect(h).toMatchObject({ id: 1, breakpointId: 1, sessionId: 'ns', direction: 'client', heldAt: 1000, deadline: 6000 });
    expect(Buffer.from(h.raw, 'base64').toString()).toBe('CHG 4 BSY 0\r\n');
    expect(changes.at(-1)).toHaveLength(1);
    expect(m.forward(h.id)).toEqual({ ok: true });
    const d = await p;
    expect(d).toEqual({ action: 'forward', raw, edited: false });
    expect(m.held()).toEqual([]);
    expect(resolved).toEqual([[1, 'forwarded']]);
    expect(m.forward(h.id)).toEqual({ ok: false, error: 'no held command 1' });
  });

  it('forwards edited bytes after validating them with the codec; a bad edit keeps it held', async () => {
    const { m, resolved } = setup();
    m.set({ filter: 'verb:MSG', direction: 'server', enabled: true });
    const p = held(m.intercept('sb', 'server', enc.encode('MSG bob@example.com Bob 2\r\nhi')));
    const id = m.held()[0].id;
    const wrongLength = m.forward(id, enc.encode('MSG bob@example.com Bob 9\r\nhello'));
    expect(wrongLength.ok).toBe(false);
    expect(wrongLength.error).toMatch(/edited bytes rejected/);
    expect(m.forward(id, enc.encode('CHG 1 NLN 0\r\nCHG 2 NLN 0\r\n')).error).toMatch(/exactly one command/);
    expect(m.held()).toHaveLength(1);
    const edited = enc.encode('MSG bob@example.com Bob 6\r\nhé ☃'.replace('6', String(enc.encode('hé ☃').length)));
    expect(m.forward(id, edited)).toEqual({ ok: true });
    const d = await p;
    expect(d.action).toBe('forward');
    expect(d.action === 'forward' && dec.decode(d.raw)).toBe(dec.decode(edited));
    expect(d.action === 'forward' && d.edited).toBe(true);
    expect(resolved).toEqual([[1, 'edited']]);
  });

  it('drops a held command', async () => {
    const { m, resolved } = setup();
    m.set({ filter: 'dir:client', direction: 'both', enabled: true });
    const p = held(m.intercept('ns', 'client', enc.encode('OUT\r\n')));
    expect(m.drop(m.held()[0].id)).toEqual({ ok: true });
    expect(await p).toEqual({ action: 'drop' });
    expect(m.drop(99)).toEqual({ ok: false });
    expect(resolved).toEqual([[1, 'dropped']]);
  });

  it('auto-forwards after the timeout', async () => {
    vi.useFakeTimers();
    const { m, resolved } = setup(30_000);
    m.set({ filter: 'verb:USR', direction: 'client', enabled: true });
    const raw = enc.encode('USR 3 TWN I alice@example.com\r\n');
    const p = held(m.intercept('ns', 'client', raw));
    vi.advanceTimersByTime(29_999);
    expect(m.held()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(await p).toEqual({ action: 'forward', raw, edited: false });
    expect(resolved).toEqual([[1, 'timeout']]);
  });

  it('releases everything on releaseAll, bounds held commands, rejects bad filters and ids', async () => {
    const { m } = setup(30_000, 2);
    expect(m.set({ filter: 'bogus:1', direction: 'both', enabled: true })).toEqual({ error: expect.stringMatching(/unknown field/) });
    expect(m.set({ id: 42, filter: '', direction: 'both', enabled: true })).toEqual({ error: 'no breakpoint 42' });
    m.set({ filter: '', direction: 'both', enabled: true });
    const a = held(m.intercept('ns', 'client', enc.encode('CHG 1 NLN 0\r\n')));
    const b = held(m.intercept('ns', 'server', enc.encode('CHG 1 NLN 0\r\n')));
    expect(m.intercept('ns', 'client', enc.encode('CHG 2 NLN 0\r\n'))).toBe('pass');
    m.releaseAll();
    expect((await a).action).toBe('forward');
    expect((await b).action).toBe('forward');
    expect(m.remove(1)).toBe(true);
    expect(m.remove(1)).toBe(false);
    expect(m.list()).toEqual([]);
  });
});
