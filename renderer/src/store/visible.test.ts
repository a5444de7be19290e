import { describe, expect, it } from 'vitest';
import { command, session } from '../test/records.ts';
import { rowAt, VisibleCommands } from './visible.ts';

const sessions = new Map([['s1', session('s1')], ['s2', session('s2', { server: 'SB', user: 'bob@example.com' })]]);
const commands = [
  command(1, { verb: 'USR', trid: 1, args: ['TWN', 'I', 'alice@example.com'] }),
  command(2, { verb: 'USR', trid: 1, direction: 'server', args: ['TWN', 'S', 'x'] }),
  command(3, { verb: 'MSG', sessionId: 's2', args: ['bob@example.com', 'Bob', '120'] }),
  command(4, { verb: '911', trid: 5, direction: 'server', errorCode: 911, args: [] }),
];
const input = (over = {}) => ({ commands, epoch: 0, sessionsById: sessions, filterText: '', scopeSessionId: null, ...over });
const ids = (v: VisibleCommands, i: ReturnType<typeof input>) => {
  const rows = v.compute(i);
  return Array.from({ length: rows.count }, (_, n) => rowAt(rows, i.commands, n)!.id);
};

describe('VisibleCommands', () => {
  it('shows everything without allocating when there is no filter or scope', () => {
    const rows = new VisibleCommands().compute(input());
    expect(rows.indices).toBeNull();
    expect(rows.count).toBe(4);
  });

  it('applies the filter grammar, including session fields, negation and free text', () => {
    const v = new VisibleCommands();
    expect(ids(v, input({ filterText: 'verb:USR dir:server' }))).toEqual([2]);
    expect(ids(v, input({ filterText: 'server:sb' }))).toEqual([3]);
    expect(ids(v, input({ filterText: 'user:bob' }))).toEqual([3]);
    expect(ids(v, input({ filterText: 'error' }))).toEqual([4]);
    expect(ids(v, input({ filterText: '-verb:USR' }))).toEqual([3, 4]);
    expect(ids(v, input({ filterText: 'twn' }))).toEqual([1, 2]);
  });

  it('scopes to the selected session', () => {
    expect(ids(new VisibleCommands(), input({ scopeSessionId: 's2' }))).toEqual([3]);
  });

  it('reports filter errors from the grammar', () => {
    expect(new VisibleCommands().compute(input({ filterText: 'colour:red' })).errors[0]).toMatch(/unknown field "colour:"/);
  });

  it('extends the match list incrementally when commands are only appended', () => {
    const v = new VisibleCommands();
    const first = v.compute(input({ filterText: 'verb:MSG' }));
    expect(first.count).toBe(1);
    const more = [...commands, command(5, { verb: 'MSG' }), command(6, { verb: 'ACK' })];
    const second = v.compute(input({ filterText: 'verb:MSG', commands: more }));
    expect(second.indices).toEqual([2, 4]);
    expect(first.indices).toEqual([2]);
  });

  it('starts over when the epoch changes (eviction or clear)', () => {
    const v = new VisibleCommands();
    v.compute(input({ filterText: 'verb:USR' }));
    const rows = v.compute(input({ filterText: 'verb:USR', commands: commands.slice(1), epoch: 1 }));
    expect(rows.indices).toEqual([0]);
  });
});
