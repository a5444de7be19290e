// Host/port strings as they appear in `IP=`, XFR/RNG lines and allowlist entries.

export interface HostPort {
  host: string;
  port: number | null;
}

/** Normalises a host for comparison: lower case, IPv6 brackets removed. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * `host`, `host:port`, `[v6]` or `[v6]:port`. A bare IPv6 address (several colons, no brackets)
 * is a host without a port. Returns null for an empty or unparseable value.
 */
export function parseHostPort(text: string): HostPort | null {
  const t = text.trim();
  if (t === '' || /[\s/?#@]/.test(t)) return null;
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 2) return null;
    const host = t.slice(1, close).toLowerCase();
    const rest = t.slice(close + 1);
    if (rest === '') return { host, port: null };
    if (!rest.startsWith(':')) return null;
    const port = parsePort(rest.slice(1));
    return port === null ? null : { host, port };
  }
  const colons = t.split(':').length - 1;
  if (colons === 0) return { host: t.toLowerCase(), port: null };
  if (colons > 1) return { host: t.toLowerCase(), port: null };
  const i = t.indexOf(':');
  const host = t.slice(0, i).toLowerCase();
  const port = parsePort(t.slice(i + 1));
  if (host === '' || port === null) return null;
  return { host, port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
