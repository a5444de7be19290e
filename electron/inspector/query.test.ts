import { describe, expect, it } from 'vitest';
import type { CommandItem } from '../../shared/msnp/index.ts';
import { EventScript } from './__test__/synthetic.ts';
import { CommandEntry } from './model/entry.ts';
import { InspectorModel } from './model/model.ts';
import { CommandQueries, QueryError, listExchanges, listFindings } from './query.ts';

const enc = new TextEncoder();

function item(line: string, trid: number | null, errorCode: number | null = null): CommandItem {
  const [verb, ...args] = line.split(' ');
  return { kind: 'command', raw: enc.encode(line + '\r\n'), offset: 0, line, verb, args, trid, payloadLength: null, payload: null, errorCode };
}

/** A model holding `n` commands over two sessions, filled straight into the store (no framing). */
function bigModel(n: number): InspectorModel {
  const script = new EventScript().open('ns').open('sb', 'SB');
  const model = new InspectorModel({ memoryCommands: n });
  for (const e of script.take()) model.ingest(e);
  const ns = model.sessions.get('ns')!;
  const sb = model.sessions.get('sb')!;
  const msg = item('MSG 1 N 0', 1);
  const chg = item('CHG 2 NLN 0', 2);
  const err = item('911 3', 3, 911);
  for (let i = 0; i < n; i++) {
    const id = model.commands.nextId;
    const onSb = i % 10 === 0;
    const session = onSb ? sb : ns;
    const it = onSb ? msg : i % 1000 === 1 ? err : chg;
    model.commands.append(new CommandEntry(id, session, i % 2 === 0 ? 'client' : 'server', it, i, null, 'wire', 8));
    session.commandIds.push(id);
  }
  return model;
}

describe('commands.query', () => {
  it('pages a million commands without scanning them, and scans a filter once', () => {
    const model = bigModel(1_000_000);
    const q = new CommandQueries(model);
    const last = q.query({ offset: 999_950, limit: 100 });
    expect(last.total).toBe(1_000_000);
    expect(last.items).toHaveLength(50);
    expect(last.items[0].id).toBe(999_951);
    expect(q.tested).toBe(0);

    const sb = q.query({ sessionId: 'sb', offset: 10, limit: 5 });
    expect(sb.total).toBe(100_000);
    expect(sb.items.map((c) => c.id)).toEqual([101, 111, 121, 131, 141]);
    expect(q.tested).toBe(0);

    const errors = q.query({ filter: 'error', limit: 3 });
    expect(errors.total).toBe(1000);
    expect(errors.items.map((c) => c.errorCode)).toEqual([911, 911, 911]);
    expect(q.tested).toBe(1_000_000);
    const page2 = q.query({ filter: 'error', offset: 3, limit: 3 });
    expect(page2.items[0].id).toBe(3003 - 1);
    expect(q.tested).toBe(1_000_000); // cached: nothing re-tested

    const sbMsg = q.query({ filter: 'verb:MSG dir:client', sessionId: 'sb', limit: 1 });
    expect(sbMsg.total).toBe(100_000);
    expect(q.tested).toBe(1_100_000); // only the session's own commands were tested
  });

  it('extends a cached filter with new commands and honours eviction', () => {
    const s = new EventScript().open('1');
    for (let i = 1; i <= 6; i++) s.exchange('1', `CHG ${i} NLN 0\r\n`, `CHG ${i} NLN 0\r\n`);
    const model = new InspectorModel({ memoryCommands: 8 });
    for (const e of s.take()) model.ingest(e);
    const q = new CommandQueries(model);
    expect(q.query({ filter: 'dir:client' }).items.map((c) => c.trid)).toEqual([3, 4, 5, 6]);
    s.exchange('1', 'CHG 7 NLN 0\r\n');
    for (const e of s.take()) model.ingest(e);
    const page = q.query({ filter: 'dir:client' });
    expect(page.items.map((c) => c.trid)).toEqual([4, 5, 6, 7]);
    expect(page.total).toBe(4);
  });

  it('free text, negation, user and session prefix; bad filters are errors', () => {
    const s = new EventScript().open('123').open('456');
    s.exchange('123', 'USR 1 TWN I alice@example.com\r\n', 'USR 1 OK alice@example.com Alice 1 0\r\n');
    s.exchange('456', 'CHG 1 NLN 0\r\n');
    const model = new InspectorModel();
    for (const e of s.take()) model.ingest(e);
    const q = new CommandQueries(model);
    expect(q.query({ filter: 'user:alice' }).total).toBe(2);
    expect(q.query({ filter: '-verb:USR' }).total).toBe(1);
    expect(q.query({ filter: '"TWN I"' }).total).toBe(1);
    expect(q.query({ filter: 'session:45' }).items[0].verb).toBe('CHG');
    expect(() => q.query({ filter: 'nope:1' })).toThrow(QueryError);
    expect(() => q.query({ filter: 'trid:x' })).toThrow(/trid: takes a number/);
  });

  it('lists exchanges and findings by session with paging', () => {
    const s = new EventScript().open('1').open('2');
    s.exchange('1', 'ZZZ 1\r\n');
    s.exchange('2', 'YYY 1\r\n');
    s.exchange('2', '');
    const model = new InspectorModel();
    for (const e of s.take()) model.ingest(e);
    expect(listExchanges(model, {}).total).toBe(3);
    const two = listExchanges(model, { sessionId: '2', offset: 1, limit: 1 });
    expect(two).toMatchObject({ total: 2, offset: 1 });
    expect(two.items[0].kind).toBe('poll');
    expect(listFindings(model, { sessionId: '2' }).items.map((f) => f.message)).toEqual([expect.stringContaining('YYY')]);
  });
});
