// Settings persisted as JSON in the app's data directory (app.getPath('userData')/settings.json).
// Reading is forgiving: a damaged file is set aside and each field is checked on its own, so one
// bad value costs that value, not the rest. Writing is atomic (temp file + rename).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../shared/api/contract.ts';
import { checkSettingsPatch, DEFAULT_SETTINGS } from '../inspector/settings.ts';

export const SETTINGS_FILE = 'settings.json';
export const MAX_SETTINGS_BYTES = 256 * 1024;
export const DEFAULT_FALLBACK_PORT = 8080;

/** What the desktop keeps beyond the contract's Settings. */
export interface ShellPrefs {
  /** Where the gateway listens when its configured port is refused; 0 = any free port. */
  fallbackPort: number;
}

export interface StoredSettings {
  settings: Settings;
  shell: ShellPrefs;
}

export interface LoadResult extends StoredSettings {
  /** What was wrong with the file (shown once in the log); empty when all was well. */
  problems: string[];
}

const SETTINGS_KEYS = ['gateway', 'upstream', 'retention', 'breakpointTimeoutMs', 'theme'] as const;

function defaults(): StoredSettings {
  return { settings: structuredClone(DEFAULT_SETTINGS), shell: { fallbackPort: DEFAULT_FALLBACK_PORT } };
}

export class SettingsStore {
  readonly file: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.file = join(dir, SETTINGS_FILE);
  }

  load(): LoadResult {
    const out: LoadResult = { ...defaults(), problems: [] };
    let text: string;
    try {
      const size = statSync(this.file).size;
      if (size > MAX_SETTINGS_BYTES) {
        out.problems.push(`${this.file} is ${size} bytes (more than ${MAX_SETTINGS_BYTES}); using defaults`);
        this.setAside();
        return out;
      }
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') out.problems.push(`cannot read ${this.file}: ${(err as Error).message}; using defaults`);
      return out;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      out.problems.push(`${this.file} is not valid JSON (${(err as Error).message}); it was set aside and defaults are used`);
      this.setAside();
      return out;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      out.problems.push(`${this.file} does not hold an object; using defaults`);
      return out;
    }
    const root = parsed as { settings?: unknown; shell?: unknown };
    const saved = (typeof root.settings === 'object' && root.settings !== null ? root.settings : {}) as Record<string, unknown>;
    const patch: Record<string, unknown> = {};
    for (const key of SETTINGS_KEYS) {
      if (saved[key] === undefined) continue;
      const r = checkSettingsPatch({ [key]: saved[key] }, 'settings');
      if (r.ok) patch[key] = (r.value as Record<string, unknown>)[key];
      else out.problems.push(`${r.error}; the default is used`);
    }
    out.settings = { ...out.settings, ...(patch as Partial<Settings>) };
    const shell = (typeof root.shell === 'object' && root.shell !== null ? root.shell : {}) as Record<string, unknown>;
    if (shell.fallbackPort !== undefined) {
      const p = shell.fallbackPort;
      if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 65535) out.shell.fallbackPort = p;
      else out.problems.push(`shell.fallbackPort must be a port number (0-65535); ${DEFAULT_FALLBACK_PORT} is used`);
    }
    return out;
  }

  save(stored: StoredSettings): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, settings: stored.settings, shell: stored.shell }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private setAside(): void {
    try {
      renameSync(this.file, `${this.file}.bad-${Date.now()}`);
    } catch {
      // Not fatal: the next save overwrites it.
    }
  }
}
