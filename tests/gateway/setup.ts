// Shared fixtures for the gateway integration tests: a gateway on 127.0.0.1:0 wired to a
// scripted upstream, every event recorded, and everything torn down after each test.
import { afterEach } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { Gateway, GatewayOptions } from '../../electron/gateway/types.ts';
import type { GatewayEvent, GatewayEventType } from '../../shared/api/gateway-events.ts';
import { waitFor } from '../harness/bytes.ts';
import { headerValue, type RawResponse } from '../harness/http-client.ts';
import { LegacyClient, type ClientProfileName, type LegacyClientOptions } from '../harness/legacy-clients.ts';
import { startScriptedUpstream, type ScriptedUpstream, type ScriptedUpstreamOptions } from '../harness/scripted-upstream.ts';

export interface Rig {
  gateway: Gateway;
  port: number;
  events: GatewayEvent[];
  upstream: ScriptedUpstream;
  of<T extends GatewayEventType>(type: T): Array<Extract<GatewayEvent, { type: T }>>;
  waitEvent<T extends GatewayEventType>(type: T, match?: (e: Extract<GatewayEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<GatewayEvent, { type: T }>>;
  client(profile: ClientProfileName, opts?: Partial<LegacyClientOptions>): LegacyClient;
}

const cleanups: Array<() => Promise<void> | void> = [];

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

export function eventsOf<T extends GatewayEventType>(events: GatewayEvent[], type: T): Array<Extract<GatewayEvent, { type: T }>> {
  return events.filter((e): e is Extract<GatewayEvent, { type: T }> => e.type === type);
}

/** A gateway plus a scripted TCP upstream it relays NS opens to. */
export async function startRig(
  upstreamOpts: ScriptedUpstreamOptions = {},
  options: Partial<GatewayOptions> = {},
  existingUpstream?: ScriptedUpstream,
): Promise<Rig> {
  const upstream = existingUpstream ?? (await startScriptedUpstream(upstreamOpts));
  if (!existingUpstream) onCleanup(() => upstream.close());
  const gateway = createGateway({
    host: '127.0.0.1',
    port: 0,
    upstream: { kind: 'tcp', host: upstream.host, port: upstream.port },
    ...options,
  });
  const events: GatewayEvent[] = [];
  gateway.onEvent((e) => events.push(e));
  const { port } = await gateway.listen();
  const clients: LegacyClient[] = [];
  onCleanup(async () => {
    for (const c of clients) c.close();
    await gateway.close();
  });
  const of = <T extends GatewayEventType>(type: T) => eventsOf(events, type);
  return {
    gateway,
    port,
    events,
    upstream,
    of,
    waitEvent: (type, match = () => true, timeoutMs = 3000) =>
      waitFor(() => of(type).find(match), timeoutMs, `gateway event ${type}`),
    client: (profile, opts = {}) => {
      const c = new LegacyClient(profile, { port, ...opts });
      clients.push(c);
      return c;
    },
  };
}

export const SESSION_ID = /^\d{9}\.\d{5}$/;

/** The response shape every client needs (section 2.8), checked header by header. */
export function expectGatewayShape(res: RawResponse): string[] {
  const problems: string[] = [];
  if (res.statusLine !== 'HTTP/1.1 200 OK') problems.push(`status line ${res.statusLine}`);
  const x = headerValue(res, 'X-MSN-Messenger');
  if (!x || !/^SessionID=\d{9}\.\d{5}; GW-IP=[^;\s]+(; Session=close)?$/.test(x)) problems.push(`X-MSN-Messenger ${x}`);
  if (headerValue(res, 'Content-Type') !== 'application/x-msn-messenger') problems.push(`Content-Type ${headerValue(res, 'Content-Type')}`);
  if (headerValue(res, 'Content-Length') !== String(res.body.length)) problems.push('Content-Length mismatch');
  if (headerValue(res, 'Transfer-Encoding') !== undefined) problems.push('Transfer-Encoding present');
  if (res.headers.some(([n]) => n.toLowerCase().startsWith('access-control-'))) problems.push('CORS header present');
  if ((headerValue(res, 'Connection') ?? 'keep-alive').toLowerCase() !== 'keep-alive') problems.push(`Connection ${headerValue(res, 'Connection')}`);
  return problems;
}

/** A request in the official client's style (Vector A headers), for hand-made cases. */
export function rawRequest(target: string, body: string | Uint8Array = '', method = 'POST', host = 'gateway.messenger.hotmail.com'): Uint8Array {
  const b = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const head =
    `${method} ${target} HTTP/1.1\r\nAccept: */*\r\nUser-Agent: MSMSGS\r\nHost: ${host}\r\n` +
    `Connection: Keep-Alive\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: ${b.length}\r\n\r\n`;
  const h = new TextEncoder().encode(head);
  const out = new Uint8Array(h.length + b.length);
  out.set(h);
  out.set(b, h.length);
  return out;
}

export const OPEN_NS = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';
export const dataTarget = (id: string): string => `/gateway/gateway.dll?SessionID=${id}`;
export const pollTarget = (id: string): string => `/gateway/gateway.dll?Action=poll&SessionID=${id}`;

/** The SessionID of a response's X-MSN-Messenger header. */
export function sessionIdOf(res: RawResponse): string {
  const id = /SessionID=([^;]+)/.exec(headerValue(res, 'X-MSN-Messenger') ?? '')?.[1];
  if (!id) throw new Error(`no SessionID in ${JSON.stringify(headerValue(res, 'X-MSN-Messenger'))}`);
  return id;
}
