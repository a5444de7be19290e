// Layout and view preferences: grid columns, follow-live, which side panel and overlay are open.
import type { StateCreator } from 'zustand';
import type { ColumnKey, InspectorState, UiSlice } from './types.ts';

export const ALL_COLUMNS: readonly ColumnKey[] = ['time', 'delta', 'direction', 'session', 'verb', 'trid', 'args', 'size', 'findings'];

export const createUiSlice: StateCreator<InspectorState, [], [], UiSlice> = (set, get) => ({
  columns: [...ALL_COLUMNS],
  followLive: true,
  sidePanel: 'details',
  overlay: null,
  hideEmptyPolls: false,
  injectDraft: null,
  toggleColumn(key) {
    const current = get().columns;
    if (current.includes(key)) {
      // The verb is what identifies a row; keeping at least it avoids an empty grid.
      if (current.length === 1) return;
      set({ columns: current.filter((c) => c !== key) });
    } else {
      set({ columns: ALL_COLUMNS.filter((c) => c === key || current.includes(c)) });
    }
  },
  setFollowLive(follow) {
    if (get().followLive !== follow) set({ followLive: follow });
  },
  setSidePanel(panel) {
    set({ sidePanel: panel });
  },
  setOverlay(overlay) {
    set({ overlay });
  },
  setHideEmptyPolls(hide) {
    set({ hideEmptyPolls: hide });
  },
  setInjectDraft(draft) {
    set({ injectDraft: draft, sidePanel: draft ? 'inject' : get().sidePanel });
  },
});
