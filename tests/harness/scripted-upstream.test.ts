import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessUpstream, startScriptedUpstream, type ScriptedUpstream } from './scripted-upstream.ts';
import { latin1, textOf, waitFor } from './bytes.ts';

let upstream: ScriptedUpstream | null = null;
afterEach(async () => {
  await upstream?.close();
  upstream = null;
});

function dial(port: number): Promise<{ socket: net.Socket; got: () => string; closed: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve({ socket, got: () => data, closed }));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    const closed = new Promise<string>((r) => {
      socket.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
      socket.on('end', () => r('end'));
    });
  });
}

describe('scripted TCP upstream', () => {
  it('answers expected bytes across chunk boundaries and records everything with timestamps', async () => {
    upstream = await startScriptedUpstream({
      script: [{ expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' }, { expect: 'OUT\r\n' }, { close: true }],
    });
    const c = await dial(upstream.port);
    c.socket.write('VER 1 MS');
    await new Promise((r) => setTimeout(r, 10));
    c.socket.write('NP8 CVR0\r\n');
    await waitFor(() => c.got() === 'VER 1 MSNP8\r\n');
    c.socket.write('OUT\r\n');
    expect(await c.closed).toBe('end');
    const conn = await upstream.connection(0);
    expect(conn.receivedText()).toBe('VER 1 MSNP8 CVR0\r\nOUT\r\n');
    expect(conn.received.length).toBeGreaterThanOrEqual(3);
    expect(conn.received[0].time).toBeLessThanOrEqual(conn.received.at(-1)!.time);
    expect(conn.mismatches).toEqual([]);
  });

  it('records a mismatch and stops answering when the client sends other bytes', async () => {
    upstream = await startScriptedUpstream({ script: [{ expect: 'VER 1 MSNP8\r\n', reply: 'no' }] });
    const c = await dial(upstream.port);
    c.socket.write('CVR 1\r\n');
    const conn = await upstream.connection(0);
    await waitFor(() => conn.mismatches.length > 0);
    expect(conn.mismatches[0]).toContain('CVR 1');
    expect(c.got()).toBe('');
    c.socket.destroy();
  });

  it('echoes, resets, and floods with backpressure', async () => {
    upstream = await startScriptedUpstream({ echo: true });
    const c = await dial(upstream.port);
    c.socket.write('hello');
    await waitFor(() => c.got() === 'hello');
    const conn = await upstream.connection(0);
    const n = await conn.flood(256 * 1024);
    expect(n).toBe(256 * 1024);
    await waitFor(() => c.got().length === 5 + 256 * 1024);
    conn.reset();
    expect(await c.closed).toBe('ECONNRESET');
  });
});

describe('in-process upstream', () => {
  it('runs the same script over an InProcessConnection and honours pause/resume', async () => {
    const up = createInProcessUpstream({ script: [{ expect: 'VER 1 MSNP8\r\n', reply: ['VER 1 ', 'MSNP8\r\n'] }] });
    const pipe = up.connect({ server: 'NS', host: 'emulator', port: 1863 });
    const got: string[] = [];
    let ended = false;
    pipe.onData((b) => got.push(textOf(b)));
    pipe.onEnd(() => (ended = true));
    pipe.pause();
    pipe.write(new TextEncoder().encode('VER 1 MSNP8\r\n'));
    const conn = await up.connection(0);
    await conn.scriptDone;
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([]);
    pipe.resume();
    await waitFor(() => got.join('') === 'VER 1 MSNP8\r\n');
    expect(conn.target).toEqual({ server: 'NS', host: 'emulator', port: 1863 });
    conn.end();
    await waitFor(() => ended);
    expect(latin1(conn.receivedBytes())).toBe('VER 1 MSNP8\r\n');
  });
});
