// Decides where a new session's upstream connection goes, and refuses anything that would make
// the gateway an open relay: only the configured upstream, switchboards learned from relayed
// XFR/RNG lines, and explicit allowlist entries are reachable.
import type { UpstreamConfig } from '../gateway/types.ts';
import { formatHostPort, parseHostPort } from './address.ts';
import type { Allowlist } from './allowlist.ts';
import type { SwitchboardDirectory } from './sb-directory.ts';
import type { UpstreamTarget } from './types.ts';

export interface RouteRequest {
  server: 'NS' | 'SB';
  /** The `IP=` value, verbatim (may be empty, may carry a port). */
  requestedIp: string;
  /** Cookie of the SB open body's first command (USR/ANS), if any. */
  cookie: string | null;
}

export interface RouteContext {
  upstream: UpstreamConfig;
  directory: SwitchboardDirectory;
  allowlist: Allowlist;
  defaultSbPort: number;
}

export type RouteResult =
  | { ok: true; target: UpstreamTarget; via: 'upstream' | 'cookie' | 'learned' | 'default-port' | 'ip' }
  | { ok: false; reason: string; target: string };

/** Emulator NS opens keep the name the client asked for, for display only. */
const DEFAULT_NS_NAME = 'messenger.hotmail.com';
const DEFAULT_NS_PORT = 1863;

export function routeOpen(req: RouteRequest, ctx: RouteContext): RouteResult {
  const ip = req.requestedIp === '' ? null : parseHostPort(req.requestedIp);
  if (req.requestedIp !== '' && ip === null) {
    return { ok: false, reason: `IP= value "${req.requestedIp}" is not a host or host:port`, target: req.requestedIp };
  }
  const up = ctx.upstream;

  if (req.server === 'NS') {
    if (up.kind === 'emulator') {
      return { ok: true, via: 'upstream', target: { kind: 'emulator', server: 'NS', host: ip?.host ?? DEFAULT_NS_NAME, port: ip?.port ?? DEFAULT_NS_PORT } };
    }
    if (up.kind === 'tcp') {
      return { ok: true, via: 'upstream', target: { kind: 'tcp', server: 'NS', host: up.host, port: up.port } };
    }
    if (!ip) return { ok: false, reason: 'passthrough needs an IP= value to connect to', target: '' };
    const port = ip.port ?? up.defaultPort;
    if (!ctx.allowlist.allows(ip.host, port)) {
      return { ok: false, reason: `${formatHostPort(ip.host, port)} is not in the allowlist`, target: formatHostPort(ip.host, port) };
    }
    return { ok: true, via: 'ip', target: { kind: 'tcp', server: 'NS', host: ip.host, port } };
  }

  // Switchboard: the cookie's announced address wins, then the host's announced port(s).
  const byCookie = req.cookie ? ctx.directory.byCookie(req.cookie) : null;
  let host: string;
  let port: number;
  let via: 'cookie' | 'learned' | 'default-port' | 'ip';
  if (byCookie) {
    ({ host, port } = byCookie);
    via = 'cookie';
  } else if (ip) {
    host = ip.host;
    if (ip.port !== null) {
      port = ip.port;
      via = 'ip';
    } else {
      const learned = ctx.directory.portsFor(ip.host);
      port = learned[0] ?? ctx.defaultSbPort;
      via = learned.length > 0 ? 'learned' : 'default-port';
    }
  } else {
    return { ok: false, reason: 'SB open without IP= and without a known cookie', target: '' };
  }

  if (up.kind === 'emulator') return { ok: true, via, target: { kind: 'emulator', server: 'SB', host, port } };

  const allowed =
    ctx.directory.isKnown(host, port) ||
    ctx.allowlist.allows(host, port) ||
    (up.kind === 'tcp' && sameHost(up.host, host) && up.port === port);
  if (!allowed) {
    const t = formatHostPort(host, port);
    return { ok: false, reason: `${t} was not announced by a relayed XFR/RNG and is not allowlisted`, target: t };
  }
  return { ok: true, via, target: { kind: 'tcp', server: 'SB', host, port } };
}

function sameHost(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
