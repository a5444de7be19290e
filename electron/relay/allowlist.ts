// Explicit extra targets a session may reach (`host:port` or `host:*`), beyond the configured
// upstream and switchboards learned from relayed XFR/RNG lines. The gateway is never an open relay.
import { normalizeHost, parsePort } from './address.ts';

export class Allowlist {
  private readonly exact = new Set<string>();
  private readonly anyPort = new Set<string>();

  /** Throws a TypeError naming the first invalid entry. */
  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim();
      const i = entry.lastIndexOf(':');
      const host = i > 0 ? normalizeHost(entry.slice(0, i)) : '';
      const portText = i > 0 ? entry.slice(i + 1) : '';
      if (host === '' || /[\s/?#@]/.test(host)) throw new TypeError(`invalid allowlist entry "${raw}": expected host:port or host:*`);
      if (portText === '*') {
        this.anyPort.add(host);
        continue;
      }
      const port = parsePort(portText);
      if (port === null) throw new TypeError(`invalid allowlist entry "${raw}": bad port "${portText}"`);
      this.exact.add(`${host} ${port}`);
    }
  }

  allows(host: string, port: number): boolean {
    const h = normalizeHost(host);
    return this.anyPort.has(h) || this.exact.has(`${h} ${port}`);
  }
}
