// The event stream is the inspector's only source of truth, so it must match what crossed the
// wire: request and response heads byte for byte, bodies, SessionIDs issued, bytes each way
// tied to their exchanges, timings in order, injections marked.
import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, latin1, sleep } from '../harness/bytes.ts';
import { HttpConnection, type RawResponse } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, eventsOf, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig } from './setup.ts';

describe('gateway event stream', () => {
  it('matches the bytes that crossed the wire, exchange by exchange', async () => {
    const rig = await startRig({
      script: [
        { expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' },
        { expect: 'CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com\r\n', reply: 'CVR 2 6.0.0602 6.0.0602 6.0.0602 https://x https://x\r\n' },
        { send: 'NLN NLN bob@example.com B\u00f6b\u{1F600} 0\r\n', delayMs: 20 },
      ],
    });
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    const sent: Uint8Array[] = [];
    const got: RawResponse[] = [];
    const exchange = async (bytes: Uint8Array) => {
      sent.push(bytes);
      const res = await c.send(bytes);
      got.push(res);
      return res;
    };
    let id = sessionIdOf(await exchange(rawRequest(OPEN_NS, 'VER 1 MSNP8 CVR0\r\n')));
    id = sessionIdOf(await exchange(rawRequest(dataTarget(id), 'CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com\r\n')));
    await sleep(60);
    id = sessionIdOf(await exchange(rawRequest(pollTarget(id), '')));
    const major = id.split('.')[0];

    // Injection both ways.
    expect(rig.gateway.injectToClient(major, new TextEncoder().encode('MSG Hotmail Hotmail 2\r\nhi'))).toBe(true);
    expect(rig.gateway.injectToServer(major, new TextEncoder().encode('PNG\r\n'))).toBe(true);
    expect(rig.gateway.injectToClient('000000000', new Uint8Array(1))).toBe(false);
    id = sessionIdOf(await exchange(rawRequest(pollTarget(id), '')));
    const upstream = await rig.upstream.connection(0);
    await upstream.waitForText('PNG\r\n');
    await rig.gateway.close();

    const ev = rig.events;
    for (let i = 1; i < ev.length; i++) {
      expect(ev[i].seq).toBeGreaterThan(ev[i - 1].seq);
      expect(ev[i].time).toBeGreaterThanOrEqual(ev[i - 1].time);
    }
    const opened = eventsOf(ev, 'session-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ sessionId: major, server: 'NS', requestedIp: 'messenger.hotmail.com', clientAddress: '127.0.0.1', clientPort: c.socket.localPort });
    expect(ev.findIndex((e) => e.type === 'session-opened')).toBeLessThan(ev.findIndex((e) => e.type === 'http-response'));
    expect(eventsOf(ev, 'upstream-connected')[0]).toMatchObject({ sessionId: major, host: '127.0.0.1', port: rig.upstream.port });

    const requests = eventsOf(ev, 'http-request');
    const responses = eventsOf(ev, 'http-response');
    expect(requests.map((r) => r.kind)).toEqual(['open', 'send', 'poll', 'poll']);
    expect(requests).toHaveLength(sent.length);
    expect(responses).toHaveLength(got.length);
    for (let i = 0; i < sent.length; i++) {
      const req = requests[i];
      expect(latin1(concatBytes([req.head, req.body]))).toBe(latin1(sent[i]));
      expect(req.sessionId).toBe(major);
      expect(req.clientPort).toBe(c.socket.localPort);
      const res = responses.find((r) => r.exchangeId === req.exchangeId)!;
      expect(res.status).toBe(200);
      expect(latin1(res.head)).toBe(latin1(got[i].head));
      expect(bytesEqual(res.body, got[i].body)).toBe(true);
      const t = res.timings;
      expect(t.answered).toBeGreaterThanOrEqual(t.received);
      if (req.kind === 'send' || req.kind === 'open') {
        expect(t.forwarded).not.toBeNull();
        expect(t.forwarded!).toBeGreaterThanOrEqual(t.received);
        expect(t.firstUpstreamByte).not.toBeNull();
        expect(t.firstUpstreamByte!).toBeGreaterThanOrEqual(t.forwarded!);
      }
    }

    // Every SessionID a response carried was announced.
    const issued = new Set(eventsOf(ev, 'session-id-issued').map((e) => `${e.sessionId}|${e.gatewaySessionId}`));
    for (const res of got) expect(issued.has(`${major}|${sessionIdOf(res)}`)).toBe(true);

    // Client bytes: what upstream received, in order, each tied to the request that carried it.
    const bytes = eventsOf(ev, 'bytes');
    const client = bytes.filter((b) => b.direction === 'client');
    expect(latin1(concatBytes(client.map((b) => b.bytes)))).toBe(latin1(upstream.receivedBytes()));
    expect(client.at(-1)).toMatchObject({ origin: 'injected', exchangeId: null });
    expect(client.filter((b) => !b.origin).map((b) => b.exchangeId)).toEqual([requests[0].exchangeId, requests[1].exchangeId]);
    // Server bytes: per response, exactly that response's body.
    const server = bytes.filter((b) => b.direction === 'server');
    for (const res of responses) {
      const carried = server.filter((b) => b.exchangeId === res.exchangeId && !b.origin);
      const injected = server.filter((b) => b.origin === 'injected');
      const body = latin1(res.body);
      const fromUpstream = latin1(concatBytes(carried.map((b) => b.bytes)));
      expect(body === fromUpstream || body === fromUpstream + latin1(concatBytes(injected.map((b) => b.bytes)))).toBe(true);
    }
    expect(latin1(got[3].body)).toContain('MSG Hotmail Hotmail 2\r\nhi');
    expect(server.some((b) => b.origin === 'injected' && latin1(b.bytes) === 'MSG Hotmail Hotmail 2\r\nhi')).toBe(true);
    // Upstream bytes not injected = what the scripted upstream sent.
    expect(latin1(concatBytes(server.filter((b) => !b.origin).map((b) => b.bytes)))).toBe(latin1(upstream.sentBytes()));

    const closed = eventsOf(ev, 'session-closed');
    expect(closed).toEqual([expect.objectContaining({ sessionId: major, reason: 'gateway-shutdown' })]);
    // The gateway closed the upstream itself (the event may trail close()'s promise by a tick).
    const upClosed = await rig.waitEvent('upstream-closed', () => true, 1000);
    expect(upClosed).toMatchObject({ sessionId: major, byUpstream: false });
  });
});
