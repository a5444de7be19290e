// The whole inspector store: one zustand store composed of slices (zustand's slices pattern).
import type {
  Breakpoint,
  CommandRecord,
  EventBatch,
  ExchangeRecord,
  Finding,
  HeldCommand,
  SessionRecord,
  Settings,
  Status,
} from '../../../shared/api/contract.ts';
import type { ConnectionState } from '../api/client.ts';

export interface SessionsSlice {
  sessionsById: Map<string, SessionRecord>;
}

export interface CommandsSlice {
  /**
   * Sorted by id; appended once per animation frame, in place (see apply-batches.ts): select
   * `commandsVersion` to re-render when it changes.
   */
  commands: CommandRecord[];
  /** Bumped whenever `commands` changes, appends included. */
  commandsVersion: number;
  /** Bumped whenever the list changes other than by appending (clear, eviction, reload). */
  commandsEpoch: number;
  exchanges: ExchangeRecord[];
  /** Last batch sequence number applied; a gap means the UI must reload a snapshot. */
  lastSeq: number | null;
  resyncNeeded: boolean;
  /**
   * Older records the core holds that are not loaded yet: a snapshot loads the newest page of each
   * list at once and the rest in the background, oldest last (see store/older.ts).
   */
  older: OlderCounts;
  applyBatches(batches: readonly EventBatch[]): void;
  loadSnapshot(snapshot: Snapshot): void;
  /** Puts records older than the loaded ones in front of them; `remaining` is what is still older. */
  prependOlder<K extends OlderKind>(kind: K, items: readonly OlderRecord<K>[], remaining: number): void;
}

export type OlderKind = 'commands' | 'exchanges' | 'findings';
export type OlderCounts = Record<OlderKind, number>;
export type OlderRecord<K extends OlderKind> = K extends 'commands' ? CommandRecord : K extends 'exchanges' ? ExchangeRecord : Finding;
export const NO_OLDER: OlderCounts = { commands: 0, exchanges: 0, findings: 0 };

export interface FindingsSlice {
  findings: Finding[];
}

export interface SelectionSlice {
  /** The session that scopes the other views (null = all). */
  scopeSessionId: string | null;
  selectedCommandId: number | null;
  selectedExchangeId: number | null;
  scopeSession(id: string | null): void;
  selectCommand(id: number | null): void;
  selectExchange(id: number | null, commandId?: number | null): void;
}

export interface FilterSlice {
  filterText: string;
  setFilter(text: string): void;
}

export interface HighlightRule {
  id: number;
  filter: string;
  color: HighlightColor;
  enabled: boolean;
}

export const HIGHLIGHT_COLORS = ['yellow', 'green', 'blue', 'red', 'purple'] as const;
export type HighlightColor = (typeof HIGHLIGHT_COLORS)[number];

export interface HighlightsSlice {
  highlightRules: HighlightRule[];
  addHighlight(filter: string, color: HighlightColor): void;
  removeHighlight(id: number): void;
  toggleHighlight(id: number): void;
}

export type ColumnKey = 'time' | 'delta' | 'direction' | 'session' | 'verb' | 'trid' | 'args' | 'size' | 'findings';
export type SidePanel = 'details' | 'inject' | 'breakpoints' | 'findings';
export type Overlay = null | 'help' | 'settings' | 'file';

export interface UiSlice {
  columns: ColumnKey[];
  followLive: boolean;
  sidePanel: SidePanel;
  overlay: Overlay;
  hideEmptyPolls: boolean;
  /** Command line prefilled in the inject composer (from "Edit in composer"). */
  injectDraft: InjectDraft | null;
  toggleColumn(key: ColumnKey): void;
  setFollowLive(follow: boolean): void;
  setSidePanel(panel: SidePanel): void;
  setOverlay(overlay: Overlay): void;
  setHideEmptyPolls(hide: boolean): void;
  setInjectDraft(draft: InjectDraft | null): void;
}

export interface InjectDraft {
  sessionId: string;
  to: 'server' | 'client';
  line: string;
  payload: string;
}

export interface BreakpointsSlice {
  breakpoints: Breakpoint[];
  held: HeldCommand[];
  setBreakpoints(breakpoints: Breakpoint[], held?: HeldCommand[]): void;
}

export interface StatusSlice {
  status: Status | null;
  settings: Settings | null;
  connection: ConnectionState;
  /** The last failed operation, shown in the status bar until dismissed. */
  lastError: string | null;
  setStatus(status: Status | null): void;
  setSettings(settings: Settings | null): void;
  setConnection(state: ConnectionState): void;
  setError(message: string | null): void;
}

export interface Snapshot {
  sessions: SessionRecord[];
  commands: CommandRecord[];
  exchanges: ExchangeRecord[];
  findings: Finding[];
  breakpoints: Breakpoint[];
  held: HeldCommand[];
  status: Status | null;
  settings: Settings | null;
  /** Records older than the ones above still to load (none when absent). */
  older?: OlderCounts;
}

export type InspectorState = SessionsSlice &
  CommandsSlice &
  FindingsSlice &
  SelectionSlice &
  FilterSlice &
  HighlightsSlice &
  UiSlice &
  BreakpointsSlice &
  StatusSlice;

/** How much the renderer keeps; the core holds the rest on disk. */
export const STORE_LIMITS = {
  commands: 200_000,
  exchanges: 100_000,
  findings: 20_000,
  highlightRules: 32,
} as const;
