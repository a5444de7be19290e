// Defaults and validation for GatewayOptions, in one place (the README lists the same values).
import type { DecoderFactory } from '../relay/command-watch.ts';
import type { GatewayOptions, GatewayProfile, UpstreamConfig } from './types.ts';

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 80,
  profile: 'faithful' as GatewayProfile,
  defaultSbPort: 1863,
  quietMs: 30,
  replyCapMs: 1500,
  maxLifespanS: 60,
  idleTimeoutMs: 120_000,
  maxBodyBytes: 1024 * 1024,
  maxSessions: 20_000,
  maxQueuedBytes: 4 * 1024 * 1024,
  connectTimeoutMs: 5000,
  stallTimeoutMs: 60_000,
};

export interface ResolvedOptions {
  host: string;
  port: number;
  profile: GatewayProfile;
  upstream: UpstreamConfig;
  allowlist: string[];
  defaultSbPort: number;
  gwIp: string | undefined;
  quietMs: number;
  replyCapMs: number;
  maxLifespanS: number;
  idleTimeoutMs: number;
  maxBodyBytes: number;
  maxSessions: number;
  maxQueuedBytes: number;
  connectTimeoutMs: number;
  stallTimeoutMs: number;
  decoderFactory: DecoderFactory | undefined;
}

/** Throws a TypeError naming the bad option, so a misconfiguration fails before listening. */
export function resolveOptions(o: GatewayOptions & { decoderFactory?: DecoderFactory }): ResolvedOptions {
  if (!o || !o.upstream) throw new TypeError('GatewayOptions.upstream is required');
  const k = o.upstream.kind;
  if (k !== 'emulator' && k !== 'tcp' && k !== 'passthrough') throw new TypeError(`unknown upstream kind "${String(k)}"`);
  if (o.profile !== undefined && o.profile !== 'faithful' && o.profile !== 'lenient') throw new TypeError(`profile must be faithful or lenient, got "${String(o.profile)}"`);
  if (o.gwIp !== undefined && !/^[A-Za-z0-9.:\-[\]]{1,39}$/.test(o.gwIp)) {
    // GW-IP goes into a header and clients copy it into 40-byte buffers.
    throw new TypeError(`gwIp "${o.gwIp}" must be a host or address of at most 39 characters`);
  }
  const r: ResolvedOptions = {
    host: o.host ?? DEFAULTS.host,
    port: o.port ?? DEFAULTS.port,
    profile: o.profile ?? DEFAULTS.profile,
    upstream: o.upstream,
    allowlist: o.allowlist ?? [],
    defaultSbPort: o.defaultSbPort ?? DEFAULTS.defaultSbPort,
    gwIp: o.gwIp,
    quietMs: o.quietMs ?? DEFAULTS.quietMs,
    replyCapMs: o.replyCapMs ?? DEFAULTS.replyCapMs,
    maxLifespanS: o.maxLifespanS ?? DEFAULTS.maxLifespanS,
    idleTimeoutMs: o.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    maxBodyBytes: o.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    maxSessions: o.maxSessions ?? DEFAULTS.maxSessions,
    maxQueuedBytes: o.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes,
    connectTimeoutMs: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    stallTimeoutMs: o.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs,
    decoderFactory: o.decoderFactory,
  };
  for (const key of ['port', 'defaultSbPort', 'quietMs', 'replyCapMs', 'maxLifespanS', 'idleTimeoutMs', 'maxBodyBytes', 'maxSessions', 'maxQueuedBytes', 'connectTimeoutMs', 'stallTimeoutMs'] as const) {
    const v = r[key];
    if (!Number.isFinite(v) || v < 0) throw new TypeError(`${key} must be a non-negative number, got ${String(v)}`);
  }
  if (r.port > 65535) throw new TypeError(`port ${r.port} is out of range`);
  return r;
}
