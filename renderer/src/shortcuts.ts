// Keyboard shortcuts for frequent actions; the help overlay (?) lists this same table.
export interface Shortcut {
  keys: string;
  action: ShortcutAction;
  help: string;
}

export type ShortcutAction = 'focus-filter' | 'help' | 'close' | 'pause' | 'clear' | 'inject' | 'details' | 'breakpoints' | 'findings' | 'follow' | 'settings' | 'file' | 'focus-commands';

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '/', action: 'focus-filter', help: 'Focus the filter' },
  { keys: '?', action: 'help', help: 'Show this help' },
  { keys: 'Escape', action: 'close', help: 'Close dialogs; in Sessions, clear the session scope' },
  { keys: 'Space', action: 'pause', help: 'Pause or resume capture' },
  { keys: 'Ctrl+L', action: 'clear', help: 'Clear the capture' },
  { keys: 'c', action: 'focus-commands', help: 'Focus the Commands grid' },
  { keys: 'i', action: 'inject', help: 'Open the inject composer' },
  { keys: 'd', action: 'details', help: 'Show Details' },
  { keys: 'b', action: 'breakpoints', help: 'Show Breakpoints' },
  { keys: 'n', action: 'findings', help: 'Show Findings' },
  { keys: 'End', action: 'follow', help: 'Follow the newest command' },
  { keys: 's', action: 'settings', help: 'Settings and connection help' },
  { keys: 'o', action: 'file', help: 'Open, save or export a capture' },
];

/** Grid and timeline keys, handled where focus is. */
export const LOCAL_KEYS: readonly { keys: string; help: string }[] = [
  { keys: '↑ ↓ / j k, PgUp PgDn, Home End', help: 'Move through rows (Commands, Sessions)' },
  { keys: 'l', help: 'Jump between a request and its reply (same TrID)' },
  { keys: '+ −, ← →, f', help: 'Timeline: zoom, pan, follow live' },
  { keys: 'Tab', help: 'Filter: accept the highlighted suggestion' },
];

function keyName(e: { key: string; ctrlKey: boolean; metaKey: boolean }): string {
  const key = e.key === ' ' ? 'Space' : e.key.length === 1 ? e.key : e.key;
  return e.ctrlKey || e.metaKey ? `Ctrl+${key.toUpperCase()}` : key;
}

/** The action for a key press, or null; single keys are ignored while typing in a field. */
export function shortcutFor(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, typing: boolean): ShortcutAction | null {
  if (e.altKey) return null;
  const name = keyName(e);
  if (typing && name !== 'Escape' && !name.startsWith('Ctrl+')) return null;
  return SHORTCUTS.find((s) => s.keys === name)?.action ?? null;
}
