import { describe, expect, it } from 'vitest';
import { createPipe } from './transport.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('in-process pipe', () => {
  it('delivers in order, asynchronously, both ways; client end closes the server side', async () => {
    const { client, server } = createPipe(1024);
    const toServer: string[] = [];
    const toClient: string[] = [];
    let serverClosed = 0;
    server.onData((b) => toServer.push(new TextDecoder().decode(b)));
    server.onClose(() => serverClosed++);
    client.onData((b) => toClient.push(new TextDecoder().decode(b)));
    client.write(bytes('a'));
    client.write(bytes('b'));
    server.send(bytes('x'));
    expect(toServer).toEqual([]);
    await tick();
    expect(toServer).toEqual(['a', 'b']);
    expect(toClient).toEqual(['x']);
    client.end();
    await tick();
    expect(serverClosed).toBe(1);
    expect(server.closed).toBe(true);
  });

  it('holds server output while paused, and a reader over maxQueuedBytes is cut off', async () => {
    const { client, server } = createPipe(10);
    const got: number[] = [];
    let ended = false;
    client.onData((b) => got.push(b.length));
    client.onEnd(() => (ended = true));
    client.pause();
    server.send(new Uint8Array(6));
    await tick();
    expect(got).toEqual([]);
    client.resume();
    await tick();
    expect(got).toEqual([6]);
    client.pause();
    server.send(new Uint8Array(6));
    server.send(new Uint8Array(6));
    await tick();
    expect(ended).toBe(true);
    expect(server.closed).toBe(true);
  });

  it('a server close delivers what is queued first, then ends the client', async () => {
    const { client, server } = createPipe(1024);
    const events: string[] = [];
    client.onData(() => events.push('data'));
    client.onEnd(() => events.push('end'));
    server.send(bytes('OUT OTH\r\n'));
    server.close();
    await tick();
    expect(events).toEqual(['data', 'end']);
  });
});
