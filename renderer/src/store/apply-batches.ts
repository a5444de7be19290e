// Folds event batches into the data part of the store, once per animation frame: every array and
// Map that changes is replaced (never mutated), and each is copied at most once per call.
import type { CommandRecord, EventBatch, ExchangeRecord, Finding, HeldCommand, SessionRecord, Status } from '../../../shared/api/contract.ts';
import { capFront, lowerBoundById, upsertSorted } from '../lib/sorted.ts';
import { STORE_LIMITS } from './types.ts';

export interface DataState {
  sessionsById: Map<string, SessionRecord>;
  commands: CommandRecord[];
  commandsEpoch: number;
  exchanges: ExchangeRecord[];
  findings: Finding[];
  held: HeldCommand[];
  status: Status | null;
  lastSeq: number | null;
  resyncNeeded: boolean;
}

export interface Limits {
  commands: number;
  exchanges: number;
  findings: number;
}

export function emptyData(epoch: number): Omit<DataState, 'status'> {
  return { sessionsById: new Map(), commands: [], commandsEpoch: epoch, exchanges: [], findings: [], held: [], lastSeq: null, resyncNeeded: false };
}

export function reduceBatches(state: DataState, batches: readonly EventBatch[], limits: Limits = STORE_LIMITS): Partial<DataState> {
  let sessions: Map<string, SessionRecord> | null = null;
  let commands = state.commands;
  let commandsCopied = false;
  let epoch = state.commandsEpoch;
  let exchangesIn: ExchangeRecord[] = [];
  let exchanges = state.exchanges;
  let findingsIn: Finding[] = [];
  let findings = state.findings;
  let held = state.held;
  let status = state.status;
  let lastSeq = state.lastSeq;
  let resyncNeeded = state.resyncNeeded;

  const ownCommands = () => {
    if (!commandsCopied) {
      commands = commands.slice();
      commandsCopied = true;
    }
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
      epoch++;
      exchanges = [];
      exchangesIn = [];
      findings = [];
      findingsIn = [];
      held = [];
    }
    if (batch.sessions.length > 0) {
      sessions ??= new Map(state.sessionsById);
      for (const s of batch.sessions) sessions.set(s.id, s);
    }
    if (batch.commands.length > 0) {
      const list = ownCommands();
      let last = list.length > 0 ? list[list.length - 1].id : -1;
      for (const c of batch.commands) {
        if (c.id > last) {
          list.push(c);
          last = c.id;
        }
      }
    }
    if (batch.updatedCommands && batch.updatedCommands.length > 0) {
      const list = ownCommands();
      for (const c of batch.updatedCommands) {
        const i = lowerBoundById(list, c.id);
        if (i < list.length && list[i].id === c.id) list[i] = c;
      }
    }
    if (batch.evicted) {
      const { fromId, toId } = batch.evicted;
      const list = ownCommands();
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
  if (commandsCopied) {
    const capped = capFront(commands, limits.commands);
    out.commands = capped.list;
    out.commandsEpoch = capped.dropped > 0 ? epoch + 1 : epoch;
  }
  if (exchangesIn.length > 0 || exchanges !== state.exchanges) out.exchanges = capFront(upsertSorted(exchanges, exchangesIn), limits.exchanges).list;
  if (findingsIn.length > 0 || findings !== state.findings) out.findings = capFront(upsertSorted(findings, findingsIn), limits.findings).list;
  if (held !== state.held) out.held = held;
  if (status !== state.status) out.status = status;
  return out;
}
