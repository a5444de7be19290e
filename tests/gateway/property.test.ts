// Property tests of the relay's byte-exactness over real sockets:
// 1. random client command streams, cut at random points into random requests, reach the
//    upstream byte-identical and in order;
// 2. random upstream output (binary, multi-byte UTF-8), written in random chunks, reaches the
//    client byte-identical across however many polls it takes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { Gateway } from '../../electron/gateway/types.ts';
import { bytesEqual, concatBytes, latin1, sleep } from '../harness/bytes.ts';
import { HttpConnection } from '../harness/http-client.ts';
import { startScriptedUpstream, type ScriptedUpstream } from '../harness/scripted-upstream.ts';
import { OPEN_NS, dataTarget, pollTarget, rawRequest, sessionIdOf } from './setup.ts';

const enc = new TextEncoder();
let upstream: ScriptedUpstream;
let gateway: Gateway;
let port: number;

beforeAll(async () => {
  upstream = await startScriptedUpstream({});
  // Short reply timing: the upstream stays silent in property 1, and property 2 polls.
  gateway = createGateway({
    host: '127.0.0.1',
    port: 0,
    upstream: { kind: 'tcp', host: upstream.host, port: upstream.port },
    quietMs: 2,
    replyCapMs: 5,
  });
  port = (await gateway.listen()).port;
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const word = fc.stringMatching(/^[A-Za-z0-9@.%_-]{1,12}$/);
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => enc.encode(s)),
);
/** Well-formed client commands (no PNG or OUT, which end sessions in the faithful profile). */
const command = fc.oneof(
  fc.tuple(fc.constantFrom('CHG', 'SYN', 'ADD', 'REM', 'XFR', 'REA', 'BLP', 'CAL', 'USR'), fc.nat(9999), fc.array(word, { maxLength: 4 })).map(
    ([verb, trid, args]) => enc.encode(`${[verb, String(trid), ...args].join(' ')}\r\n`),
  ),
  fc.tuple(fc.nat(9999), fc.constantFrom('N', 'A', 'U', 'D'), payload).map(([trid, ack, body]) =>
    concatBytes([enc.encode(`MSG ${trid} ${ack} ${body.length}\r\n`), body]),
  ),
  fc.tuple(fc.nat(9999), fc.uint8Array({ maxLength: 64 })).map(([trid, body]) =>
    concatBytes([enc.encode(`QRY ${trid} msmsgs@msnmsgr.com ${body.length}\r\n`), body]),
  ),
);

/** Cuts `bytes` at the given fractions into consecutive pieces (some may be empty). */
function cut(bytes: Uint8Array, fractions: number[]): Uint8Array[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

describe('relay byte-exactness (fast-check)', () => {
  it('client command streams split into random requests arrive upstream byte-identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        async (commands, fractions) => {
          const stream = concatBytes([enc.encode('VER 1 MSNP8 CVR0\r\n'), ...commands]);
          const index = upstream.connections.length;
          const conn = await HttpConnection.connect(port);
          try {
            const parts = cut(stream, fractions);
            let id = sessionIdOf(await conn.send(rawRequest(OPEN_NS, parts[0])));
            for (const part of parts.slice(1)) {
              const res = await conn.send(rawRequest(part.length > 0 ? dataTarget(id) : pollTarget(id), part));
              expect(res.status).toBe(200);
              id = sessionIdOf(res);
            }
            const up = await upstream.connection(index);
            const got = await up.waitForBytes(stream.length, 2000);
            expect(latin1(got)).toBe(latin1(stream));
          } finally {
            conn.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('random upstream output reaches the client byte-identical across polls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).map((s) => enc.encode(s))), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 8, maxLength: 8 }),
        async (chunks, delays) => {
          const index = upstream.connections.length;
          const conn = await HttpConnection.connect(port);
          try {
            let id = sessionIdOf(await conn.send(rawRequest(OPEN_NS, '')));
            const up = await upstream.connection(index);
            const expected = concatBytes(chunks);
            const writer = (async () => {
              for (let i = 0; i < chunks.length; i++) {
                up.write(chunks[i]);
                await sleep(delays[i]);
              }
            })();
            const received: Uint8Array[] = [];
            let total = 0;
            const deadline = Date.now() + 3000;
            while (total < expected.length && Date.now() < deadline) {
              const res = await conn.send(rawRequest(pollTarget(id), ''));
              expect(res.status).toBe(200);
              id = sessionIdOf(res);
              received.push(res.body);
              total += res.body.length;
              if (total < expected.length) await sleep(3);
            }
            await writer;
            expect(bytesEqual(concatBytes(received), expected)).toBe(true);
          } finally {
            conn.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
