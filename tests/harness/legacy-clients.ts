// Scripted legacy Messenger clients talking to the gateway over real sockets, each with its own
// request style (client-profiles.ts) and connection habits: one request at a time on one
// keep-alive socket (official, libpurple, aMSN, Kopete, MSNPSharp), or BitlBee's overlapping
// data request and long poll on separate sockets. Each keeps the latest SessionID and notices
// Session=close, and records every exchange so tests can check what crossed the wire.
import { bytesOf, concatBytes, latin1, sleep, textOf, type Chunk } from './bytes.ts';
import { profileRequest, splitCommands, type ClientProfileName, type RequestKind } from './client-profiles.ts';
import { HttpConnection, headerValue, type RawResponse } from './http-client.ts';

export { CLIENT_PROFILES, type ClientProfileName } from './client-profiles.ts';

export interface LegacyClientOptions {
  /** The gateway's port on 127.0.0.1 (the client always connects here, whatever it names). */
  port: number;
  server?: 'NS' | 'SB';
  /** `IP=` of the open. Default: messenger.hotmail.com for NS. */
  ip?: string;
  /** Host named on the open. Default: gateway.messenger.hotmail.com (BitlBee: geo.gateway.messenger.live.com). */
  gatewayName?: string;
  /** Idle poll interval; the real clients use 2000 ms (BitlBee re-polls 500 ms after a response). */
  pollIntervalMs?: number;
}

export interface ClientExchange {
  kind: RequestKind;
  request: Uint8Array;
  response: RawResponse;
}

export interface XMsnMessenger {
  parts: string[];
  sessionId: string | null;
  gwIp: string | null;
  sessionClose: boolean;
}

/** Splits an X-MSN-Messenger value the way libpurple and BitlBee do (on "; "). */
export function parseXMsnMessenger(value: string): XMsnMessenger {
  const parts = value.split('; ');
  const get = (k: string) => parts.find((p) => p.startsWith(`${k}=`))?.slice(k.length + 1) ?? null;
  return { parts, sessionId: get('SessionID'), gwIp: get('GW-IP'), sessionClose: parts.includes('Session=close') };
}

export class LegacyClient {
  readonly profile: ClientProfileName;
  readonly server: 'NS' | 'SB';
  readonly ip: string;
  readonly gatewayName: string;
  sessionId: string | null = null;
  gwIp: string | null = null;
  xMsnHost: string | null = null;
  sessionClosed = false;
  readonly exchanges: ClientExchange[] = [];
  /** What the real client would have choked on (strict parsers: Kopete positions, libpurple status line). */
  readonly problems: string[] = [];
  private readonly port: number;
  private readonly pollIntervalMs: number;
  private readonly received: Uint8Array[] = [];
  private readonly conns: HttpConnection[] = [];
  private main: HttpConnection | null = null;
  private lane: Promise<unknown> = Promise.resolve();
  private polling = false;
  private pollLoop: Promise<void> | null = null;

  constructor(profile: ClientProfileName, opts: LegacyClientOptions) {
    this.profile = profile;
    this.port = opts.port;
    this.server = opts.server ?? 'NS';
    this.ip = opts.ip ?? (this.server === 'NS' ? 'messenger.hotmail.com' : '127.0.0.1');
    this.gatewayName = opts.gatewayName ?? (profile === 'bitlbee' ? 'geo.gateway.messenger.live.com' : 'gateway.messenger.hotmail.com');
    this.pollIntervalMs = opts.pollIntervalMs ?? (profile === 'bitlbee' ? 500 : 2000);
  }

  receivedBytes(): Uint8Array {
    return concatBytes(this.received);
  }
  receivedText(): string {
    return textOf(this.receivedBytes());
  }

  /**
   * Opens the session the client's way: aMSN opens with an empty body and sends `body` after;
   * Kopete opens with the first command only; the others put all of `body` in the open.
   */
  async open(body: Chunk = new Uint8Array(0)): Promise<RawResponse[]> {
    const bytes = bytesOf(body);
    if (this.profile === 'amsn') {
      const first = await this.exchange('open', new Uint8Array(0));
      return bytes.length > 0 && first.status === 200 ? [first, ...(await this.send(bytes))] : [first];
    }
    if (this.profile === 'kopete') {
      const [head, ...rest] = splitCommands(bytes);
      const first = await this.exchange('open', head ?? new Uint8Array(0));
      return rest.length > 0 && first.status === 200 ? [first, ...(await this.send(concatBytes(rest)))] : [first];
    }
    return [await this.exchange('open', bytes)];
  }

  /** Sends client commands: Kopete one command per request, the others all in one request. */
  async send(body: Chunk): Promise<RawResponse[]> {
    const bytes = bytesOf(body);
    const parts = this.profile === 'kopete' ? splitCommands(bytes) : [bytes];
    const out: RawResponse[] = [];
    for (const part of parts) {
      const res = await this.exchange('data', part);
      out.push(res);
      if (res.status !== 200) break;
    }
    return out;
  }

  /** One poll (BitlBee: a Lifespan=60 long poll on its own socket, so it may overlap a send). */
  poll(): Promise<RawResponse> {
    return this.exchange('poll', new Uint8Array(0));
  }

  /** Polls until the received bytes contain `text` (or `check` passes), or the timeout. */
  async pollUntil(check: string | ((received: string) => boolean), timeoutMs = 3000, intervalMs = 20): Promise<void> {
    const test = typeof check === 'string' ? (t: string) => t.includes(check) : check;
    const deadline = Date.now() + timeoutMs;
    while (!test(latin1(this.receivedBytes()))) {
      if (this.sessionClosed) throw new Error(`${this.profile}: session closed while waiting`);
      if (Date.now() > deadline) throw new Error(`${this.profile}: timed out waiting; got ${JSON.stringify(this.receivedText())}`);
      const res = await this.poll();
      if (res.status !== 200) throw new Error(`${this.profile}: poll answered ${res.status}`);
      if (!test(latin1(this.receivedBytes()))) await sleep(intervalMs);
    }
  }

  /** Starts the idle poll timer (BitlBee: a long poll kept outstanding, re-polled after each answer). */
  startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    this.pollLoop = (async () => {
      while (this.polling && !this.sessionClosed) {
        if (this.profile !== 'bitlbee') await sleep(this.pollIntervalMs);
        if (!this.polling || this.sessionClosed) break;
        try {
          const res = await this.poll();
          if (res.status !== 200) break;
        } catch {
          break;
        }
        if (this.profile === 'bitlbee') await sleep(this.pollIntervalMs);
      }
    })();
  }

  async stopPolling(): Promise<void> {
    this.polling = false;
    await this.pollLoop;
  }

  close(): void {
    this.polling = false;
    for (const c of this.conns) c.close();
  }

  /** The request bytes this client would send now (for exact-template tests). */
  requestBytes(kind: RequestKind, body: Chunk = new Uint8Array(0)): Uint8Array {
    const host =
      kind === 'open'
        ? this.gatewayName
        : this.profile === 'bitlbee'
          ? (this.xMsnHost ?? this.gatewayName)
          : (this.xMsnHost ?? this.gwIp ?? this.gatewayName);
    return profileRequest(this.profile, {
      kind,
      server: this.server,
      ip: this.ip,
      sessionId: this.sessionId,
      host,
      body: bytesOf(body),
    });
  }

  private async exchange(kind: RequestKind, body: Uint8Array): Promise<RawResponse> {
    // BitlBee runs its long poll beside data requests; everyone else waits their turn.
    if (this.profile === 'bitlbee' && kind === 'poll') return this.roundTrip(kind, body, await this.spareConnection());
    const turn = this.lane.then(async () => this.roundTrip(kind, body, await this.mainConnection()));
    this.lane = turn.catch(() => undefined);
    return turn;
  }

  private async roundTrip(kind: RequestKind, body: Uint8Array, conn: HttpConnection): Promise<RawResponse> {
    const request = this.requestBytes(kind, body);
    const response = await conn.send(request);
    this.exchanges.push({ kind, request, response });
    this.absorb(response);
    return response;
  }

  private absorb(res: RawResponse): void {
    if (res.status !== 200) return;
    if (this.profile === 'libpurple' && res.statusLine !== 'HTTP/1.1 200 OK' && res.statusLine !== 'HTTP/1.0 200 OK') {
      this.problems.push(`libpurple rejects status line ${JSON.stringify(res.statusLine)}`);
    }
    const host = headerValue(res, 'X-MSN-Host');
    if (host) this.xMsnHost = host;
    const value = headerValue(res, 'X-MSN-Messenger');
    if (value === undefined) {
      this.problems.push('200 without X-MSN-Messenger');
    } else {
      const x = parseXMsnMessenger(value);
      if (this.profile === 'kopete') {
        if (!x.parts[0]?.startsWith('SessionID=') || !x.parts[1]?.startsWith('GW-IP=') || (x.parts.length > 2 && x.parts[2] !== 'Session=close') || x.parts.length > 3) {
          this.problems.push(`kopete cannot parse X-MSN-Messenger ${JSON.stringify(value)}`);
        }
      }
      if (x.parts.some((p) => !/^[^=]+=.+$/.test(p))) this.problems.push(`empty field in X-MSN-Messenger ${JSON.stringify(value)}`);
      // Clients ignore new values on the closing response (libpurple), so keep the old ones then.
      if (x.sessionClose) this.sessionClosed = true;
      else {
        if (x.sessionId) this.sessionId = x.sessionId;
        if (x.gwIp) this.gwIp = x.gwIp;
      }
    }
    if (res.body.length > 0) this.received.push(res.body);
  }

  private async mainConnection(): Promise<HttpConnection> {
    if (!this.main || this.main.isClosed) {
      this.main = await HttpConnection.connect(this.port);
      this.conns.push(this.main);
    }
    return this.main;
  }

  private spare: HttpConnection | null = null;
  private async spareConnection(): Promise<HttpConnection> {
    if (!this.spare || this.spare.isClosed) {
      this.spare = await HttpConnection.connect(this.port);
      this.conns.push(this.spare);
    }
    return this.spare;
  }
}

export function createLegacyClient(profile: ClientProfileName, opts: LegacyClientOptions): LegacyClient {
  return new LegacyClient(profile, opts);
}
