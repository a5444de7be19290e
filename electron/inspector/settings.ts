// Settings: defaults, runtime checks and what a change means (retention applies at once; the
// gateway address, profile and upstream need the gateway restarted by its owner).
import type { Settings } from '../../shared/api/contract.ts';
import { MODEL_DEFAULTS } from './model/model.ts';
import { int, nullable, obj, objWith, oneOf, str } from './validate.ts';
import type { Check } from './validate.ts';

export const DEFAULT_SETTINGS: Settings = {
  gateway: { host: '127.0.0.1', port: 80, profile: 'faithful', gwIp: null },
  upstream: { kind: 'emulator' },
  retention: { memoryCommands: MODEL_DEFAULTS.memoryCommands, diskMegabytes: 1024 },
  breakpointTimeoutMs: 30_000,
  theme: 'system',
};

export const MAX_MEMORY_COMMANDS = 5_000_000;

const host = str({ min: 1, max: 255, pattern: /^[A-Za-z0-9.:\-[\]%]+$/, what: 'a host name or address' });
const gateway = obj({ host, port: int(0, 65535), profile: oneOf('faithful', 'lenient'), gwIp: nullable(str({ min: 1, max: 39, pattern: /^[A-Za-z0-9.:-]+$/, what: 'an address' })) });
const upstreamTcp = obj({ kind: oneOf('tcp'), host, port: int(1, 65535) });
const upstreamEmulator = obj({ kind: oneOf('emulator') });
const upstream: Check<Settings['upstream']> = (v, path) => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  if (kind === 'tcp') return upstreamTcp(v, path);
  if (kind === 'emulator') return upstreamEmulator(v, path);
  return { ok: false, error: `${path}.kind must be "emulator" or "tcp"` };
};

export const checkSettingsPatch = objWith(
  {
    gateway,
    upstream,
    retention: obj({ memoryCommands: int(1000, MAX_MEMORY_COMMANDS), diskMegabytes: int(0, 1_000_000) }),
    breakpointTimeoutMs: int(1000, 10 * 60_000),
    theme: oneOf('system', 'light', 'dark'),
  },
  ['gateway', 'upstream', 'retention', 'breakpointTimeoutMs', 'theme'],
);

export function mergeSettings(current: Settings, patch: Partial<Settings>): { settings: Settings; restartNeeded: boolean } {
  const settings: Settings = {
    gateway: { ...(patch.gateway ?? current.gateway) },
    upstream: { ...(patch.upstream ?? current.upstream) },
    retention: { ...(patch.retention ?? current.retention) },
    breakpointTimeoutMs: patch.breakpointTimeoutMs ?? current.breakpointTimeoutMs,
    theme: patch.theme ?? current.theme,
  };
  const restartNeeded =
    JSON.stringify(settings.gateway) !== JSON.stringify(current.gateway) || JSON.stringify(settings.upstream) !== JSON.stringify(current.upstream);
  return { settings, restartNeeded };
}
