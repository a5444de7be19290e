#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, else the headless inspector in a
// browser, said in one line. Electron's binary is downloaded on first use, so its absence (or a
// machine without a display) is an ordinary case, not an error.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(candidate) ? { path: candidate } : { why: `no Electron binary in ELECTRON_OVERRIDE_DIST_PATH` };
  }
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { why: 'the Electron binary has not been downloaded' };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { why: 'the Electron binary has not been downloaded' };
}

function noDisplay() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

const electron = electronBinary();
const why = electron.path ? (noDisplay() ? 'there is no display' : null) : electron.why;

if (why === null) {
  const child = spawn(electron.path, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start here (${why}); starting the headless inspector instead.`);
  const child = spawn(process.execPath, [join(root, 'bin/msn-gateway-inspector.mjs'), 'headless', ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl+C reaches the child through the terminal; a SIGTERM sent to this process is passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => {});
  child.on('exit', (code) => process.exit(code ?? 0));
}
