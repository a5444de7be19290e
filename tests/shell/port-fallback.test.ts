// Port 80 handling with real listeners: a busy configured port falls back to the user's port,
// then to any free port; the status says why in plain words and lists remedies for the OS.
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { Gateway } from '../../electron/gateway/index.ts';
import { toBindError } from '../../electron/gateway/bind-error.ts';
import { causeOf, gatewayStatusOf, isBindError, listenWithFallback, remediesFor } from '../../electron/shell/port-fallback.ts';
import type { Listen, PortEnv } from '../../electron/shell/port-fallback.ts';

const env: PortEnv = { platform: 'linux', execPath: '/opt/MSN Gateway Inspector/msn-gateway-inspector' };
const open: (Server | Gateway)[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) {
    if ('listen' in s && typeof (s as Gateway).sessionCount === 'function') await (s as Gateway).close();
    else await new Promise<void>((resolve) => (s as Server).close(() => resolve()));
  }
});

async function occupy(): Promise<number> {
  const server = createServer();
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const gatewayListen: Listen = async (port) => {
  const gw = createGateway({ host: '127.0.0.1', port, upstream: { kind: 'tcp', host: '127.0.0.1', port: 9 } });
  open.push(gw);
  return gw.listen();
};

describe('listenWithFallback (real gateway)', () => {
  it('listens on the configured port when it is free', async () => {
    const port = await freePort();
    const outcome = await listenWithFallback(gatewayListen, { host: '127.0.0.1', port, fallbackPort: 0 }, env);
    expect(outcome).toEqual({ listening: { host: '127.0.0.1', port }, refused: null, message: null, remedies: [] });
    expect(gatewayStatusOf({ host: '127.0.0.1', port, fallbackPort: 0 }, outcome)).toEqual({ listening: true, host: '127.0.0.1', port, error: null, remedies: [] });
  });

  it('falls back to the chosen port when the configured one is in use, and says so plainly', async () => {
    const busy = await occupy();
    const fallback = await freePort();
    const plan = { host: '127.0.0.1', port: busy, fallbackPort: fallback };
    const outcome = await listenWithFallback(gatewayListen, plan, env);
    expect(outcome.listening).toEqual({ host: '127.0.0.1', port: fallback });
    expect(outcome.refused).toMatchObject({ port: busy, code: 'EADDRINUSE' });
    expect(outcome.message).toBe(
      `Port ${busy} on 127.0.0.1 was refused (another program is already listening on port ${busy}). The gateway listens on 127.0.0.1:${fallback} instead (the fallback port): clients reach it there in HTTP-proxy mode, or apply a remedy and restart the gateway.`,
    );
    expect(outcome.remedies[0]).toContain(`lsof -nP -iTCP:${busy} -sTCP:LISTEN`);
    expect(outcome.remedies.at(-1)).toContain(`127.0.0.1:${fallback} as the Messenger client's HTTP proxy`);
    const status = gatewayStatusOf(plan, outcome);
    expect(status).toMatchObject({ listening: true, port: fallback, error: outcome.message });
  });

  it('takes any free port when the fallback is busy too', async () => {
    const busy = await occupy();
    const alsoBusy = await occupy();
    const outcome = await listenWithFallback(gatewayListen, { host: '127.0.0.1', port: busy, fallbackPort: alsoBusy }, env);
    expect(outcome.listening?.port).toBeGreaterThan(0);
    expect([busy, alsoBusy]).not.toContain(outcome.listening?.port);
    expect(outcome.message).toContain(`a free port (the fallback ${alsoBusy} was refused too)`);
  });
});

describe('listenWithFallback (refusals the test machine cannot produce)', () => {
  const refuse = (code: string) => (host: string, port: number) => toBindError(Object.assign(new Error(code), { code }), host, port);

  it('EACCES on port 80: permission explained, Linux remedies name setcap on the app binary', async () => {
    const tried: number[] = [];
    const listen: Listen = async (port) => {
      tried.push(port);
      if (port === 80) throw refuse('EACCES')('127.0.0.1', 80);
      return { host: '127.0.0.1', port };
    };
    const outcome = await listenWithFallback(listen, { host: '127.0.0.1', port: 80, fallbackPort: 8080 }, env);
    expect(tried).toEqual([80, 8080]);
    expect(outcome.listening).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(outcome.message).toMatch(/^Port 80 on 127\.0\.0\.1 was refused \(permission denied: ports below 1024 need extra rights on this system\)/);
    expect(outcome.remedies[0]).toBe(`Grant the capability once: sudo setcap cap_net_bind_service=+ep "${env.execPath}"`);
  });

  it('reports when nothing could be bound, without throwing', async () => {
    const listen: Listen = async (port) => {
      throw refuse('EADDRINUSE')('127.0.0.1', port);
    };
    const outcome = await listenWithFallback(listen, { host: '127.0.0.1', port: 80, fallbackPort: 8080 }, env);
    expect(outcome.listening).toBeNull();
    expect(outcome.message).toMatch(/^The gateway is not listening: port 80 on 127\.0\.0\.1 was refused .* and so were 8080: .*; 0: /);
    expect(gatewayStatusOf({ host: '127.0.0.1', port: 80, fallbackPort: 8080 }, outcome).listening).toBe(false);
  });

  it('lets other errors through', async () => {
    const listen: Listen = async () => {
      throw new Error('disk on fire');
    };
    await expect(listenWithFallback(listen, { host: '127.0.0.1', port: 80, fallbackPort: 8080 }, env)).rejects.toThrow('disk on fire');
  });
});

describe('remediesFor', () => {
  it('names the OS-specific ways to get the port, and always HTTP-proxy mode', () => {
    const win = remediesFor('EACCES', 80, { platform: 'win32', execPath: 'C:\\App\\app.exe' }, 8080);
    expect(win.join('\n')).toMatch(/Run the app as Administrator/);
    expect(win.join('\n')).toMatch(/netsh interface ipv4 show excludedportrange/);
    const winBusy = remediesFor('EADDRINUSE', 80, { platform: 'win32', execPath: 'x' }, 8080);
    expect(winBusy.join('\n')).toMatch(/netstat -ano \| findstr :80/);
    expect(winBusy.join('\n')).toMatch(/HTTP\.sys/);
    const mac = remediesFor('EACCES', 80, { platform: 'darwin', execPath: '/Applications/X.app/Contents/MacOS/X' }, 8080);
    expect(mac[0]).toBe('Run the app with administrator rights: sudo "/Applications/X.app/Contents/MacOS/X"');
    expect(remediesFor('EADDRNOTAVAIL', 80, env, 8080)[0]).toMatch(/127\.0\.0\.1/);
    for (const list of [win, winBusy, mac]) expect(list.at(-1)).toMatch(/HTTP-proxy mode/);
    expect(remediesFor('EACCES', 80, env, 0).at(-1)).toContain('the port shown in the status bar');
  });

  it('classifies bind errors', () => {
    expect(isBindError(Object.assign(new Error('x'), { code: 'EADDRINUSE' }))).toBe(true);
    expect(isBindError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isBindError('EACCES')).toBe(false);
    expect(causeOf('EACCES', 8080, 'h')).toBe('permission denied by the operating system');
    expect(causeOf('EWHAT', 1, 'h')).toBe('the operating system refused it (EWHAT)');
  });
});
