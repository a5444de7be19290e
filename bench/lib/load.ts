// Load generator for the gateway benchmark: N keep-alive clients, each with its own gateway
// session, alternating a send (a command whose echo must come back) and an idle poll, the way
// a signed-in client behaves. Works against anything that speaks the gateway's request forms.
import { HttpConnection, buildRequest, headerValue, type RawResponse } from '../../tests/harness/http-client.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface LoadOptions {
  port: number;
  clients: number;
  durationMs: number;
  /** Bytes of MSG payload per send (the command line adds ~15). */
  payloadBytes?: number;
  /** Idle polls after each send (a signed-in client mostly polls). Default 1. */
  pollsPerSend?: number;
}

export interface LoadResult {
  clients: number;
  durationMs: number;
  requests: number;
  sends: number;
  polls: number;
  requestsPerSecond: number;
  /** Every request's latency (send and poll). */
  latency: LatencySummary;
  /** From a send to its whole echo having arrived (including any polls it needed). */
  echoLatency: LatencySummary;
  errors: number;
  firstError?: string;
}

const enc = new TextEncoder();

function request(target: string, host: string, body: Uint8Array): Uint8Array {
  // The official client's headers (Vector A).
  return buildRequest({
    target: `http://${host}${target}`,
    headers: [
      ['Accept', '*/*'],
      ['Accept-Language', 'en-us'],
      ['User-Agent', 'MSMSGS'],
      ['Host', host],
      ['Proxy-Connection', 'Keep-Alive'],
      ['Connection', 'Keep-Alive'],
      ['Pragma', 'no-cache'],
      ['Content-Type', 'application/x-msn-messenger'],
      ['Content-Length', String(body.length)],
    ],
    body,
  });
}

class Client {
  private conn!: HttpConnection;
  private sessionId = '';
  private gwIp = 'gateway.messenger.hotmail.com';
  readonly latencies: number[] = [];
  readonly echoLatencies: number[] = [];
  sends = 0;
  polls = 0;
  private trid = 1;
  private readonly payload: string;
  private readonly port: number;

  private readonly pollsPerSend: number;

  constructor(port: number, payloadBytes: number, pollsPerSend: number) {
    this.port = port;
    this.pollsPerSend = pollsPerSend;
    this.payload = 'x'.repeat(payloadBytes);
  }

  private async exchange(target: string, body: Uint8Array): Promise<RawResponse> {
    const t0 = performance.now();
    const res = await this.conn.send(request(target, this.gwIp, body));
    this.latencies.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${target}`);
    const x = headerValue(res, 'X-MSN-Messenger') ?? '';
    const id = /SessionID=([^;]+)/.exec(x)?.[1];
    if (id) this.sessionId = id;
    const gw = /GW-IP=([^;]+)/.exec(x)?.[1];
    if (gw) this.gwIp = gw;
    if (x.includes('Session=close')) throw new Error('session closed by gateway');
    return res;
  }

  /** Sends `body`, then polls until all of it has come back (the upstream echoes). */
  private async roundTrip(target: string, body: Uint8Array): Promise<void> {
    const t0 = performance.now();
    let got = (await this.exchange(target, body)).body.length;
    while (got < body.length) {
      this.polls++;
      got += (await this.exchange(`/gateway/gateway.dll?Action=poll&SessionID=${this.sessionId}`, new Uint8Array(0))).body.length;
    }
    if (got !== body.length) throw new Error(`echo length ${got} != ${body.length}`);
    this.echoLatencies.push(performance.now() - t0);
  }

  async open(): Promise<void> {
    this.conn = await HttpConnection.connect(this.port, '127.0.0.1', { record: false });
    await this.roundTrip('/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com', enc.encode('VER 1 MSNP8 CVR0\r\n'));
    this.latencies.length = 0;
    this.echoLatencies.length = 0;
    this.polls = 0;
  }

  async step(): Promise<void> {
    const trid = ++this.trid;
    const cmd = enc.encode(`MSG ${trid} N ${this.payload.length}\r\n${this.payload}`);
    this.sends++;
    await this.roundTrip(`/gateway/gateway.dll?SessionID=${this.sessionId}`, cmd);
    for (let i = 0; i < this.pollsPerSend; i++) {
      this.polls++;
      await this.exchange(`/gateway/gateway.dll?Action=poll&SessionID=${this.sessionId}`, new Uint8Array(0));
    }
  }

  close(): void {
    this.conn?.close();
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const clients = Array.from({ length: opts.clients }, () => new Client(opts.port, opts.payloadBytes ?? 120, opts.pollsPerSend ?? 1));
  await Promise.all(clients.map((c) => c.open()));
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + opts.durationMs;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        try {
          await c.step();
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
          return;
        }
      }
    }),
  );
  const elapsed = performance.now() - t0;
  for (const c of clients) c.close();
  const all = clients.flatMap((c) => c.latencies);
  const sends = clients.reduce((n, c) => n + c.sends, 0);
  const polls = clients.reduce((n, c) => n + c.polls, 0);
  return {
    clients: opts.clients,
    durationMs: elapsed,
    requests: all.length,
    sends,
    polls,
    requestsPerSecond: (all.length / elapsed) * 1000,
    latency: summarize(all),
    echoLatency: summarize(clients.flatMap((c) => c.echoLatencies)),
    errors,
    firstError,
  };
}
