import { describe, expect, it } from 'vitest';
import { batch, command, exchange, finding, session } from '../test/records.ts';
import { emptyData, reduceBatches } from './apply-batches.ts';
import type { DataState } from './apply-batches.ts';

const base = (): DataState => ({ ...emptyData(0), status: null });
const limits = { commands: 5, exchanges: 3, findings: 2 };

describe('reduceBatches', () => {
  it('appends commands in order, once, across several batches in one frame', () => {
    const out = reduceBatches(base(), [batch(1, { commands: [command(1), command(2)] }), batch(2, { commands: [command(2), command(3)] })]);
    expect(out.commands!.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(out.lastSeq).toBe(2);
    expect(out.resyncNeeded).toBe(false);
  });

  it('replaces updated commands by id without reordering, leaving the old record untouched', () => {
    const old = command(2);
    const state = { ...base(), commands: [command(1), old] };
    const out = reduceBatches(state, [batch(1, { updatedCommands: [command(2, { pairId: 1 }), command(99)] })]);
    expect(out.commands!.map((c) => [c.id, c.pairId])).toEqual([[1, null], [2, 1]]);
    expect(out.commands![1]).not.toBe(old);
    expect(old.pairId).toBeNull();
    expect(out.commandsVersion).toBe(1);
  });

  it('upserts sessions, exchanges and findings; keeps held and status when a batch says null', () => {
    const state = { ...base(), exchanges: [exchange(1, { status: null })] };
    const out = reduceBatches(state, [batch(1, { sessions: [session('s1')], exchanges: [exchange(1), exchange(2)], findings: [finding(1)] })]);
    expect(out.sessionsById!.get('s1')!.user).toBe('alice@example.com');
    expect(out.exchanges!.map((e) => [e.id, e.status])).toEqual([[1, 200], [2, 200]]);
    expect(out.findings!.length).toBe(1);
    expect(out.held).toBeUndefined();
    expect(out.status).toBeUndefined();
  });

  it('drops evicted ranges and bumps the epoch', () => {
    const state = { ...base(), commands: [1, 2, 3, 4].map((i) => command(i)) };
    const out = reduceBatches(state, [batch(1, { evicted: { fromId: 1, toId: 2 } })]);
    expect(out.commands!.map((c) => c.id)).toEqual([3, 4]);
    expect(out.commandsEpoch).toBe(1);
  });

  it('a cleared batch drops everything before it but keeps what comes with and after it', () => {
    const state = { ...base(), commands: [command(1)], sessionsById: new Map([['s1', session('s1')]]) };
    const out = reduceBatches(state, [batch(1, { cleared: true, commands: [command(5)] }), batch(2, { commands: [command(6)] })]);
    expect(out.commands!.map((c) => c.id)).toEqual([5, 6]);
    expect(out.sessionsById!.size).toBe(0);
  });

  it('flags a sequence gap and ignores batches it already applied', () => {
    const state = { ...base(), lastSeq: 4 };
    expect(reduceBatches(state, [batch(4, { commands: [command(1)] })]).commands).toBeUndefined();
    expect(reduceBatches(state, [batch(6)]).resyncNeeded).toBe(true);
  });

  it('keeps at most the limit of each kind, dropping the oldest (commands: a share at once)', () => {
    const out = reduceBatches(
      base(),
      [batch(1, { commands: [1, 2, 3, 4, 5, 6, 7].map((i) => command(i)), exchanges: [1, 2, 3, 4].map((i) => exchange(i)), findings: [1, 2, 3].map((i) => finding(i)) })],
      limits,
    );
    // 7 past a limit of 5: down to 95% of it (4), so the next few appends copy nothing.
    expect(out.commands!.map((c) => c.id)).toEqual([4, 5, 6, 7]);
    expect(out.exchanges!.map((e) => e.id)).toEqual([2, 3, 4]);
    expect(out.findings!.map((f) => f.id)).toEqual([2, 3]);
    expect(out.commandsEpoch).toBe(1);
  });

  it('appends and updates commands in place and bumps the version; evictions copy and bump the epoch', () => {
    const list = [command(1)];
    const state = { ...base(), commands: list };
    const out = reduceBatches(state, [batch(1, { commands: [command(2)], updatedCommands: [command(1, { pairId: 2 })] })]);
    expect(out.commands).toBe(list);
    expect(list.map((c) => [c.id, c.pairId])).toEqual([[1, 2], [2, null]]);
    expect(out.commandsVersion).toBe(1);
    expect(out.commandsEpoch).toBe(0);
    const evicted = reduceBatches({ ...state, commandsVersion: 1 }, [batch(2, { evicted: { fromId: 1, toId: 1 } })]);
    expect(evicted.commands).not.toBe(list);
    expect(evicted.commands!.map((c) => c.id)).toEqual([2]);
    expect(evicted.commandsVersion).toBe(2);
    expect(evicted.commandsEpoch).toBe(1);
  });

  it('counts evicted commands that were still to load, and forgets what is to load on clear', () => {
    const state = { ...base(), commands: [10, 11, 12].map((i) => command(i)), older: { commands: 9, exchanges: 2, findings: 0 } };
    const out = reduceBatches(state, [batch(1, { evicted: { fromId: 1, toId: 4 } })]);
    expect(out.older).toEqual({ commands: 5, exchanges: 2, findings: 0 });
    expect(out.commands!.map((c) => c.id)).toEqual([10, 11, 12]);
    expect(reduceBatches(state, [batch(1, { cleared: true })]).older).toEqual({ commands: 0, exchanges: 0, findings: 0 });
  });

  it('shrinks what is still to load as live records fill the store', () => {
    const state = { ...base(), commands: [3, 4].map((i) => command(i)), older: { commands: 2, exchanges: 0, findings: 0 } };
    const out = reduceBatches(state, [batch(1, { commands: [5, 6].map((i) => command(i)) })], limits);
    expect(out.older!.commands).toBe(1);
  });
});
