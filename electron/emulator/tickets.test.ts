import { describe, expect, it } from 'vitest';
import { TicketStore, ticketToken } from './tickets.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TicketStore', () => {
  it('issues unguessable TWN-shaped tickets bound to the handle', () => {
    const store = new TicketStore();
    const issued = store.issue('Alice@Example.com');
    expect(issued.ticket).toMatch(/^t=[A-Za-z0-9_-]{32}&p=[A-Za-z0-9_-]{32}$/);
    expect(issued.ticket).toBe(`t=${issued.token}&p=${issued.profile}`);
    expect(issued.handle).toBe('alice@example.com');
    expect(Buffer.from(issued.binarySecret, 'base64')).toHaveLength(24);
    const many = new Set(Array.from({ length: 500 }, () => store.issue('a@b.c').token));
    expect(many.size).toBe(500);
  });

  it('redeems every form clients send back', () => {
    const store = new TicketStore();
    const { ticket, token, profile } = store.issue('alice@example.com', { service: 'messengerclear.live.com' });
    for (const form of [ticket, token, `t=${token}`, `'${ticket}'`, encodeURIComponent(ticket), `t=${token}&amp;p=${profile}`, ` ${ticket} `]) {
      expect(store.redeem(form), form).toBe('alice@example.com');
    }
    expect(store.lookup(ticket)?.service).toBe('messengerclear.live.com');
    // Redeeming does not use a ticket up (clients log in again after a gateway reconnect).
    expect(store.redeem(ticket)).toBe('alice@example.com');
  });

  it('refuses unknown, malformed and oversized input without throwing', () => {
    const store = new TicketStore();
    store.issue('alice@example.com');
    for (const bad of ['', 't=', 't=nope&p=', 'x'.repeat(2000), '%E0%A4%A', 't=AAAAAAAAAAAAAAAAAAAAAAAA&p=', null, 42, undefined]) {
      expect(store.redeem(bad as string)).toBeNull();
    }
    expect(ticketToken('%ZZ')).toBeNull();
  });

  it('expires tickets after the TTL', () => {
    const c = clock();
    const store = new TicketStore({ ttlMs: 60_000, now: c.now });
    const { ticket, expiresAt, issuedAt } = store.issue('alice@example.com');
    expect(expiresAt - issuedAt).toBe(60_000);
    c.advance(59_999);
    expect(store.redeem(ticket)).toBe('alice@example.com');
    c.advance(1);
    expect(store.redeem(ticket)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('stays bounded: expired tickets go first, then the oldest', () => {
    const c = clock();
    const store = new TicketStore({ maxTickets: 3, ttlMs: 1000, now: c.now });
    const a = store.issue('a@x.y');
    c.advance(2000); // a has expired
    const b = store.issue('b@x.y');
    const d = store.issue('d@x.y');
    const e = store.issue('e@x.y'); // table full: the expired a is purged, not b
    expect(store.size).toBe(3);
    expect(store.redeem(a.ticket)).toBeNull();
    expect(store.redeem(b.ticket)).toBe('b@x.y');
    const f = store.issue('f@x.y'); // none expired: the oldest (b) is dropped
    expect(store.size).toBe(3);
    expect(store.redeem(b.ticket)).toBeNull();
    expect([d, e, f].map((t) => store.redeem(t.ticket))).toEqual(['d@x.y', 'e@x.y', 'f@x.y']);
  });

  it('revokes and purges', () => {
    const c = clock();
    const store = new TicketStore({ ttlMs: 10, now: c.now });
    const one = store.issue('a@x.y');
    store.issue('b@x.y');
    expect(store.revoke(one.ticket)).toBe(true);
    expect(store.revoke(one.ticket)).toBe(false);
    c.advance(10);
    expect(store.purgeExpired()).toBe(1);
    expect(store.size).toBe(0);
    expect(() => new TicketStore({ maxTickets: 0 })).toThrow(RangeError);
  });
});
