// Settings persist in the data directory; a damaged file costs only what is damaged.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/inspector/settings.ts';
import { DEFAULT_FALLBACK_PORT, MAX_SETTINGS_BYTES, SETTINGS_FILE, SettingsStore } from '../../electron/shell/settings-store.ts';
import type { Settings } from '../../shared/api/contract.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const custom: Settings = {
  gateway: { host: '0.0.0.0', port: 8081, profile: 'lenient', gwIp: '10.0.0.2' },
  upstream: { kind: 'tcp', host: 'msn.example.net', port: 1863 },
  retention: { memoryCommands: 50_000, diskMegabytes: 64 },
  breakpointTimeoutMs: 5000,
  theme: 'dark',
};

describe('SettingsStore', () => {
  it('starts from the defaults (port 80, emulator, fallback 8080) when there is no file', () => {
    const loaded = new SettingsStore(join(dir, 'new')).load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.settings.gateway.port).toBe(80);
    expect(loaded.shell.fallbackPort).toBe(DEFAULT_FALLBACK_PORT);
    expect(loaded.problems).toEqual([]);
  });

  it('saves atomically to settings.json (owner-only) and loads the same values back', () => {
    const store = new SettingsStore(join(dir, 'nested', 'userData'));
    store.save({ settings: custom, shell: { fallbackPort: 0 } });
    expect(store.file).toBe(join(dir, 'nested', 'userData', SETTINGS_FILE));
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toMatchObject({ version: 1, settings: custom, shell: { fallbackPort: 0 } });
    if (process.platform !== 'win32') expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested', 'userData'))).toEqual([SETTINGS_FILE]);
    const again = new SettingsStore(join(dir, 'nested', 'userData')).load();
    expect(again).toEqual({ settings: custom, shell: { fallbackPort: 0 }, problems: [] });
  });

  it('keeps the good fields of a file with bad ones, and names each problem', () => {
    const store = new SettingsStore(dir);
    writeFileSync(
      store.file,
      JSON.stringify({ settings: { ...custom, gateway: { ...custom.gateway, port: 70_000 }, theme: 'neon', extra: 1 }, shell: { fallbackPort: 'high' } }),
    );
    const loaded = store.load();
    expect(loaded.settings.gateway).toEqual(DEFAULT_SETTINGS.gateway);
    expect(loaded.settings.theme).toBe('system');
    expect(loaded.settings.upstream).toEqual(custom.upstream);
    expect(loaded.settings.retention).toEqual(custom.retention);
    expect(loaded.shell.fallbackPort).toBe(8080);
    expect(loaded.problems).toHaveLength(3);
    expect(loaded.problems.join('\n')).toMatch(/settings\.gateway\.port/);
    expect(loaded.problems.join('\n')).toMatch(/settings\.theme/);
  });

  it('sets a file that is not JSON aside and uses the defaults', () => {
    const store = new SettingsStore(dir);
    writeFileSync(store.file, '{"settings": {');
    const loaded = store.load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problems[0]).toMatch(/not valid JSON/);
    expect(existsSync(store.file)).toBe(false);
    expect(readdirSync(dir).some((f) => f.startsWith(`${SETTINGS_FILE}.bad-`))).toBe(true);
  });

  it('refuses an oversized file and a non-object', () => {
    const store = new SettingsStore(dir);
    writeFileSync(store.file, ' '.repeat(MAX_SETTINGS_BYTES + 1));
    expect(store.load().problems[0]).toMatch(/more than/);
    writeFileSync(store.file, '[1,2]');
    const loaded = store.load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problems[0]).toMatch(/does not hold an object/);
  });
});
