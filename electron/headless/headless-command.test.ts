// The `headless` command: its options, its printed lines (from a real child process), SIGTERM,
// and the port-80 fallback rule.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { HEADLESS_USAGE, parseHeadlessArgs, parseUpstream } from './headless-command.ts';
import { startHeadless } from './headless.ts';
import type { Headless } from './headless.ts';
import { defaultDataDir } from './data-dir.ts';

const BIN = fileURLToPath(new URL('../../bin/msn-gateway-inspector.mjs', import.meta.url));
const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'headless-cmd-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

async function occupy(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('headless options', () => {
  it('parses every option', () => {
    expect(parseHeadlessArgs([
      '--gateway-host', '0.0.0.0', '--gateway-port', '8080', '--upstream', 'msn.example:1864', '--profile', 'lenient', '--ui-port', '0',
      '--capture', '/tmp/cap', '--emulator-open', '--ns-port', '0', '--sb-port', '0', '--passport-port', '8081', '--passport-tls-port', '8443',
      '--data-dir', '/tmp/data',
    ])).toEqual({
      gatewayHost: '0.0.0.0', gatewayPort: 8080, upstream: { host: 'msn.example', port: 1864 }, profile: 'lenient', uiPort: 0,
      capture: '/tmp/cap', emulatorOpen: true, nsPort: 0, sbPort: 0, passportPort: 8081, passportTlsPort: 8443, dataDir: '/tmp/data',
    });
    expect(parseHeadlessArgs([])).toEqual({ emulatorOpen: false });
    expect(parseHeadlessArgs(['--no-capture'])).toEqual({ emulatorOpen: false, capture: false });
    expect(parseHeadlessArgs(['-h'])).toEqual({ help: true });
  });

  it('takes a fixed token only from the environment, and only a strong one', () => {
    const token = 'A'.repeat(43);
    expect(parseHeadlessArgs([], { MSN_GATEWAY_INSPECTOR_TOKEN: token })).toEqual({ emulatorOpen: false, token });
    expect(parseHeadlessArgs([], { MSN_GATEWAY_INSPECTOR_TOKEN: 'short' })).toEqual({ error: expect.stringMatching(/43 to 256/) });
    expect(parseHeadlessArgs([], { MSN_GATEWAY_INSPECTOR_TOKEN: `${'A'.repeat(43)}!` })).toHaveProperty('error');
  });

  it('reads --upstream as emulator or HOST[:PORT]', () => {
    expect(parseUpstream('emulator')).toBe('emulator');
    expect(parseUpstream('127.0.0.1')).toEqual({ host: '127.0.0.1', port: 1863 });
    expect(parseUpstream('[::1]:1864')).toEqual({ host: '::1', port: 1864 });
    for (const bad of ['', 'host:0', 'host:70000', 'a b', 'http://x', 'host:']) expect(() => parseUpstream(bad), bad).toThrow(/--upstream/);
  });

  it('refuses bad values with a message naming the option', () => {
    for (const [args, want] of [
      [['--gateway-port', '80x'], /--gateway-port/],
      [['--gateway-port', '65536'], /--gateway-port/],
      [['--ns-port', '-1'], /ns-port/],
      [['--profile', 'strict'], /--profile/],
      [['--capture', 'x', '--no-capture'], /exclude/],
      [['--gateway-host', 'a b'], /--gateway-host/],
      [['--bogus'], /bogus/],
      [['extra'], /extra/],
    ] as const) {
      const r = parseHeadlessArgs([...args]);
      expect('error' in r && r.error, args.join(' ')).toMatch(want);
    }
  });

  it('prints its help through the CLI, and exits 2 on a bad option', async () => {
    const a = io();
    expect(await main(['headless', '--help'], a.io)).toBe(0);
    expect(a.out.join('')).toBe(HEADLESS_USAGE);
    const b = io();
    expect(await main(['headless', '--profile', 'x'], b.io)).toBe(2);
    expect(b.err.join('')).toMatch(/--profile must be faithful or lenient/);
    const c = io();
    await main(['help'], c.io);
    expect(c.out.join('')).toMatch(/headless/);
  });

  it('defaults the data directory to the OS convention', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe('/x/data/msn-gateway-inspector');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/msn-gateway-inspector');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/msn-gateway-inspector');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/msn-gateway-inspector');
  });
});

describe('the headless command', () => {
  it('prints one line per endpoint in the documented form, and closes on SIGTERM', async () => {
    const dir = await tempDir();
    const child: ChildProcess = spawn(process.execPath, [
      BIN, 'headless', '--data-dir', dir, '--gateway-port', '0', '--ns-port', '0', '--sb-port', '0', '--no-capture',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (out.split('\n').length < 7 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const lines = out.trimEnd().split('\n');
    expect(lines, err).toHaveLength(6);
    expect(lines[0]).toMatch(/^gateway: http:\/\/127\.0\.0\.1:\d+\/gateway\/gateway\.dll$/);
    expect(lines[1]).toMatch(/^inspector: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    expect(lines[2]).toMatch(/^ns: 127\.0\.0\.1:\d+$/);
    expect(lines[3]).toMatch(/^sb: 127\.0\.0\.1:\d+$/);
    expect(lines[4]).toMatch(/^passport: http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[5]).toMatch(/^passport-tls: https:\/\/127\.0\.0\.1:\d+$/);
    // The gateway answers there.
    const gateway = lines[0].slice('gateway: '.length);
    const res = await fetch(`${gateway}?Action=open&Server=NS&IP=messenger.hotmail.com`, { method: 'POST', body: 'VER 1 MSNP8 CVR0\r\n' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-msn-messenger')).toMatch(/^SessionID=\d+\.\d+; GW-IP=127\.0\.0\.1$/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('port fallback', () => {
  const start = async (options: Parameters<typeof startHeadless>[0]): Promise<Headless> => {
    const h = await startHeadless({ dataDir: await tempDir(), capture: false, nsPort: 0, sbPort: 0, rendererDir: '/nonexistent', ...options });
    cleanups.push(() => h.close());
    return h;
  };

  it('takes a free port when the default gateway port is busy, after printing the remedies', async () => {
    const busy = await occupy();
    const warnings: string[] = [];
    const h = await start({ defaultGatewayPort: busy, warn: (m) => warnings.push(m) });
    expect(h.addresses.gateway.port).not.toBe(busy);
    expect(h.addresses.gateway.port).toBeGreaterThan(0);
    expect(warnings.join('\n')).toMatch(/already in use[\s\S]*Remedies[\s\S]*free port instead/);
  });

  it('never replaces a port given explicitly: the bind error names cause and remedies', async () => {
    const busy = await occupy();
    const error = await startHeadless({ dataDir: await tempDir(), capture: false, nsPort: 0, sbPort: 0, gatewayPort: busy, warn: () => {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'GatewayBindError', code: 'EADDRINUSE', port: busy, remedies: expect.any(Array) });
  });

  it('runs against a real MSNP server without the emulator', async () => {
    const upstream = await occupy();
    const h = await start({ upstream: { host: '127.0.0.1', port: upstream }, gatewayPort: 0, warn: () => {} });
    expect(h.addresses.ns).toBeNull();
    expect(h.lines()).toHaveLength(2);
    expect(await h.api.call('status.get', {})).toMatchObject({ upstream: `127.0.0.1:${upstream}` });
  });
});
