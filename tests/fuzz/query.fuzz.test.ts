// The gateway's query parsing (electron/gateway/query.ts) under random targets and queries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGatewayQuery } from '../../electron/gateway/query.ts';
import { fuzzParams, replaying } from './budget.ts';
import { checkQueryResult, checkTarget, queryArb, recaseNames, targetArb } from './query-props.ts';

describe('query parsing fuzz (bounded)', () => {
  it('random request targets: parseTarget and parseGatewayQuery never throw; answers keep their shape', () => {
    fc.assert(fc.property(targetArb, (t) => checkTarget(t)), fuzzParams('query-targets', 3000));
  });

  it('random queries: accepted requests are well-formed, refusals name a reason, outcomes are mixed', () => {
    const seen = { open: 0, send: 0, poll: 0, close: 0, refused: 0 };
    fc.assert(
      fc.property(queryArb, (q) => {
        const r = parseGatewayQuery(q);
        checkQueryResult(q, r);
        seen[r.ok ? r.request.action : 'refused']++;
      }),
      fuzzParams('query-queries', 3000),
    );
    if (!replaying) for (const [k, n] of Object.entries(seen)) expect({ k, hit: n > 0 }).toEqual({ k, hit: true });
  });

  it('parameter names are case-insensitive: re-casing them never changes the answer', () => {
    fc.assert(
      fc.property(queryArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (q, flips) => {
        expect(parseGatewayQuery(recaseNames(q, flips))).toEqual(parseGatewayQuery(recaseNames(q, flips.map(() => false))));
      }),
      fuzzParams('query-recase', 1500),
    );
  });

  it('the first occurrence wins: appending a repeat of a present parameter changes nothing', () => {
    fc.assert(
      fc.property(queryArb, fc.string({ maxLength: 12 }), (q, value) => {
        if (!q.startsWith('?') || q.length < 2) return;
        const name = q.slice(1).split('&')[0].split('=')[0];
        if (name === '' || /[%+]/.test(name)) return;
        expect(parseGatewayQuery(`${q}&${name}=${encodeURIComponent(value)}`)).toEqual(parseGatewayQuery(q));
      }),
      fuzzParams('query-first-wins', 1500),
    );
  });
});
