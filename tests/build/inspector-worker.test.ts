// The desktop app's build: electron-vite makes the inspector's thread its own entry beside the
// main bundle (out/main/inspector-worker.js), main.js points its Worker at that file, and plain
// Node can start it. The build (about a second) goes to a directory of its own under .vite/
// (git-ignored, inside the repository so the chunks find node_modules and package.json's
// "type": "module"), so out/ is left alone.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromWorker, WorkerInit } from '../../electron/headless/worker/protocol.ts';
import { startInspectorThread } from '../../electron/headless/worker/inspector-thread.ts';
import { fakeGateway } from '../../electron/inspector/__test__/fake-gateway.ts';
import { EventScript } from '../../electron/inspector/__test__/synthetic.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = resolve(root, '.vite', `inspector-worker-build-${process.pid}-${Date.now()}`);
const workerFile = join(outDir, 'main', 'inspector-worker.js');
const status = { listening: true, host: '127.0.0.1', port: 1, error: null, remedies: [] };

beforeAll(async () => {
  // An absolute outDir: the renderer's root is renderer/, and a relative one would land there.
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'warn'], {
    cwd: root,
    timeout: 60_000,
  });
}, 90_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function firstMessage(worker: Worker): Promise<FromWorker> {
  return new Promise((res, rej) => {
    worker.once('message', res);
    worker.once('error', rej);
    worker.once('exit', (code) => rej(new Error(`the worker exited (${code}) before its first message`)));
  });
}

describe('the built inspector worker', () => {
  it('is an ES module entry beside main.js, which starts its Worker from it', () => {
    expect(existsSync(workerFile)).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { type?: string; main?: string };
    // .js files are ES modules here, and the main bundle is one too (it uses import.meta.url).
    expect(pkg.type).toBe('module');
    expect(pkg.main).toBe('out/main/main.js');
    const worker = readFileSync(workerFile, 'utf8');
    expect(worker).toMatch(/^import .+ from "\.\/chunks\/[^"]+\.js";$/m);
    expect(worker).not.toMatch(/\brequire\(/);
    const main = readFileSync(join(outDir, 'main', 'main.js'), 'utf8');
    expect(main).toContain('new URL("./inspector-worker.js", import.meta.url)');
  });

  it('starts in a plain Node Worker and answers its init with ready (no capture), then closes', async () => {
    const init: WorkerInit = { gatewayStatus: status, accounts: false, capture: null, niceness: 0 };
    const worker = new Worker(workerFile, { workerData: init });
    try {
      const ready = await firstMessage(worker);
      expect(ready).toMatchObject({ t: 'ready', captureFile: null, captureFirstFile: null });
      const closed = new Promise<FromWorker>((res) => worker.on('message', (m: FromWorker) => m.t === 'closed' && res(m)));
      worker.postMessage({ t: 'close' });
      expect(await closed).toEqual({ t: 'closed' });
    } finally {
      await worker.terminate();
    }
  });

  it('runs the inspector for startInspectorThread given its URL (the way main.ts starts it)', async () => {
    const gw = fakeGateway();
    const thread = await startInspectorThread({ gateway: gw, gatewayStatus: status, capture: null, workerUrl: pathToFileURL(workerFile) });
    try {
      const s = new EventScript().open('1');
      s.exchange('1', 'VER 1 MSNP8 CVR0\r\n', 'VER 1 MSNP8\r\n');
      gw.emit(s.take());
      const page = await thread.call('commands.query', {});
      expect(page.items.map((c) => [c.direction, c.verb])).toEqual([
        ['client', 'VER'],
        ['server', 'VER'],
      ]);
      expect((await thread.call('status.get', {})).gateway).toEqual(status);
    } finally {
      await thread.shutdown();
    }
  });
});
