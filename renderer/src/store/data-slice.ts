// Sessions, commands, exchanges and findings: filled by a snapshot, then by event batches.
import type { StateCreator } from 'zustand';
import { capFront } from '../lib/sorted.ts';
import { emptyData, reduceBatches } from './apply-batches.ts';
import type { CommandsSlice, FindingsSlice, InspectorState, SessionsSlice } from './types.ts';
import { STORE_LIMITS } from './types.ts';

export type DataSlices = SessionsSlice & CommandsSlice & FindingsSlice;

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

export const createDataSlice: StateCreator<InspectorState, [], [], DataSlices> = (set, get) => ({
  ...emptyData(0),
  applyBatches(batches) {
    if (batches.length === 0) return;
    const next = reduceBatches(get(), batches);
    const cleared = batches.some((b) => b.cleared);
    set(cleared ? { ...next, selectedCommandId: null, selectedExchangeId: null, scopeSessionId: null } : next);
  },
  loadSnapshot(snapshot) {
    set({
      ...emptyData(get().commandsEpoch + 1),
      sessionsById: new Map(snapshot.sessions.map((s) => [s.id, s])),
      commands: capFront(snapshot.commands.slice().sort(byId), STORE_LIMITS.commands).list,
      exchanges: capFront(snapshot.exchanges.slice().sort(byId), STORE_LIMITS.exchanges).list,
      findings: capFront(snapshot.findings.slice().sort(byId), STORE_LIMITS.findings).list,
      breakpoints: snapshot.breakpoints,
      held: snapshot.held,
      status: snapshot.status,
      settings: snapshot.settings,
    });
  },
});
