// What is selected: the session scoping every view, the command in Details, the exchange on the Timeline.
import type { StateCreator } from 'zustand';
import { findById } from '../lib/sorted.ts';
import type { InspectorState, SelectionSlice } from './types.ts';

export const createSelectionSlice: StateCreator<InspectorState, [], [], SelectionSlice> = (set, get) => ({
  scopeSessionId: null,
  selectedCommandId: null,
  selectedExchangeId: null,
  scopeSession(id) {
    set({ scopeSessionId: id });
  },
  selectCommand(id) {
    const command = id === null ? undefined : findById(get().commands, id);
    set({ selectedCommandId: id, selectedExchangeId: command?.exchangeId ?? get().selectedExchangeId });
  },
  selectExchange(id, commandId) {
    const exchange = id === null ? undefined : findById(get().exchanges, id);
    const first = commandId ?? exchange?.commandIds[0] ?? null;
    set({ selectedExchangeId: id, selectedCommandId: first ?? get().selectedCommandId });
  },
});
