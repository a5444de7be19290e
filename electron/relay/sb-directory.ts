// Switchboard addresses this gateway has seen announced by an NS (`XFR ... SB host:port CKI cookie`
// and `RNG sessid host:port CKI cookie ...`). Clients open an SB with `IP=<host>` and no port, so
// this table is what turns that host back into a full address, and what makes an SB target
// legitimate (never an open relay). Bounded: oldest entries go first, entries expire.
import { normalizeHost } from './address.ts';

export interface SbAddress {
  host: string;
  port: number;
}

export interface SwitchboardDirectoryOptions {
  /** Most cookies and most host/port pairs remembered. Default 4096. */
  maxEntries?: number;
  /** How long an announcement stays usable. Default 30 minutes. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry extends SbAddress {
  at: number;
}

export class SwitchboardDirectory {
  private readonly cookies = new Map<string, Entry>();
  /** Key `host port`; re-inserted on each announcement so Map order is recency order. */
  private readonly pairs = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: SwitchboardDirectoryOptions = {}) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 4096);
    this.ttlMs = opts.ttlMs ?? 30 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  learn(address: SbAddress, cookie: string | null): void {
    const entry: Entry = { host: normalizeHost(address.host), port: address.port, at: this.now() };
    const key = `${entry.host} ${entry.port}`;
    this.pairs.delete(key);
    this.pairs.set(key, entry);
    trim(this.pairs, this.maxEntries);
    if (cookie) {
      this.cookies.delete(cookie);
      this.cookies.set(cookie, entry);
      trim(this.cookies, this.maxEntries);
    }
  }

  byCookie(cookie: string): SbAddress | null {
    const e = this.cookies.get(cookie);
    if (!e || this.expired(e)) return null;
    return { host: e.host, port: e.port };
  }

  /** Ports announced for this host, most recent first. */
  portsFor(host: string): number[] {
    const h = normalizeHost(host);
    const ports: number[] = [];
    for (const e of this.pairs.values()) if (e.host === h && !this.expired(e)) ports.unshift(e.port);
    return ports;
  }

  isKnown(host: string, port: number): boolean {
    const e = this.pairs.get(`${normalizeHost(host)} ${port}`);
    return e !== undefined && !this.expired(e);
  }

  get size(): number {
    return this.pairs.size;
  }

  private expired(e: Entry): boolean {
    return this.now() - e.at > this.ttlMs;
  }
}

function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next().value as K;
    map.delete(oldest);
  }
}
