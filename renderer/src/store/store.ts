// Builds the store from its slices; one store per window (tests build a fresh one each).
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createDataSlice } from './data-slice.ts';
import { createFilterSlice } from './filter-slice.ts';
import { createHighlightsSlice } from './highlights-slice.ts';
import { createSelectionSlice } from './selection-slice.ts';
import { createStatusSlice } from './status-slice.ts';
import type { InspectorState } from './types.ts';
import { createUiSlice } from './ui-slice.ts';

export type InspectorStore = StoreApi<InspectorState>;

export function createInspectorStore(): InspectorStore {
  return createStore<InspectorState>()((...a) => ({
    ...createStatusSlice(...a),
    ...createDataSlice(...a),
    ...createSelectionSlice(...a),
    ...createFilterSlice(...a),
    ...createHighlightsSlice(...a),
    ...createUiSlice(...a),
  }));
}
