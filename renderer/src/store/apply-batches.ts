// Folds event batches into the data part of the store, once per animation frame: every array and
// Map that changes is replaced (never mutated), and each is copied at most once per call, except
// the command list: new and updated commands go in place and `commandsVersion` says it changed.
// Copying 100,000+ references every frame of live ingest made megabytes of garbage per second and
// long collector pauses. Evictions, clears and the limit still make a new array (and a new epoch).
import type { CommandRecord, EventBatch, ExchangeRecord, Finding, HeldCommand, SessionRecord, Status } from '../../../shared/api/contract.ts';
import { capFront, lowerBoundById, upsertSorted } from '../lib/sorted.ts';
import { NO_OLDER, STORE_LIMITS } from './types.ts';
import type { OlderCounts } from './types.ts';

export interface DataState {
  sessionsById: Map<string, SessionRecord>;
  commands: CommandRecord[];
  commandsEpoch: number;
  commandsVersion: number;
  exchanges: ExchangeRecord[];
  findings: Finding[];
  held: HeldCommand[];
  status: Status | null;
  lastSeq: number | null;
  resyncNeeded: boolean;
  older: OlderCounts;
}

export interface Limits {
  commands: number;
  exchanges: number;
  findings: number;
}

/** Past its limit the command list drops this share of it at once (a copy per drop, not per frame). */
export const DROP_SHARE = 0.05;

export function emptyData(epoch: number, version = 0): Omit<DataState, 'status'> {
  return { sessionsById: new Map(), commands: [], commandsEpoch: epoch, commandsVersion: version, exchanges: [], findings: [], held: [], lastSeq: null, resyncNeeded: false, older: NO_OLDER };
}

export function reduceBatches(state: DataState, batches: readonly EventBatch[], limits: Limits = STORE_LIMITS): Partial<DataState> {
  let sessions: Map<string, SessionRecord> | null = null;
  let commands = state.commands;
  let commandsCopied = false;
  let commandsChanged = false;
  let epoch = state.commandsEpoch;
  let exchangesIn: ExchangeRecord[] = [];
  let exchanges = state.exchanges;
  let findingsIn: Finding[] = [];
  let findings = state.findings;
  let held = state.held;
  let status = state.status;
  let lastSeq = state.lastSeq;
  let resyncNeeded = state.resyncNeeded;
  let older = state.older;

  const ownCommands = () => {
    if (!commandsCopied) {
      commands = commands.slice();
      commandsCopied = true;
    }
    commandsChanged = true;
    return commands;
  };

  for (const batch of batches) {
    if (lastSeq !== null && batch.seq !== lastSeq + 1 && batch.seq > lastSeq) resyncNeeded = true;
    if (lastSeq !== null && batch.seq <= lastSeq) continue; // already applied (snapshot overlap)
    lastSeq = batch.seq;
    if (batch.cleared) {
      sessions = new Map();
      commands = [];
      commandsCopied = true;
      commandsChanged = true;
      epoch++;
      exchanges = [];
      exchangesIn = [];
      findings = [];
      findingsIn = [];
      held = [];
      older = NO_OLDER;
    }
    if (batch.sessions.length > 0) {
      sessions ??= new Map(state.sessionsById);
      for (const s of batch.sessions) sessions.set(s.id, s);
    }
    if (batch.commands.length > 0) {
      const list = commands;
      let last = list.length > 0 ? list[list.length - 1].id : -1;
      for (const c of batch.commands) {
        if (c.id > last) {
          list.push(c);
          last = c.id;
          commandsChanged = true;
        }
      }
    }
    if (batch.updatedCommands && batch.updatedCommands.length > 0) {
      // In place as well (pairing and findings change a record every frame); the record itself is
      // replaced, so memoized rows see the change.
      const list = commands;
      for (const c of batch.updatedCommands) {
        const i = lowerBoundById(list, c.id);
        if (i < list.length && list[i].id === c.id) {
          list[i] = c;
          commandsChanged = true;
        }
      }
    }
    if (batch.evicted) {
      const { fromId, toId } = batch.evicted;
      const list = ownCommands();
      // The core's ids are contiguous: evicted ids below the oldest loaded one were still to load.
      if (older.commands > 0 && list.length > 0 && fromId < list[0].id) {
        const gone = Math.min(toId, list[0].id - 1) - fromId + 1;
        older = { ...older, commands: Math.max(0, older.commands - gone) };
      }
      const from = lowerBoundById(list, fromId);
      const to = lowerBoundById(list, toId + 1);
      if (to > from) {
        list.splice(from, to - from);
        epoch++;
      }
    }
    exchangesIn.push(...batch.exchanges);
    findingsIn.push(...batch.findings);
    if (batch.held !== null) held = batch.held;
    if (batch.status !== null) status = batch.status;
  }

  const out: Partial<DataState> = { lastSeq, resyncNeeded };
  if (sessions) out.sessionsById = sessions;
  if (commandsChanged) {
    const keep = limits.commands - Math.max(1, Math.floor(limits.commands * DROP_SHARE));
    const capped = commands.length > limits.commands ? capFront(commands, Math.max(1, keep)) : { list: commands, dropped: 0 };
    out.commands = capped.list;
    out.commandsEpoch = capped.dropped > 0 ? epoch + 1 : epoch;
    out.commandsVersion = state.commandsVersion + 1;
  } else if (epoch !== state.commandsEpoch) {
    out.commandsEpoch = epoch;
  }
  if (exchangesIn.length > 0 || exchanges !== state.exchanges) out.exchanges = capFront(upsertSorted(exchanges, exchangesIn), limits.exchanges).list;
  if (findingsIn.length > 0 || findings !== state.findings) out.findings = capFront(upsertSorted(findings, findingsIn), limits.findings).list;
  // What is still to load shrinks as the loaded part grows: together they stay within the limits.
  const room = (kind: keyof OlderCounts, loaded: number) => Math.max(0, Math.min(older[kind], limits[kind] - loaded));
  const nextOlder = {
    commands: room('commands', (out.commands ?? state.commands).length),
    exchanges: room('exchanges', (out.exchanges ?? state.exchanges).length),
    findings: room('findings', (out.findings ?? state.findings).length),
  };
  if (nextOlder.commands !== state.older.commands || nextOlder.exchanges !== state.older.exchanges || nextOlder.findings !== state.older.findings) out.older = nextOlder;
  if (held !== state.held) out.held = held;
  if (status !== state.status) out.status = status;
  return out;
}
