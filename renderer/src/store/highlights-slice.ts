// Highlight rules colour matching rows without hiding the others (distinct from the filter).
import type { StateCreator } from 'zustand';
import type { HighlightsSlice, InspectorState } from './types.ts';
import { STORE_LIMITS } from './types.ts';

export const createHighlightsSlice: StateCreator<InspectorState, [], [], HighlightsSlice> = (set, get) => {
  let nextId = 1;
  return {
    highlightRules: [],
    addHighlight(filter, color) {
      const rules = get().highlightRules;
      if (filter.trim() === '' || rules.length >= STORE_LIMITS.highlightRules) return;
      set({ highlightRules: [...rules, { id: nextId++, filter: filter.trim(), color, enabled: true }] });
    },
    removeHighlight(id) {
      set({ highlightRules: get().highlightRules.filter((r) => r.id !== id) });
    },
    toggleHighlight(id) {
      set({ highlightRules: get().highlightRules.map((r) => (r.id === id ? { ...r, enabled: !r.enabled } : r)) });
    },
  };
};
