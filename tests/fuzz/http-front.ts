// HTTP front fuzzing: raw socket bytes (real client requests, rebuilt with hostile methods,
// targets, headers and bodies, or mutated byte by byte, or random) against a live gateway with an
// in-process echo upstream. No vitest: shared with the long runner (scripts/fuzz.mjs).
import type { Server } from '../faults/probe.ts';
import net from 'node:net';
import fc from 'fast-check';
import { createGateway } from '../../electron/gateway/index.ts';
import { REASON_PHRASES } from '../../electron/gateway/http-head.ts';
import type { Gateway, GatewayOptions } from '../../electron/gateway/types.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { HttpConnection, headerValue } from '../harness/http-client.ts';
import { createInProcessUpstream, type InProcessUpstream } from '../harness/scripted-upstream.ts';
import { serverOn } from '../faults/probe.ts';
import { PropertyViolation } from './codec-props.ts';
import { SID_PLACEHOLDER, requestTemplates, transcriptStreams } from './corpus.ts';
import { applyMutations, mutationsArb, type Mutation } from './mutate.ts';
import { queryArb } from './query-props.ts';

function fail(m: string): never {
  throw new PropertyViolation(m);
}
const enc = new TextEncoder();
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

export const FRONT_OPTIONS: Partial<GatewayOptions> = {
  quietMs: 2,
  replyCapMs: 40,
  maxLifespanS: 1,
  idleTimeoutMs: 600,
  maxBodyBytes: 2048,
  maxSessions: 5000,
  stallTimeoutMs: 0,
};

export interface FrontRig {
  gateway: Gateway;
  upstream: InProcessUpstream;
  server: Server;
  port: number;
  events: GatewayEvent[];
  /** Opens a fresh session and returns its SessionID (for `{SID}` in templates). */
  liveSessionId(): Promise<string>;
  close(): Promise<void>;
}

export async function startFrontRig(profile: 'faithful' | 'lenient', keepEvents = true): Promise<FrontRig> {
  const upstream = createInProcessUpstream({ echo: true });
  const gateway = createGateway({ host: '127.0.0.1', port: 0, upstream: { kind: 'emulator', connect: upstream.connect }, profile, ...FRONT_OPTIONS });
  const events: GatewayEvent[] = [];
  // Long runs keep only what the checks need (notices), so the record itself does not grow.
  gateway.onEvent((e) => {
    if (keepEvents || e.type === 'notice') events.push(e);
  });
  const { port } = await gateway.listen();
  const server = await serverOn(port);
  const keeper = await HttpConnection.connect(port, '127.0.0.1', { record: false });
  return {
    gateway,
    upstream,
    server,
    port,
    events,
    async liveSessionId() {
      for (let attempt = 0; ; attempt++) {
        const r = await keeper.send('POST /gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
        const id = /SessionID=([^;]+)/.exec(headerValue(r, 'X-MSN-Messenger') ?? '')?.[1];
        if (id) return id;
        if (attempt > 50) fail(`no session could be opened: ${r.status}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    async close() {
      keeper.close();
      await gateway.close();
      await upstream.close();
    },
  };
}

// ---- cases ----

interface Parsed {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

function parseTemplate(bytes: Uint8Array): Parsed {
  const text = latin1(bytes);
  const end = text.indexOf('\r\n\r\n');
  const [requestLine, ...lines] = text.slice(0, end).split('\r\n');
  const [method, target, version] = requestLine.split(' ');
  return {
    method,
    target,
    version,
    headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]),
    body: bytes.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1')),
  };
}

const TEMPLATES = requestTemplates().map(parseTemplate);
const STREAMS = transcriptStreams();

const VALID_METHODS = ['POST', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];
const HOSTILE_METHODS = ['CONNECT', 'post', 'P\x00ST', 'PO ST', '', 'M-SEARCH', 'X'.repeat(300)];
const SAFE_HEADERS: Array<[string, string]> = [
  ['X-Requested-Session-Content-Type', 'text/html'],
  ['Connection', 'close'],
  ['Connection', 'keep-alive'],
  ['Expect', '100-continue'],
  ['Origin', 'http://evil.example'],
  ['Cookie', 'MSPAuth=x'],
  ['X-Long', 'y'.repeat(4000)],
  ['Host', 'second.example'],
];
const HOSTILE_HEADERS: Array<[string, string]> = [
  ['Transfer-Encoding', 'chunked'],
  ['Transfer-Encoding', 'gzip, chunked'],
  ['Content-Length', '5'],
  ['Content-Length', '-1'],
  ['Content-Length', '99999999999999999999'],
  ['X-Bad', 'a\x00b'],
  ['X Bad', '1'],
  ['', 'empty-name'],
  [' Leading', 'space'],
  ['X-Fold', 'a\r\n folded'],
  ['Upgrade', 'websocket'],
];

type SidKind = 'live' | 'unknown' | 'garbage';

export interface RequestSpec {
  template: number;
  sid: SidKind;
  method: string | null;
  target: string | null;
  version: string | null;
  extra: Array<[string, string]>;
  hostileHeaders: boolean;
  dropContentLength: boolean;
  body: Uint8Array | null;
  mutations: Mutation[];
}

export interface FrontCase {
  requests: Array<RequestSpec | Uint8Array>;
  cuts: number[];
}

const bodyArb = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.tuple(fc.nat({ max: STREAMS.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 600 })).map(([i, at, n]) => {
    const b = STREAMS[i].bytes;
    const s = at % b.length;
    return b.subarray(s, s + n);
  }),
  fc.constantFrom(...['PNG\r\n', 'OUT\r\n', 'VER 1 MSNP8 CVR0\r\n', 'MSG 4 N 3000\r\n', 'x'.repeat(3000)].map((s) => enc.encode(s))),
);

/** `x` one time in `outOf`, else null: most requests stay close to what a real client sends. */
const sometimes = <T>(x: fc.Arbitrary<T>, outOf = 4): fc.Arbitrary<T | null> => fc.oneof({ weight: outOf - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: x });
const rarely = (outOf: number): fc.Arbitrary<boolean> => fc.integer({ min: 1, max: outOf }).map((n) => n === 1);

const requestSpecArb: fc.Arbitrary<RequestSpec> = fc.record({
  template: fc.nat({ max: TEMPLATES.length - 1 }),
  sid: fc.constantFrom<SidKind>('live', 'live', 'live', 'unknown', 'garbage'),
  method: sometimes(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALID_METHODS) }, fc.constantFrom(...HOSTILE_METHODS))),
  target: sometimes(
    fc.oneof(
      queryArb.map((q) => '/gateway/gateway.dll' + (q.startsWith('?') ? q : '?' + q)),
      fc.constantFrom('/gateway/gateway.dll?SessionID={SID}&Action=poll&Lifespan=1', '/gateway/gateway.dll?Action=close&SessionID={SID}', '/gateway/gateway.dll?SessionID={SID}&', '/gateway/gateway.dll?Action=poll&Lifespan=0&SessionID={SID}', '/x', '*', 'http://[::1/gateway/gateway.dll'),
    ),
    3,
  ),
  version: sometimes(fc.constantFrom('HTTP/1.0', 'HTTP/1.1', 'HTTP/2.0', 'HTTP/9.9', 'HTTX/1.1', 'HTTP/1.1 extra', ''), 6),
  extra: fc.array(fc.constantFrom(...SAFE_HEADERS), { maxLength: 2 }),
  hostileHeaders: rarely(5),
  dropContentLength: rarely(8),
  body: sometimes(bodyArb, 2),
  mutations: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Mutation[]) }, mutationsArb(3)),
}).chain((spec) =>
  spec.hostileHeaders ? fc.array(fc.constantFrom(...HOSTILE_HEADERS), { minLength: 1, maxLength: 2 }).map((h) => ({ ...spec, extra: [...spec.extra, ...h] })) : fc.constant(spec),
);

/** Well-formed HTTP carrying hostile gateway content (queries, bodies, headers the front accepts). */
const cleanSpecArb: fc.Arbitrary<RequestSpec> = requestSpecArb.map((spec) => ({
  ...spec,
  method: spec.method !== null && VALID_METHODS.includes(spec.method) ? spec.method : null,
  target: spec.target !== null && !/[^\x21-\x7e]/.test(spec.target) ? spec.target : null,
  version: null,
  hostileHeaders: false,
  extra: spec.extra.filter((h) => SAFE_HEADERS.includes(h)),
  dropContentLength: false,
  mutations: [],
}));

export const frontCaseArb: fc.Arbitrary<FrontCase> = fc.record({
  requests: fc.oneof(
    { weight: 3, arbitrary: fc.array(cleanSpecArb, { minLength: 1, maxLength: 3 }) },
    { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: requestSpecArb }, fc.uint8Array({ minLength: 1, maxLength: 200 })), { minLength: 1, maxLength: 3 }) },
  ),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
});

/** Whether the front must accept the request as one complete request (so it must be answered). */
function wellFramed(spec: RequestSpec, method: string, target: string, version: string): boolean {
  if (spec.mutations.length > 0 || spec.hostileHeaders || spec.dropContentLength) return false;
  if (!VALID_METHODS.includes(method)) return false;
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return false;
  if (/[^\x21-\x7e]/.test(target) || target === '') return false;
  return true;
}

function build(spec: RequestSpec, sid: string): { bytes: Uint8Array; framed: boolean } {
  const t = TEMPLATES[spec.template];
  const method = spec.method ?? t.method;
  const version = spec.version ?? t.version;
  const sidValue = spec.sid === 'live' ? sid : spec.sid === 'unknown' ? '123456789.12345' : '../%0d%0a';
  const target = (spec.target ?? t.target).split(SID_PLACEHOLDER).join(sidValue);
  const body = spec.body ?? t.body;
  const headers = t.headers.filter(([n]) => n.toLowerCase() !== 'content-length');
  const lines = [`${method} ${target} ${version}`];
  for (const [n, v] of [...headers, ...spec.extra]) lines.push(`${n}: ${v}`);
  if (!spec.dropContentLength) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  let bytes: Uint8Array = Buffer.concat([head, body]);
  bytes = applyMutations(bytes, spec.mutations);
  return { bytes, framed: wellFramed(spec, method, target, version) };
}

// ---- running a case ----

// The gateway's own statuses (those it names a reason for), less 500: that one means a bug.
const ALLOWED = new Set([200, ...Object.keys(REASON_PHRASES).map(Number).filter((s) => s !== 500)]);

interface Response {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** Strict parse of everything a socket received; throws on anything that is not clean HTTP/1.1. */
export function parseResponses(data: Buffer): Response[] {
  const out: Response[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) fail(`truncated response head: ${JSON.stringify(data.subarray(at, at + 200).toString('latin1'))}`);
    const [statusLine, ...lines] = data.subarray(at, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3}) ([A-Za-z ]+)$/.exec(statusLine);
    if (!m) fail(`bad status line ${JSON.stringify(statusLine)}`);
    const headers = lines.map((l) => {
      const c = l.indexOf(':');
      if (c <= 0 || /[\x00-\x1f\x7f]/.test(l)) fail(`bad header line ${JSON.stringify(l)}`);
      return [l.slice(0, c), l.slice(c + 1).trim()] as [string, string];
    });
    const status = Number(m[1]);
    at = end + 4;
    if (status < 200) continue; // 100 Continue
    const lengths = headers.filter(([n]) => n.toLowerCase() === 'content-length');
    if (lengths.length !== 1 || !/^\d+$/.test(lengths[0][1])) fail(`status ${status} without exactly one Content-Length: ${JSON.stringify(headers)}`);
    if (headers.some(([n]) => n.toLowerCase() === 'transfer-encoding')) fail('Transfer-Encoding in a response');
    const n = Number(lengths[0][1]);
    if (at + n > data.length) fail(`body shorter than Content-Length ${n}`);
    out.push({ status, headers, body: data.subarray(at, at + n) });
    at += n;
  }
  return out;
}

function checkResponse(r: Response): void {
  if (!ALLOWED.has(r.status)) fail(`status ${r.status} (${r.status === 500 ? 'internal error: a gateway bug' : 'not a gateway status'})`);
  if (r.headers.some(([n]) => /^access-control-/i.test(n))) fail('CORS header in a response');
  const x = r.headers.find(([n]) => n === 'X-MSN-Messenger')?.[1];
  if (r.status === 200) {
    if (!x || !/^SessionID=\d{9}\.\d{5}; GW-IP=127\.0\.0\.1(; Session=close)?$/.test(x)) fail(`200 with X-MSN-Messenger ${JSON.stringify(x)}`);
    if (r.headers.map(([n]) => n).join(',') !== 'X-MSN-Messenger,Content-Type,Content-Length,Connection') fail(`200 headers ${JSON.stringify(r.headers)}`);
  } else {
    if (x !== undefined) fail(`${r.status} with X-MSN-Messenger`);
    if (r.body.length !== 0) fail(`${r.status} with a body`);
  }
}

export interface CaseOutcome {
  responses: number;
  statuses: number[];
  expected: number;
}

/** Sends one case on its own socket and checks what comes back. */
export async function runFrontCase(rig: FrontRig, c: FrontCase): Promise<CaseOutcome> {
  const sid = c.requests.some((r) => !(r instanceof Uint8Array) && r.sid === 'live') ? await rig.liveSessionId() : '000000000.00000';
  const built = c.requests.map((r) => (r instanceof Uint8Array ? { bytes: r, framed: false } : build(r, sid)));
  // Requests after the first one the front cannot frame are not owed an answer.
  let expected = 0;
  for (const b of built) {
    if (!b.framed) break;
    expected++;
  }
  const all = Buffer.concat(built.map((b) => b.bytes));
  const socket = net.connect({ port: rig.port, host: '127.0.0.1' });
  const chunks: Buffer[] = [];
  let lastData = Date.now();
  let closed = false;
  socket.on('data', (d: Buffer) => {
    chunks.push(d);
    lastData = Date.now();
  });
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let at = 0;
  const cuts = [...new Set(c.cuts.map((x) => x % (all.length + 1)))].sort((a, b) => a - b);
  for (const p of [...cuts, all.length]) {
    if (p > at) socket.write(all.subarray(at, p));
    at = p;
  }
  lastData = Date.now();
  const started = Date.now();
  // Owed answers may take a long poll (1 s) plus a reply cap; unowed ones get a short grace.
  for (;;) {
    await new Promise((r) => setTimeout(r, 5));
    if (closed) break;
    const got = parseCount(Buffer.concat(chunks));
    if (expected > 0 && got >= expected && Date.now() - lastData > 30) break;
    if (expected === 0 && Date.now() - lastData > 60) break;
    if (Date.now() - started > 2500) break;
  }
  socket.destroy();
  const data = Buffer.concat(chunks);
  const responses = parseResponses(data);
  for (const r of responses) checkResponse(r);
  // Every owed request is answered, unless an earlier answer closed the connection.
  const closeAt = responses.findIndex((r) => /close/i.test(r.headers.find(([n]) => n === 'Connection')?.[1] ?? ''));
  const owed = closeAt >= 0 ? Math.min(expected, closeAt + 1) : expected;
  if (responses.length < owed) {
    fail(`${owed} complete request(s) but ${responses.length} response(s); sent ${JSON.stringify(all.toString('latin1').slice(0, 600))}; got ${JSON.stringify(data.toString('latin1').slice(0, 400))}`);
  }
  return { responses: responses.length, statuses: responses.map((r) => r.status), expected };
}

/** Responses fully received so far (lenient count for the wait loop; the strict parse comes after). */
function parseCount(data: Buffer): number {
  try {
    return parseResponses(data).length;
  } catch {
    return 0;
  }
}

export function internalErrors(events: GatewayEvent[]): string[] {
  return events.filter((e) => e.type === 'notice' && e.code === 'internal-error').map((e) => (e.type === 'notice' ? e.message : ''));
}
