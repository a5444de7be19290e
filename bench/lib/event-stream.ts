// Realistic gateway event streams for the inspector benchmark, generated on the fly (a pre-built
// array of a million events would sit in the heap being measured). The shapes follow what the
// gateway emits for MSNP8 clients: an open with VER, then mostly idle polls, sends with their
// replies (CHG, XFR, MSG with ACK), server pushes riding on polls (NLN/FLN, MSG from contacts),
// and sessions ending with OUT while new ones open. Every event gets fresh byte arrays, as socket
// reads would give, so the inspector's no-copy views keep what they would keep in a real run.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';

const enc = new TextEncoder();

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface EventStreamOptions {
  /** Sessions alive at once (default 1000); a closed one is replaced by a new one. */
  sessions?: number;
  /** Exchanges a session lives for, on average, before it signs out (default 400). */
  exchangesPerSession?: number;
  /** Deterministic pseudo-random seed. */
  seed?: number;
  /**
   * Busy mode: every exchange carries server pushes in bursts of about this many commands (contact
   * list sync, presence bursts, several messages per poll) instead of mostly idle polls. Default 0
   * (off): the realistic steady-state mix, about four events per command.
   */
  burst?: number;
}

export interface GeneratedEvent {
  event: GatewayEvent;
  /** MSNP commands carried by this event's relayed bytes (0 for HTTP and session events). */
  commands: number;
}

interface LiveSession {
  id: string;
  server: 'NS' | 'SB';
  handle: string;
  minor: number;
  trid: number;
  left: number;
  clientPort: number;
}

const TEXT = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=; CO=0; CS=0; PF=0\r\n\r\n';

function requestHead(target: string, length: number): Uint8Array {
  return enc.encode(
    `POST http://gateway.messenger.hotmail.com${target} HTTP/1.1\r\nAccept: */*\r\nAccept-Language: en-us\r\n` +
      `User-Agent: MSMSGS\r\nHost: gateway.messenger.hotmail.com\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\n` +
      `Pragma: no-cache\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: ${length}\r\n\r\n`,
  );
}

function responseHead(sessionId: string, length: number, close: boolean): Uint8Array {
  return enc.encode(
    `HTTP/1.1 200 OK\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: ${length}\r\n` +
      `X-MSN-Messenger: SessionID=${sessionId}; GW-IP=127.0.0.1${close ? '; Session=close' : ''}\r\n\r\n`,
  );
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function msg(head: string, text: string, mime = TEXT): string {
  const payload = mime + text;
  return `${head} ${enc.encode(payload).length}\r\n${payload}`;
}

/** An endless stream; pull with `next()`. */
export class EventStream {
  private seq = 0;
  private exchangeId = 0;
  private nextSession = 100_000_000;
  private readonly live: LiveSession[] = [];
  private readonly queue: GeneratedEvent[] = [];
  private readonly random: () => number;
  private readonly perSession: number;
  private readonly burst: number;
  /** Commands generated so far. */
  commands = 0;
  events = 0;

  constructor(options: EventStreamOptions = {}) {
    this.random = rng(options.seed ?? 1);
    this.perSession = options.exchangesPerSession ?? 400;
    this.burst = Math.max(0, Math.floor(options.burst ?? 0));
    const n = options.sessions ?? 1000;
    for (let i = 0; i < n; i++) this.open(i % 4 === 3 ? 'SB' : 'NS');
  }

  next(): GeneratedEvent {
    while (this.queue.length === 0) this.step();
    const g = this.queue.shift()!;
    this.commands += g.commands;
    this.events++;
    return g;
  }

  private push(event: DistributiveOmit<GatewayEvent, 'seq' | 'time'>, commands = 0): void {
    this.queue.push({ event: { ...event, seq: ++this.seq, time: Date.now() } as GatewayEvent, commands });
  }

  private open(server: 'NS' | 'SB'): void {
    const id = String(this.nextSession++);
    const s: LiveSession = { id, server, handle: `user${id.slice(-5)}@example.com`, minor: 10000, trid: 1, left: Math.max(4, Math.round(this.perSession * (0.5 + this.random()))), clientPort: 30000 + (Number(id) % 30000) };
    this.live.push(s);
    const upstream = server === 'NS' ? { host: '127.0.0.1', port: 1863, kind: 'emulator' as const } : { host: '127.0.0.1', port: 1864, kind: 'emulator' as const };
    this.push({ type: 'session-opened', sessionId: id, server, requestedIp: server === 'NS' ? 'messenger.hotmail.com' : '127.0.0.1', clientAddress: '127.0.0.1', clientPort: s.clientPort, upstream });
    const body = server === 'NS' ? 'VER 1 MSNP8 CVR0\r\n' : `USR 1 ${s.handle} 1234567.8901234.56789\r\n`;
    const reply = server === 'NS' ? 'VER 1 MSNP8\r\n' : `USR 1 OK ${s.handle} ${s.handle.split('@')[0]}\r\n`;
    this.exchange(s, 'open', `/gateway/gateway.dll?Action=open&Server=${server}&IP=${server === 'NS' ? 'messenger.hotmail.com' : '127.0.0.1'}`, body, reply, 1, 1, true);
  }

  private exchange(s: LiveSession, kind: 'open' | 'send' | 'poll', target: string, body: string, reply: string, cCmds: number, sCmds: number, first = false, close = false): void {
    const x = ++this.exchangeId;
    const reqBody = enc.encode(body);
    const resBody = enc.encode(reply);
    this.push({ type: 'http-request', exchangeId: x, sessionId: s.id, kind, method: 'POST', target, clientAddress: '127.0.0.1', clientPort: s.clientPort, head: requestHead(target, reqBody.length), body: reqBody });
    if (first) this.push({ type: 'upstream-connected', sessionId: s.id, host: '127.0.0.1', port: s.server === 'NS' ? 1863 : 1864 });
    if (reqBody.length > 0) this.push({ type: 'bytes', sessionId: s.id, direction: 'client', exchangeId: x, bytes: reqBody.slice() }, cCmds);
    if (resBody.length > 0) this.push({ type: 'bytes', sessionId: s.id, direction: 'server', exchangeId: x, bytes: resBody.slice() }, sCmds);
    const gwId = `${s.id}.${++s.minor}`;
    if (first) this.push({ type: 'session-id-issued', sessionId: s.id, gatewaySessionId: gwId });
    const now = Date.now();
    this.push({
      type: 'http-response',
      exchangeId: x,
      sessionId: s.id,
      status: 200,
      head: responseHead(gwId, resBody.length, close),
      body: resBody,
      timings: { received: now, forwarded: reqBody.length > 0 ? now : null, firstUpstreamByte: resBody.length > 0 ? now : null, answered: now },
    });
  }

  private step(): void {
    const s = this.live[Math.floor(this.random() * this.live.length)];
    const poll = `/gateway/gateway.dll?Action=poll&SessionID=${s.id}.${s.minor}`;
    const send = `/gateway/gateway.dll?SessionID=${s.id}.${s.minor}`;
    if (--s.left <= 0) return this.close(s, send);
    const r = this.random();
    const t = ++s.trid;
    const peer = `contact${Math.floor(this.random() * 1000)}@example.com`;
    if (this.burst > 0 && r < 0.7) return this.pushBurst(s, poll, t);
    if (s.server === 'NS') {
      if (r < 0.6) this.exchange(s, 'poll', poll, '', '', 0, 0);
      else if (r < 0.75) this.exchange(s, 'poll', poll, '', `NLN NLN ${peer} Contact%20${t} 268435492\r\n`, 0, 1);
      else if (r < 0.85) this.exchange(s, 'send', send, `CHG ${t} ${r < 0.8 ? 'AWY' : 'NLN'} 268435492\r\n`, `CHG ${t} ${r < 0.8 ? 'AWY' : 'NLN'} 268435492\r\n`, 1, 1);
      else if (r < 0.9) this.exchange(s, 'send', send, `XFR ${t} SB\r\n`, `XFR ${t} SB 127.0.0.1:1864 CKI ${Math.floor(this.random() * 1e9)}.${t}.4321\r\n`, 1, 1);
      else if (r < 0.95) this.exchange(s, 'poll', poll, '', `RNG ${1000 + t} 127.0.0.1:1864 CKI 1234.${t}.99 ${peer} Contact\r\nFLN ${peer}\r\n`, 0, 2);
      else this.exchange(s, 'send', send, `SYN ${t} 0\r\n`, `SYN ${t} 12\r\n`, 1, 1);
    } else {
      if (r < 0.55) this.exchange(s, 'poll', poll, '', '', 0, 0);
      else if (r < 0.8) this.exchange(s, 'send', send, msg(`MSG ${t} A`, `hello there, message ${t} — ünïcödé`), `ACK ${t}\r\n`, 1, 1);
      else if (r < 0.9) this.exchange(s, 'poll', poll, '', msg(`MSG ${peer} Contact`, `reply ${t}: the quick brown fox jumps over the lazy dog`), 0, 1);
      else this.exchange(s, 'send', send, msg(`MSG ${t} U`, '\r\n', `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: ${s.handle}\r\n\r\n`), '', 1, 0);
    }
  }

  private pushBurst(s: LiveSession, poll: string, t: number): void {
    const n = 1 + Math.floor(this.random() * this.burst * 2);
    let body = '';
    for (let i = 0; i < n; i++) {
      const peer = `contact${Math.floor(this.random() * 1000)}@example.com`;
      const k = this.random();
      if (s.server === 'SB') body += msg(`MSG ${peer} Contact`, `line ${t}.${i}: the quick brown fox jumps over the lazy dog`);
      else if (k < 0.5) body += `NLN ${k < 0.25 ? 'AWY' : 'NLN'} ${peer} Contact%20${i} 268435492\r\n`;
      else if (k < 0.7) body += `FLN ${peer}\r\n`;
      else body += msg('MSG Hotmail Hotmail', `Inbox-Unread: ${i}\r\nFolders-Unread: 0\r\n`, 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n\r\n');
    }
    this.exchange(s, 'poll', poll, '', body, 0, n);
  }

  private close(s: LiveSession, send: string): void {
    this.exchange(s, 'send', send, 'OUT\r\n', s.server === 'NS' ? 'OUT\r\n' : '', 1, s.server === 'NS' ? 1 : 0, false, true);
    this.push({ type: 'upstream-closed', sessionId: s.id, byUpstream: true });
    this.push({ type: 'session-closed', sessionId: s.id, reason: 'client-out' });
    this.live.splice(this.live.indexOf(s), 1);
    this.open(s.server);
  }
}
