// Gateway status, settings, connection state and breakpoints as last reported by the core.
import type { StateCreator } from 'zustand';
import type { BreakpointsSlice, InspectorState, StatusSlice } from './types.ts';

export const createStatusSlice: StateCreator<InspectorState, [], [], StatusSlice & BreakpointsSlice> = (set) => ({
  status: null,
  settings: null,
  connection: 'connecting',
  lastError: null,
  breakpoints: [],
  held: [],
  setStatus(status) {
    set({ status });
  },
  setSettings(settings) {
    set({ settings });
  },
  setConnection(connection) {
    set({ connection });
  },
  setError(message) {
    set({ lastError: message === null ? null : message.slice(0, 500) });
  },
  setBreakpoints(breakpoints, held) {
    set(held ? { breakpoints, held } : { breakpoints });
  },
});
