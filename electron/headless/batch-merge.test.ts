import { describe, expect, it } from 'vitest';
import type { CommandRecord, SessionRecord } from '../../shared/api/contract.ts';
import { emptyBatch } from './__test__/api-client.ts';
import { batchSize, mergeBatches } from './batch-merge.ts';

function cmd(id: number, pairId: number | null = null): CommandRecord {
  return {
    id, sessionId: 's', exchangeId: null, direction: 'client', time: id, verb: 'CHG', trid: id, args: [], payloadLength: null,
    errorCode: null, malformed: null, size: 8, pairId, findingIds: [], origin: 'wire',
  };
}

function session(id: string, lastActivity: number): SessionRecord {
  return {
    id, server: 'NS', gatewaySessionIds: [], clientAddress: '127.0.0.1', upstream: 'emulator', requestedIp: '', user: null,
    version: null, client: null, state: 'open', closeReason: null, firstActivity: 0, lastActivity, parentSessionId: null,
    counts: { commandsFromClient: 0, commandsFromServer: 0, exchanges: 0, findings: 0 }, bytes: { fromClient: 0, fromServer: 0 },
  };
}

describe('mergeBatches', () => {
  it('appends commands and findings, upserts sessions and exchanges, keeps the latest held/status', () => {
    const a = emptyBatch(1, { commands: [cmd(1), cmd(2)], sessions: [session('s', 1), session('t', 1)], held: [], status: null });
    const b = emptyBatch(2, { commands: [cmd(3)], sessions: [session('s', 2)], held: null });
    const m = mergeBatches(a, b);
    expect(m.seq).toBe(2);
    expect(m.commands.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(m.sessions.map((s) => [s.id, s.lastActivity])).toEqual([['s', 2], ['t', 1]]);
    expect(m.held).toEqual([]);
    expect(a.commands).toHaveLength(2);
    expect(batchSize(m)).toBe(5);
  });

  it('folds updates of commands it carries into them, keeps others as updates', () => {
    const a = emptyBatch(1, { commands: [cmd(5)], updatedCommands: [cmd(1, 9)] });
    const b = emptyBatch(2, { commands: [cmd(6)], updatedCommands: [cmd(5, 6), cmd(1, 10), cmd(2, 3)] });
    const m = mergeBatches(a, b);
    expect(m.commands).toEqual([cmd(5, 6), cmd(6)]);
    expect(m.updatedCommands).toEqual([cmd(1, 10), cmd(2, 3)]);
  });

  it('unites evicted ranges and lets a clear replace what came before', () => {
    const a = emptyBatch(1, { commands: [cmd(1)], evicted: { fromId: 1, toId: 10 } });
    expect(mergeBatches(a, emptyBatch(2, { evicted: { fromId: 11, toId: 20 } })).evicted).toEqual({ fromId: 1, toId: 20 });
    const cleared = mergeBatches(a, emptyBatch(2, { cleared: true, commands: [cmd(30)] }));
    expect(cleared.cleared).toBe(true);
    expect(cleared.commands.map((c) => c.id)).toEqual([30]);
    expect(cleared.evicted).toBeNull();
    // A clear followed by more keeps the clear.
    expect(mergeBatches(cleared, emptyBatch(3, { commands: [cmd(31)] }))).toMatchObject({ cleared: true, seq: 3 });
  });
});
