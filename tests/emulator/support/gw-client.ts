// An MSNP client that reaches the emulator only through the HTTP gateway: commands go out in a
// legacy client's request style (tests/harness LegacyClient), and the bytes the gateway hands back
// are framed with the shared Framer, so a test reads commands exactly as a client would.
import { Framer } from '../../../shared/msnp/framer.ts';
import type { CommandItem } from '../../../shared/msnp/types.ts';
import { concatBytes, sleep } from '../../harness/bytes.ts';
import { headerValue, type RawResponse } from '../../harness/http-client.ts';
import { LegacyClient, type ClientProfileName } from '../../harness/legacy-clients.ts';

const utf8 = new TextEncoder();

export interface GwClientOptions {
  port: number;
  profile: ClientProfileName;
  server?: 'NS' | 'SB';
  /** `IP=` of the open (default messenger.hotmail.com for NS, 127.0.0.1 for SB). */
  ip?: string;
  /** Dialect the framer assumes until a `VER` reply says otherwise (SB sessions: set it). */
  version?: number;
}

export type Cmd = [verb: string, args?: string, payload?: string | Uint8Array];

/** `X-MSN-Messenger` of a 200 as the official shape demands; returns the problems found. */
export function gatewayShapeProblems(res: RawResponse): string[] {
  const problems: string[] = [];
  if (res.statusLine !== 'HTTP/1.1 200 OK') problems.push(`status line ${res.statusLine}`);
  const x = headerValue(res, 'X-MSN-Messenger');
  if (!x || !/^SessionID=\d{9}\.\d{5}; GW-IP=[^;\s]+(; Session=close)?$/.test(x)) problems.push(`X-MSN-Messenger ${x}`);
  if (headerValue(res, 'Content-Type') !== 'application/x-msn-messenger') problems.push(`Content-Type ${headerValue(res, 'Content-Type')}`);
  if (headerValue(res, 'Content-Length') !== String(res.body.length)) problems.push('Content-Length mismatch');
  return problems;
}

export class GwClient {
  readonly http: LegacyClient;
  readonly profile: ClientProfileName;
  trid = 0;
  /** Every command framed from the gateway's answers, in order. */
  readonly received: CommandItem[] = [];
  /** Bytes the framer could not frame (should stay empty). */
  readonly malformed: string[] = [];
  readonly #framer: Framer;
  readonly #queue: CommandItem[] = [];
  #consumed = 0;
  #opened = false;

  constructor(opts: GwClientOptions) {
    this.profile = opts.profile;
    const server = opts.server ?? 'NS';
    this.http = new LegacyClient(opts.profile, { port: opts.port, server, ip: opts.ip });
    this.#framer = new Framer({ direction: 'server', server, version: opts.version ?? 8 });
    // A VER reply switches the dialect for the very next line, even within one response body.
    this.#framer.onCommand = (item) => {
      if (item.verb === 'VER' && /^MSNP\d+$/.test(item.args[1] ?? '')) this.#framer.setVersion(Number(item.args[1].slice(4)));
    };
  }

  get sessionClosed(): boolean {
    return this.http.sessionClosed;
  }

  /** Every HTTP answer this client got. */
  responses(): RawResponse[] {
    return this.http.exchanges.map((e) => e.response);
  }

  /** `VERB trid args [len]\r\n[payload]` with the next TrID. */
  encode(verb: string, args = '', payload?: string | Uint8Array): { trid: number; bytes: Uint8Array } {
    const trid = ++this.trid;
    return { trid, bytes: this.encodeLine(`${verb} ${trid}${args ? ` ${args}` : ''}`, payload) };
  }

  /** A line without an added TrID (`OUT`), with an optional payload whose byte length is appended. */
  encodeLine(line: string, payload?: string | Uint8Array): Uint8Array {
    if (payload === undefined) return utf8.encode(`${line}\r\n`);
    const body = typeof payload === 'string' ? utf8.encode(payload) : payload;
    return concatBytes([utf8.encode(`${line} ${body.length}\r\n`), body]);
  }

  /** Sends raw client bytes: the first send opens the session (the client's way), the rest are data requests. */
  async sendBytes(bytes: Uint8Array): Promise<RawResponse[]> {
    const responses = this.#opened ? await this.http.send(bytes) : await this.http.open(bytes);
    this.#opened = true;
    for (const res of responses) if (res.status !== 200) throw new Error(`${this.profile}: gateway answered ${res.status}`);
    this.#absorb();
    return responses;
  }

  /** One command in its own request; returns its TrID. */
  async cmd(verb: string, args = '', payload?: string | Uint8Array): Promise<number> {
    const { trid, bytes } = this.encode(verb, args, payload);
    await this.sendBytes(bytes);
    return trid;
  }

  /** Several commands in one request body (MSNPSharp's batched VER+CVR+USR); returns their TrIDs. */
  async batch(cmds: Cmd[]): Promise<number[]> {
    const encoded = cmds.map(([verb, args, payload]) => this.encode(verb, args, payload));
    await this.sendBytes(concatBytes(encoded.map((e) => e.bytes)));
    return encoded.map((e) => e.trid);
  }

  /** Sends a line without a TrID (`OUT`). */
  async line(line: string): Promise<void> {
    await this.sendBytes(this.encodeLine(line));
  }

  /** The next command from the server, polling the gateway while none is queued. */
  async next(timeoutMs = 3000): Promise<CommandItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const item = this.#queue.shift();
      if (item !== undefined) return item;
      if (this.http.sessionClosed) throw new Error(`${this.profile}: session closed (received: ${this.lines().join(' | ')})`);
      if (Date.now() > deadline) throw new Error(`${this.profile}: no command within ${timeoutMs} ms (received: ${this.lines().join(' | ')})`);
      await this.poll();
      if (this.#queue.length === 0) await sleep(10);
    }
  }

  /** Waits for `verb` (and TrID), skipping other commands. */
  async waitFor(verb: string, trid?: number | null, timeoutMs = 3000): Promise<CommandItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cmd = await this.next(Math.max(1, deadline - Date.now()));
      if (cmd.verb === verb && (trid === undefined || cmd.trid === trid)) return cmd;
    }
  }

  /** Commands already queued plus whatever arrives until nothing has come for `quietMs`. */
  async drain(quietMs = 50): Promise<CommandItem[]> {
    const out = this.#queue.splice(0);
    let quietSince = Date.now();
    while (!this.http.sessionClosed && Date.now() - quietSince < quietMs) {
      await this.poll();
      if (this.#queue.length > 0) {
        out.push(...this.#queue.splice(0));
        quietSince = Date.now();
      } else {
        await sleep(10);
      }
    }
    out.push(...this.#queue.splice(0));
    return out;
  }

  /** Commands received but not read yet, without asking the gateway for more. */
  takeQueued(): CommandItem[] {
    return this.#queue.splice(0);
  }

  /** One poll request; queued commands become readable. */
  async poll(): Promise<RawResponse> {
    const res = await this.http.poll();
    if (res.status !== 200) throw new Error(`${this.profile}: poll answered ${res.status}`);
    this.#absorb();
    return res;
  }

  /** Polls until the gateway says `Session=close`; returns the commands that came before it. */
  async untilClosed(timeoutMs = 3000): Promise<CommandItem[]> {
    const out: CommandItem[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!this.http.sessionClosed) {
      if (Date.now() > deadline) throw new Error(`${this.profile}: session still open (received: ${this.lines().join(' | ')})`);
      out.push(...this.#queue.splice(0));
      await this.poll();
      if (!this.http.sessionClosed) await sleep(10);
    }
    out.push(...this.#queue.splice(0));
    return out;
  }

  /** Command lines received so far (for messages). */
  lines(): string[] {
    return this.received.map((c) => c.line);
  }

  close(): void {
    this.http.close();
  }

  #absorb(): void {
    const all = this.http.receivedBytes();
    if (all.length === this.#consumed) return;
    const fresh = all.subarray(this.#consumed);
    this.#consumed = all.length;
    for (const item of this.#framer.push(fresh)) {
      if (item.kind !== 'command') {
        this.malformed.push(item.reason);
        continue;
      }
      this.received.push(item);
      this.#queue.push(item);
    }
  }
}
