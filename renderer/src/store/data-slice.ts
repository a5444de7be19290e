// Sessions, commands, exchanges and findings: filled by a snapshot, then by event batches, with
// older records put in front as the background loader brings them.
import type { StateCreator } from 'zustand';
import { capFront, prependOlderById } from '../lib/sorted.ts';
import { emptyData, reduceBatches } from './apply-batches.ts';
import type { CommandsSlice, FindingsSlice, InspectorState, OlderCounts, SessionsSlice } from './types.ts';
import { NO_OLDER, STORE_LIMITS } from './types.ts';

export type DataSlices = SessionsSlice & CommandsSlice & FindingsSlice;

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

/** What is still to load, so that loaded plus still to load stays within the store's limits. */
function clampOlder(older: OlderCounts, loaded: Record<keyof OlderCounts, number>): OlderCounts {
  const fit = (k: keyof OlderCounts) => Math.max(0, Math.min(Math.floor(older[k]), STORE_LIMITS[k] - loaded[k]));
  return { commands: fit('commands'), exchanges: fit('exchanges'), findings: fit('findings') };
}

export const createDataSlice: StateCreator<InspectorState, [], [], DataSlices> = (set, get) => ({
  ...emptyData(0),
  applyBatches(batches) {
    if (batches.length === 0) return;
    const next = reduceBatches(get(), batches);
    const cleared = batches.some((b) => b.cleared);
    set(cleared ? { ...next, selectedCommandId: null, selectedExchangeId: null, scopeSessionId: null } : next);
  },
  loadSnapshot(snapshot) {
    const commands = capFront(snapshot.commands.slice().sort(byId), STORE_LIMITS.commands).list;
    const exchanges = capFront(snapshot.exchanges.slice().sort(byId), STORE_LIMITS.exchanges).list;
    const findings = capFront(snapshot.findings.slice().sort(byId), STORE_LIMITS.findings).list;
    set({
      ...emptyData(get().commandsEpoch + 1, get().commandsVersion + 1),
      sessionsById: new Map(snapshot.sessions.map((s) => [s.id, s])),
      commands,
      exchanges,
      findings,
      older: clampOlder(snapshot.older ?? NO_OLDER, { commands: commands.length, exchanges: exchanges.length, findings: findings.length }),
      breakpoints: snapshot.breakpoints,
      held: snapshot.held,
      status: snapshot.status,
      settings: snapshot.settings,
    });
  },
  prependOlder(kind, items, remaining) {
    const state = get();
    const list = prependOlderById<{ id: number }>(state[kind], items, STORE_LIMITS[kind]);
    const changed = list !== state[kind];
    const loaded = { commands: state.commands.length, exchanges: state.exchanges.length, findings: state.findings.length, [kind]: list.length };
    const older = clampOlder({ ...state.older, [kind]: remaining }, loaded);
    const patch: Partial<InspectorState> = { older };
    if (changed) {
      (patch as Record<string, unknown>)[kind] = list;
      // Row indices shift: anything keyed by index (the grid's filter results) starts over.
      if (kind === 'commands') {
        patch.commandsEpoch = state.commandsEpoch + 1;
        patch.commandsVersion = state.commandsVersion + 1;
      }
    }
    set(patch);
  },
});
