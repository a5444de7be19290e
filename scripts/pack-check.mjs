#!/usr/bin/env node
// npm run pack:check: package the app with electron-builder against a stub Electron distribution
// (no download), then open the produced app.asar and check it holds only the built app (out/**,
// package.json, production node_modules) with no TypeScript sources, source maps or tests, and
// that the Electron fuses in the packaged binary were flipped as build/electron-builder.yml says.
// Target: `dir` by default; `--target tar.gz` also builds the archive (needs 7za:
// ELECTRON_BUILDER_7ZIP_PATH=/usr/bin/7za from Debian's p7zip-full).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPackage, extractFile, listPackage } from '@electron/asar';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { target: { type: 'string', default: 'dir' }, keep: { type: 'boolean', default: false } } });

// The fuse wire as Electron ships it: sentinel, wire version 1, length, one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'];
const SHIPPED_WIRE = '10110001';
const EXPECTED_FUSES = { RunAsNode: '0', EnableEmbeddedAsarIntegrityValidation: '1', OnlyLoadAppFromAsar: '1', EnableNodeOptionsEnvironmentVariable: '0', EnableNodeCliInspectArguments: '0' };
const REQUIRED = ['/package.json', '/out/main/main.js', '/out/preload/preload.cjs', '/out/renderer/index.html'];

const problems = [];
const say = (line) => process.stdout.write(`${line}\n`);

function fail(message) {
  say(`pack:check FAIL: ${message}`);
  process.exit(1);
}

/** Why an entry must not ship, or null. */
export function forbidden(path) {
  if (/\.(ts|mts|cts|tsx)$/.test(path)) return 'TypeScript source';
  if (/\.map$/.test(path)) return 'source map';
  if (/(^|\/)(test|tests|__tests__|__test__|__fixtures__|spec)(\/|$)/.test(path)) return 'test files';
  if (/\.(test|spec)\.[cm]?js$/.test(path)) return 'test file';
  if (/(^|\/)tsconfig[^/]*\.json$/.test(path)) return 'tsconfig';
  if (path === '/node_modules' || path.startsWith('/node_modules/')) return null;
  if (path === '/package.json' || path === '/out' || path.startsWith('/out/')) return null;
  return 'not built output (only out/**, package.json and production node_modules belong in the asar)';
}

async function makeStubDist(dir) {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, FUSES.length]), Buffer.from(SHIPPED_WIRE, 'latin1')]);
  // Non-empty, executable, and carrying a fuse wire so electron-builder can flip the fuses.
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stub Electron for pack:check"\nexit 0\n# '), wire, Buffer.from('\n')]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'stub\n');
  writeFileSync(join(dir, 'version'), '45.4.1');
  const app = join(dir, '.default_app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'default_app', main: 'main.js' }));
  writeFileSync(join(app, 'main.js'), '// stub\n');
  await createPackage(app, join(dir, 'resources', 'default_app.asar'));
  rmSync(app, { recursive: true });
}

function findFile(dir, name) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return p;
    if (entry.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    }
  }
  return null;
}

function readFuses(binary) {
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(SENTINEL, 0, 'latin1');
  if (at < 0) return null;
  const len = bytes[at + SENTINEL.length + 1];
  const wire = bytes.subarray(at + SENTINEL.length + 2, at + SENTINEL.length + 2 + len).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i]]));
}

async function main() {
  for (const f of ['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html']) {
    if (!existsSync(join(root, f))) fail(`${f} is missing: run \`npm run build\` first`);
  }
  if (values.target !== 'dir' && values.target !== 'tar.gz') fail(`--target must be dir or tar.gz, not ${values.target}`);
  if (values.target === 'tar.gz' && !existsSync(process.env.ELECTRON_BUILDER_7ZIP_PATH ?? '/usr/bin/7za')) {
    fail('the tar.gz target needs 7za: install p7zip-full and set ELECTRON_BUILDER_7ZIP_PATH=/usr/bin/7za (or use --target dir)');
  }
  const work = mkdtempSync(join(tmpdir(), 'pack-check-'));
  const dist = join(work, 'electron-dist');
  const output = join(work, 'release');
  try {
    await makeStubDist(dist);
    const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
    const args = ['--linux', values.target, '--x64', '--config', join(root, 'build', 'electron-builder.yml'), `-c.electronDist=${dist}`, `-c.directories.output=${output}`, '--publish', 'never'];
    say(`pack:check: electron-builder ${args.join(' ')}`);
    const run = spawnSync(bin, args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_BUILDER_7ZIP_PATH: process.env.ELECTRON_BUILDER_7ZIP_PATH ?? '/usr/bin/7za', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      timeout: 300_000,
    });
    if (run.status !== 0) {
      say(run.stdout);
      say(run.stderr);
      fail(`electron-builder exited with ${run.status ?? run.signal}`);
    }
    const asar = findFile(output, 'app.asar');
    if (!asar) fail(`no app.asar under ${output}`);
    const entries = listPackage(asar, { isPack: false }).map((p) => p.replace(/\\/g, '/'));
    for (const path of entries) {
      const why = forbidden(path);
      if (why) problems.push(`${path}: ${why}`);
    }
    for (const path of REQUIRED) if (!entries.includes(path)) problems.push(`${path} is missing from the asar`);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8'));
    if (pkg.main !== 'out/main/main.js') problems.push(`package.json main is ${pkg.main}, not out/main/main.js`);
    if (pkg.devDependencies && Object.keys(pkg.devDependencies).length) problems.push('package.json in the asar still lists devDependencies');
    const binary = join(dirname(dirname(asar)), 'msn-gateway-inspector');
    const fuses = existsSync(binary) ? readFuses(binary) : null;
    if (!fuses) problems.push(`no fuse wire found in ${binary}`);
    else for (const [name, want] of Object.entries(EXPECTED_FUSES)) if (fuses[name] !== want) problems.push(`fuse ${name} is ${fuses[name]}, expected ${want}`);
    if (values.target === 'tar.gz' && !readdirSync(output).some((f) => f.endsWith('.tar.gz'))) problems.push('no .tar.gz was produced');
    const appFiles = entries.filter((p) => !p.startsWith('/node_modules/'));
    say(`pack:check: ${entries.length} entries in app.asar (${appFiles.length} outside node_modules); fuses ${fuses ? JSON.stringify(fuses) : 'unknown'}`);
    if (problems.length) {
      for (const p of problems.slice(0, 50)) say(`  - ${p}`);
      if (problems.length > 50) say(`  ... and ${problems.length - 50} more`);
      fail(`${problems.length} problem(s) in the package`);
    }
    say('pack:check PASS: the asar holds only built output (no sources, source maps or tests) and the fuses are set');
  } finally {
    if (values.keep) say(`pack:check: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => fail(err instanceof Error ? err.stack ?? err.message : String(err)));
