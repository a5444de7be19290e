// The filter expression (grammar in shared/api/filter.ts); parsing and matching happen where it is used.
import type { StateCreator } from 'zustand';
import type { FilterSlice, InspectorState } from './types.ts';

export const MAX_FILTER_CHARS = 2000;

export const createFilterSlice: StateCreator<InspectorState, [], [], FilterSlice> = (set) => ({
  filterText: '',
  setFilter(text) {
    set({ filterText: text.slice(0, MAX_FILTER_CHARS) });
  },
});
