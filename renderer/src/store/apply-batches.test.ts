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

  it('replaces updated commands by id without reordering, and leaves the old array untouched', () => {
    const state = { ...base(), commands: [command(1), command(2)] };
    const out = reduceBatches(state, [batch(1, { updatedCommands: [command(2, { pairId: 1 }), command(99)] })]);
    expect(out.commands!.map((c) => [c.id, c.pairId])).toEqual([[1, null], [2, 1]]);
    expect(state.commands[1].pairId).toBeNull();
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

  it('keeps at most the limit of each kind, dropping the oldest', () => {
    const out = reduceBatches(
      base(),
      [batch(1, { commands: [1, 2, 3, 4, 5, 6, 7].map((i) => command(i)), exchanges: [1, 2, 3, 4].map((i) => exchange(i)), findings: [1, 2, 3].map((i) => finding(i)) })],
      limits,
    );
    expect(out.commands!.map((c) => c.id)).toEqual([3, 4, 5, 6, 7]);
    expect(out.exchanges!.map((e) => e.id)).toEqual([2, 3, 4]);
    expect(out.findings!.map((f) => f.id)).toEqual([2, 3]);
    expect(out.commandsEpoch).toBe(1);
  });
});
