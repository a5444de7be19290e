import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter, suggestFilter, type FilterSubject } from './filter.ts';

const subject = (over: Partial<FilterSubject> = {}): FilterSubject => ({
  verb: 'MSG',
  direction: 'client',
  sessionId: '512345678',
  server: 'SB',
  trid: 4,
  user: 'alice@example.com',
  errorCode: null,
  malformed: false,
  text: 'MSG 4 N 120',
  ...over,
});

const matches = (filter: string, s: FilterSubject) => {
  const parsed = parseFilter(filter);
  expect(parsed.errors).toEqual([]);
  return compileFilter(parsed)(s);
};

describe('filter grammar', () => {
  it('matches every field', () => {
    const s = subject();
    for (const f of ['verb:MSG', 'verb:msg', 'verb:USR|MSG', 'dir:client', 'session:5123', 'server:sb', 'trid:4', 'user:alice', 'msg 4']) {
      expect(matches(f, s), f).toBe(true);
    }
    for (const f of ['verb:USR', 'dir:server', 'session:9', 'server:ns', 'trid:5', 'user:bob', 'error', 'malformed', 'XFR']) {
      expect(matches(f, s), f).toBe(false);
    }
  });

  it('ANDs terms, negates with -, and quotes free text', () => {
    const s = subject();
    expect(matches('verb:MSG dir:client', s)).toBe(true);
    expect(matches('verb:MSG dir:server', s)).toBe(false);
    expect(matches('-verb:PNG', s)).toBe(true);
    expect(matches('-verb:MSG', s)).toBe(false);
    expect(matches('"4 n 120"', s)).toBe(true);
    expect(matches('-"4 n 120"', s)).toBe(false);
  });

  it('matches errors by flag and by code', () => {
    const err = subject({ verb: '911', errorCode: 911, text: '911 3' });
    expect(matches('error', err)).toBe(true);
    expect(matches('error:911', err)).toBe(true);
    expect(matches('error:540', err)).toBe(false);
    expect(matches('-error', subject())).toBe(true);
    expect(matches('malformed', subject({ verb: null, malformed: true }))).toBe(true);
  });

  it('names the problem in a bad filter instead of matching silently', () => {
    expect(parseFilter('colour:red').errors[0]).toContain('unknown field "colour:"');
    expect(parseFilter('dir:sideways').errors[0]).toContain('dir: takes client or server');
    expect(parseFilter('trid:abc').errors[0]).toContain('trid: takes a number');
    expect(parseFilter('verb:').errors[0]).toContain('needs a value');
    expect(parseFilter('x'.repeat(3000)).errors[0]).toContain('longer than');
  });

  it('an empty filter matches everything', () => {
    expect(matches('', subject())).toBe(true);
    expect(matches('   ', subject({ verb: null, malformed: true }))).toBe(true);
  });

  it('suggests fields and values for the word being typed', () => {
    expect(suggestFilter('ve').map((s) => s.insert)).toEqual(['verb:']);
    expect(suggestFilter('dir:c -e').map((s) => s.insert)).toEqual(['-error']);
    expect(suggestFilter('verb:U', ['USR', 'UUX', 'MSG']).map((s) => s.insert)).toEqual(['verb:USR', 'verb:UUX']);
    expect(suggestFilter('server:').map((s) => s.insert)).toEqual(['server:ns', 'server:sb']);
  });
});
