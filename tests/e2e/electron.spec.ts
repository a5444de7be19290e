// Desktop smoke test with Playwright's Electron driver: the window opens, the preload API is
// there, and a session sent to the gateway appears through it. It needs a runnable Electron
// binary, found on disk (never by requiring `electron`, which would try to download one); where
// there is none, or no display, it reports itself skipped with the reason.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function electronBinary(): { path: string } | { why: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const p = join(override, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    return existsSync(p) ? { path: p } : { why: `no Electron binary in ELECTRON_OVERRIDE_DIST_PATH (${override})` };
  }
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { why: 'no Electron binary: node_modules/electron/path.txt is missing (the binary was never downloaded)' };
  const p = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(p) ? { path: p } : { why: `no Electron binary at ${p}` };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

type Bridge = Record<string, (request: unknown) => Promise<unknown>>;

test('desktop app: window opens, preload API present, a session appears', async () => {
  const bin = electronBinary();
  test.skip('why' in bin, 'why' in bin ? bin.why : '');
  test.skip(process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY, 'no display (run under xvfb-run -a)');
  test.skip(!existsSync(join(root, 'out', 'main', 'main.js')), 'the app is not built (npm run build)');
  const userData = mkdtempSync(join(tmpdir(), 'electron-smoke-'));
  const port = await freePort();
  mkdirSync(userData, { recursive: true });
  writeFileSync(join(userData, 'settings.json'), JSON.stringify({ settings: { gateway: { host: '127.0.0.1', port, profile: 'faithful', gwIp: null } }, shell: { fallbackPort: 0 } }));
  const args = [root];
  if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox');
  const app = await electron.launch({ executablePath: (bin as { path: string }).path, args, env: { ...process.env, MSN_INSPECTOR_USER_DATA: userData } });
  try {
    const page = await app.firstWindow();
    await expect.poll(() => page.evaluate(() => typeof (window as unknown as { msnInspector?: Bridge }).msnInspector?.statusGet)).toBe('function');
    const keys = await page.evaluate(() => Object.keys((window as unknown as { msnInspector: Bridge }).msnInspector));
    expect(keys).toContain('onBatch');
    expect(keys).not.toContain('invoke');
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    const status = (await page.evaluate(() => (window as unknown as { msnInspector: Bridge }).msnInspector.statusGet({}))) as { gateway: { port: number; listening: boolean } };
    expect(status.gateway).toMatchObject({ listening: true, port });
    const res = await fetch(`http://127.0.0.1:${port}/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-msn-messenger' },
      body: 'VER 1 MSNP8 CVR0\r\n',
    });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => ((await page.evaluate(() => (window as unknown as { msnInspector: Bridge }).msnInspector.sessionsList({}))) as unknown[]).length)
      .toBe(1);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
