// The application menu as plain data (Electron's MenuItemConstructorOptions subset), built from
// named actions so every item maps to one operation or shell action.

export type MenuAction =
  | 'capture.open'
  | 'capture.save'
  | 'export.har'
  | 'export.pcapng'
  | 'export.transcript'
  | 'export.ndjson'
  | 'capture.import'
  | 'capture.pause'
  | 'capture.resume'
  | 'capture.clear'
  | 'gateway.restart'
  | 'gateway.fallback'
  | 'view.reload'
  | 'view.theme.system'
  | 'view.theme.light'
  | 'view.theme.dark'
  | 'help.guide'
  | 'help.hosts'
  | 'help.about';

export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu' | 'radio' | 'checkbox';
  accelerator?: string;
  checked?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
  /** Ours, for tests: which action the item runs. */
  id?: string;
}

export interface MenuState {
  capturing: boolean;
  theme: 'system' | 'light' | 'dark';
}

export function buildMenuTemplate(run: (action: MenuAction) => void, state: MenuState, platform: NodeJS.Platform, devTools = false): MenuItem[] {
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItem => ({ id: action, label, accelerator, click: () => run(action) });
  const sep: MenuItem = { type: 'separator' };
  const themeItem = (label: string, theme: MenuState['theme']): MenuItem => ({ ...item(label, `view.theme.${theme}`), type: 'radio', checked: state.theme === theme });
  const template: MenuItem[] = [];
  if (platform === 'darwin') template.push({ label: 'MSN Gateway Inspector', submenu: [{ role: 'about' }, sep, { role: 'hide' }, { role: 'hideOthers' }, sep, { role: 'quit' }] });
  template.push(
    {
      label: '&File',
      submenu: [
        item('Open Capture…', 'capture.open', 'CmdOrCtrl+O'),
        item('Save Capture As…', 'capture.save', 'CmdOrCtrl+S'),
        {
          label: 'Export',
          submenu: [
            item('HAR…', 'export.har'),
            item('pcapng (Wireshark)…', 'export.pcapng'),
            item('Transcript…', 'export.transcript'),
            item('NDJSON…', 'export.ndjson'),
          ],
        },
        item('Import HAR…', 'capture.import'),
        sep,
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&Capture',
      submenu: [
        state.capturing ? item('Pause Capture', 'capture.pause', 'CmdOrCtrl+P') : item('Resume Capture', 'capture.resume', 'CmdOrCtrl+P'),
        item('Clear', 'capture.clear', 'CmdOrCtrl+K'),
        sep,
        item('Restart Gateway', 'gateway.restart'),
        item('Fallback Port…', 'gateway.fallback'),
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Theme', submenu: [themeItem('System', 'system'), themeItem('Light', 'light'), themeItem('Dark', 'dark')] },
        sep,
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { role: 'togglefullscreen' },
        sep,
        item('Reload', 'view.reload', 'CmdOrCtrl+R'),
        ...(devTools ? [{ role: 'toggleDevTools' }] : []),
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [item('Connection Guide', 'help.guide', 'F1'), item('Hosts File…', 'help.hosts'), sep, item('About', 'help.about')],
    },
  );
  return template;
}

/** Every action reachable from a template (tests check the menu covers the list). */
export function actionsIn(items: MenuItem[]): string[] {
  return items.flatMap((i) => [...(i.id ? [i.id] : []), ...(i.submenu ? actionsIn(i.submenu) : [])]);
}
