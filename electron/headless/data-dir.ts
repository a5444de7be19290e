// Where the headless inspector keeps accounts, certificates and capture logs by default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'msn-gateway-inspector';

/** The OS's per-user application data folder plus our name (XDG on Linux and other Unixes). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const xdg = env.XDG_DATA_HOME;
  // XDG says a relative value is invalid and must be ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), APP_DIR_NAME);
}
