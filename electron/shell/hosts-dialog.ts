// Help > Hosts File: shows the lines and where the names resolve now, then (after the user
// confirms) adds or removes our block with a backup and elevation.
import { changeHostsFile, checkResolution, HOSTS_NAMES, hostsLines, hostsPath, otherEntries } from './hosts-file.ts';
import type { HostsChangeOptions, Resolution } from './hosts-file.ts';
import type { DialogLike } from './dialogs.ts';
import { readFileSync } from 'node:fs';

export interface HostsDialogOptions {
  dialog: DialogLike;
  window: unknown;
  platform: NodeJS.Platform;
  listenHost: string;
  workDir: string;
  /** Tests: a temporary hosts file, a fake lookup, a fake elevation runner. */
  path?: string;
  lookup?: (name: string) => Promise<{ address: string }[]>;
  change?: Partial<Pick<HostsChangeOptions, 'run' | 'canWrite'>>;
  copyText?: (text: string) => void;
}

function describe(resolution: Resolution[]): string {
  return resolution.map((r) => `${r.name}: ${r.error ? `does not resolve (${r.error})` : `${r.addresses.join(', ')}${r.local ? ' (this machine)' : ''}`}`).join('\n');
}

export async function runHostsDialog(o: HostsDialogOptions): Promise<'added' | 'removed' | 'copied' | 'none' | 'failed'> {
  const path = o.path ?? hostsPath(o.platform);
  const lines = hostsLines(o.listenHost);
  const resolution = await checkResolution(HOSTS_NAMES, o.lookup);
  let others: string[] = [];
  try {
    others = otherEntries(readFileSync(path, 'utf8'));
  } catch {
    // Shown as a failure when the user asks to change it.
  }
  const allLocal = resolution.every((r) => r.local);
  const detail = [
    `Lines for ${path}:`,
    ...lines.map((l) => `  ${l}`),
    '',
    'Where the names resolve now:',
    describe(resolution),
    ...(others.length ? ['', 'Other lines in the file name these hosts and may take precedence:', ...others.map((l) => `  ${l}`)] : []),
    '',
    'Adding or removing asks for administrator rights; the current file is backed up first. Some systems cache DNS answers: restart the client after a change.',
  ].join('\n');
  const buttons = ['Add Lines', 'Remove Lines', 'Copy Lines', 'Close'];
  const { response } = await o.dialog.showMessageBox(o.window, {
    type: 'info',
    title: 'Hosts File',
    message: allLocal ? 'The Messenger names already resolve to this machine.' : 'Point the Messenger names at this machine?',
    detail,
    buttons,
    defaultId: allLocal ? 3 : 0,
    cancelId: 3,
    noLink: true,
  });
  if (response === 2) {
    o.copyText?.(lines.join('\n'));
    return 'copied';
  }
  if (response !== 0 && response !== 1) return 'none';
  const action = response === 0 ? 'add' : 'remove';
  const result = await changeHostsFile({ path, action, lines, workDir: o.workDir, platform: o.platform, ...o.change });
  if (!result.ok) {
    await o.dialog.showMessageBox(o.window, { type: 'error', title: 'Hosts File', message: 'The hosts file was not changed.', detail: result.error, buttons: ['OK'] });
    return 'failed';
  }
  const after = await checkResolution(HOSTS_NAMES, o.lookup);
  await o.dialog.showMessageBox(o.window, { type: 'info', title: 'Hosts File', message: result.message, detail: `Where the names resolve now:\n${describe(after)}`, buttons: ['OK'] });
  if (!result.changed) return 'none';
  return action === 'add' ? 'added' : 'removed';
}
