// One legacy client's gateway session for the load benchmark and the soak: a keep-alive HTTP
// connection in the official client's request style, the latest SessionID followed, and the
// server's bytes framed with the shared Framer so replies are matched by verb and TrID. Keeps no
// history (thousands of these live in one process). In `bare` mode the server is a plain echo
// (bench/lib/bare-server.ts): the same requests go out, nothing is waited for.
import { Framer } from '../../shared/msnp/framer.ts';
import type { CommandItem } from '../../shared/msnp/types.ts';
import { LeanConnection } from './lean-http.ts';

const enc = new TextEncoder();

/** Where every request's latency and every failure goes (shared by all sessions of a run). */
export interface LoadStats {
  recording: boolean;
  latencies: number[];
  requests: number;
  errors: number;
  errorSamples: string[];
  /** Requests by kind while recording. */
  kinds: Record<string, number>;
  byKind: Record<string, number[]>;
  /** When (Date.now()) each request slower than SLOW_MS completed, to line tails up with stalls. */
  slowAtEpochMs: number[];
}

export const SLOW_MS = 100;

export function newStats(): LoadStats {
  return { recording: false, latencies: [], requests: 0, errors: 0, errorSamples: [], kinds: {}, byKind: {}, slowAtEpochMs: [] };
}

export function recordError(stats: LoadStats, message: string): void {
  stats.errors++;
  if (stats.errorSamples.length < 20) stats.errorSamples.push(message);
}

export interface SessionOptions {
  port: number;
  server: 'NS' | 'SB';
  /** `IP=` of the open. */
  ip: string;
  stats: LoadStats;
  bare: boolean;
  /** How long to wait between polls while a reply is awaited (ms). */
  replyPollMs: number;
  replyTimeoutMs: number;
  /** True once the owner is stopping: waits end with a StoppedError (not a failure). */
  stopped?: () => boolean;
}

export class StoppedError extends Error {}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class GatewaySession {
  readonly opts: SessionOptions;
  conn: LeanConnection | null = null;
  sessionId = '';
  gwIp = 'gateway.messenger.hotmail.com';
  closedByGateway = false;
  trid = 0;
  readonly inbox: CommandItem[] = [];
  private readonly framer: Framer;

  constructor(opts: SessionOptions) {
    this.opts = opts;
    this.framer = new Framer({ direction: 'server', server: opts.server, version: 8 });
  }

  /** The official client's request head (the same bytes the harness's buildRequest wrote). */
  private head(target: string, length: number): string {
    const host = this.gwIp;
    return (
      `POST http://${host}${target} HTTP/1.1\r\nAccept: */*\r\nAccept-Language: en-us\r\nUser-Agent: MSMSGS\r\nHost: ${host}\r\n` +
      `Proxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: ${length}\r\n\r\n`
    );
  }

  private lane: Promise<unknown> = Promise.resolve();

  /** One request at a time per session, as a real client does (a second would overlap: 400). */
  private exchange(kind: string, target: () => string, body: Uint8Array): Promise<void> {
    const run = this.lane.then(() => this.exchangeNow(kind, target(), body));
    this.lane = run.catch(() => {});
    return run;
  }

  private async exchangeNow(kind: string, target: string, body: Uint8Array): Promise<void> {
    const s = this.opts.stats;
    this.conn ??= await LeanConnection.connect(this.opts.port, '127.0.0.1');
    const t0 = performance.now();
    const res = await this.conn.send(this.head(target, body.length), body);
    if (s.recording) {
      const ms = performance.now() - t0;
      s.latencies.push(ms);
      if (ms > SLOW_MS) s.slowAtEpochMs.push(Date.now());
      (s.byKind[kind] ??= []).push(ms);
      s.requests++;
      s.kinds[kind] = (s.kinds[kind] ?? 0) + 1;
    }
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${kind} (${this.opts.server})`);
    const x = res.messenger;
    const id = /SessionID=([^;]+)/.exec(x)?.[1];
    if (id) this.sessionId = id;
    const gw = /GW-IP=([^;]+)/.exec(x)?.[1];
    if (gw) this.gwIp = gw;
    if (x.includes('Session=close')) this.closedByGateway = true;
    if (!this.opts.bare && res.body.length > 0) {
      for (const item of this.framer.push(res.body)) {
        if (item.kind === 'command') this.inbox.push(item);
        else throw new Error(`malformed server bytes: ${item.reason}`);
      }
    }
  }

  encode(verb: string, args: string, payload?: string): { trid: number; bytes: Uint8Array } {
    const trid = ++this.trid;
    if (payload === undefined) return { trid, bytes: enc.encode(`${verb} ${trid} ${args}\r\n`) };
    const p = enc.encode(payload);
    const line = enc.encode(`${verb} ${trid} ${args} ${p.length}\r\n`);
    const bytes = new Uint8Array(line.length + p.length);
    bytes.set(line);
    bytes.set(p, line.length);
    return { trid, bytes };
  }

  async open(bytes: Uint8Array): Promise<void> {
    await this.exchange(`open-${this.opts.server}`, () => `/gateway/gateway.dll?Action=open&Server=${this.opts.server}&IP=${this.opts.ip}`, bytes);
  }

  async send(bytes: Uint8Array): Promise<void> {
    await this.exchange(`send-${this.opts.server}`, () => `/gateway/gateway.dll?SessionID=${this.sessionId}`, bytes);
  }

  async poll(): Promise<void> {
    await this.exchange(`poll-${this.opts.server}`, () => `/gateway/gateway.dll?Action=poll&SessionID=${this.sessionId}`, new Uint8Array(0));
  }

  /** Sends a command (opening the session with it if `open`) and waits for its reply. */
  async cmd(verb: string, args: string, payload?: string, open = false, replyVerb = verb): Promise<CommandItem | null> {
    const { trid, bytes } = this.encode(verb, args, payload);
    if (open) await this.open(bytes);
    else await this.send(bytes);
    return this.waitFor((c) => c.trid === trid && (c.verb === replyVerb || c.errorCode !== null), `${verb} ${trid}`);
  }

  /** The first queued or arriving command matching `check` (polling while none has come). */
  async waitFor(check: (c: CommandItem) => boolean, what: string): Promise<CommandItem | null> {
    if (this.opts.bare) return null;
    const deadline = performance.now() + this.opts.replyTimeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(check);
      if (i >= 0) {
        const [c] = this.inbox.splice(i, 1);
        if (c.errorCode !== null) throw new Error(`${this.opts.server} error ${c.line} for ${what}`);
        return c;
      }
      if (this.opts.stopped?.()) throw new StoppedError('stopped');
      if (this.closedByGateway) throw new Error(`${this.opts.server} session closed while waiting for ${what}`);
      if (performance.now() > deadline) throw new Error(`${this.opts.server}: no ${what} within ${this.opts.replyTimeoutMs} ms`);
      await sleep(this.opts.replyPollMs);
      await this.poll();
    }
  }

  /** Commands received and not claimed by a waiter. */
  take(): CommandItem[] {
    return this.inbox.splice(0);
  }

  close(): void {
    this.conn?.close();
    this.conn = null;
  }
}
