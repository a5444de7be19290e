import { describe, expect, it } from 'vitest';
import { command, session } from '../test/records.ts';
import fc from 'fast-check';
import { compileFilter, parseFilter } from '../../../shared/api/filter.ts';
import { compileForCommands, narrows, rowAt, subjectOf, VisibleCommands } from './visible.ts';

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

  it('typing on into a free-text term tests only the previous matches, with the same result as a fresh scan', () => {
    const many = Array.from({ length: 200 }, (_, i) => command(i + 1, { verb: i % 2 ? 'REA' : 'CHG', args: [`nobody${i}@example.com`] }));
    const typed = ['n', 'no', 'nobody1', 'nobody12', 'nobody1', 'verb:REA nobody1', 'verb:REA nobody19'];
    const v = new VisibleCommands();
    for (const filterText of typed) {
      const at = { ...input({ commands: many, filterText }) };
      expect(ids(v, at)).toEqual(ids(new VisibleCommands(), at));
    }
  });

  it('knows which filter changes narrow the matches', () => {
    const n = (a: string, b: string) => narrows(parseFilter(a), parseFilter(b));
    expect(n('nob', 'nobo')).toBe(true);
    expect(n('verb:MSG al', 'verb:MSG alice')).toBe(true);
    expect(n('nobo', 'nob')).toBe(false);
    expect(n('-nob', '-nobo')).toBe(false);
    expect(n('verb:MSG', 'verb:MSG|USR')).toBe(false);
    expect(n('', 'a')).toBe(false);
    expect(n('a', 'a b')).toBe(false);
  });

  it('matches exactly as the shared matcher over the whole command line (property)', () => {
    const word = fc.constantFrom('MSG', 'usr', 'Alice', 'bob@example.com', 'ΣΑΣ', 'straße', 'NLN', 'x y', '');
    const commandArb = fc.record({
      verb: fc.option(fc.constantFrom('MSG', 'USR', 'CHG', '911'), { nil: null }),
      args: fc.array(word.filter((w) => w !== '' && !w.includes(' ')), { maxLength: 3 }),
      sessionId: fc.constantFrom('s1', 's2', 's3'),
      malformed: fc.constantFrom('garbage Line', 'MSG x'),
      direction: fc.constantFrom('client' as const, 'server' as const),
      errorCode: fc.option(fc.constant(911), { nil: null }),
    });
    const filterArb = fc.array(fc.constantFrom('msg', 'Alice', 'bob', '"x y"', 'σας', 'STRASSE', 'straße', '-nln', 'user:bob', '-user:alice', 'server:sb', 'session:s2', 'verb:MSG|USR', 'dir:server', 'error', '-error', 'malformed'), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 8 }), filterArb, (specs, words) => {
        const list = specs.map((x, i) => command(i + 1, { ...x, malformed: x.verb === null ? x.malformed : null }));
        const parsed = parseFilter(words.join(' '));
        const reference = compileFilter(parsed);
        const fast = compileForCommands(parsed, sessions);
        for (const c of list) expect(fast(c)).toBe(reference(subjectOf(c, sessions.get(c.sessionId))));
      }),
      { numRuns: 300 },
    );
  });

  it('with a filter on session fields, rescans only when a user or server changed, not on every batch', () => {
    const v = new VisibleCommands();
    const first = v.compute(input({ filterText: 'user:bob' }));
    expect(ids(v, input({ filterText: 'user:bob' }))).toEqual([3]);
    const counted = new Map([...sessions].map(([id, s]) => [id, { ...s, counts: { ...s.counts, commandsFromClient: 9 } }]));
    expect(v.compute(input({ filterText: 'user:bob', sessionsById: counted }))).toBe(first);
    const renamed = new Map([...counted, ['s1', session('s1', { user: 'bobby@example.com' })]]);
    expect(ids(v, input({ filterText: 'user:bob', sessionsById: renamed }))).toEqual([1, 2, 3, 4]);
  });
});
