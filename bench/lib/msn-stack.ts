// The measured side of the load benchmark and the soak, as the headless inspector composes it:
// the gateway relaying in-process to the emulator (NS, SB), the inspector API recording every event
// (a batch listener serializing each batch as the WebSocket transport does) and the NDJSON capture
// log. Load users are written as an accounts.json (groups of contacts who all list each other) and
// get TWN tickets straight from the TicketStore (no Passport leg).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../../electron/emulator/accounts.ts';
import type { Account } from '../../electron/emulator/accounts.ts';
import { createEmulator } from '../../electron/emulator/emulator.ts';
import { TicketStore } from '../../electron/emulator/tickets.ts';
import { createGateway } from '../../electron/gateway/index.ts';
import { openHeadlessCapture, type HeadlessCapture } from '../../electron/headless/capture-adapter.ts';
import { createInspectorApi, type InspectorApi } from '../../electron/inspector/api.ts';
import { deferredInterceptor } from '../../electron/inspector/interceptor.ts';
import { startInspectorThread } from '../../electron/headless/worker/inspector-thread.ts';

export interface StackOptions {
  users: number;
  /** Contacts per group (everyone in a group has the others on FL/AL/RL). */
  group?: number;
  capture?: boolean;
  idleTimeoutMs?: number;
  /** Inspector retention (defaults: the product's). A soak lowers them to reach steady state sooner. */
  inspector?: { memoryCommands?: number; maxExchanges?: number; maxFindings?: number; maxClosedSessions?: number };
  /** Run the inspector and capture log on their own thread, as the headless inspector does (default true). */
  thread?: boolean;
}

export interface LoadUserInfo {
  handle: string;
  ticket: string;
  contacts: string[];
}

export interface MsnStack {
  port: number;
  users: LoadUserInfo[];
  api: InspectorApi;
  /** The capture writer, when it runs on this thread. */
  capture: HeadlessCapture | null;
  events(): number;
  batches(): number;
  /** Heap after GC of the inspector's thread (0 when the inspector runs on this thread). */
  inspectorHeapAfterGc(): Promise<number>;
  /** Writes the inspector thread's heap snapshot; null when the inspector runs on this thread. */
  inspectorHeapSnapshot(file: string): Promise<string | null>;
  sessions(): number;
  close(): Promise<void>;
}

export const loadHandle = (i: number) => `u${i}@load.test`;

function account(i: number, contacts: string[]): Account {
  return {
    handle: loadHandle(i), password: `pw${i}`, friendlyName: `User${i}`, guid: randomUUID(), memberId: String(1_000_000 + i),
    privacy: 'AL', gtc: 'A', personalMessage: '', listVersion: 1,
    groups: [{ id: 0, guid: randomUUID(), name: 'Other Contacts' }],
    contacts: contacts.map((h) => ({ handle: h, friendlyName: h.split('@')[0], contactId: randomUUID(), lists: ['FL', 'AL', 'RL'], groups: [0] })),
    bot: false, createdAt: new Date().toISOString(),
  };
}

export function groupOf(i: number, users: number, group: number): string[] {
  const start = i - (i % group);
  const out: string[] = [];
  for (let j = start; j < Math.min(users, start + group); j++) if (j !== i) out.push(loadHandle(j));
  return out;
}

export async function startMsnStack(o: StackOptions): Promise<MsnStack> {
  const group = o.group ?? 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-stack-'));
  const accounts: Account[] = [];
  for (let i = 0; i < o.users; i++) accounts.push(account(i, groupOf(i, o.users, group)));
  writeFileSync(join(dataDir, 'accounts.json'), JSON.stringify({ format: 1, accounts }));
  const store = new AccountStore({ dataDir, maxAccounts: o.users + 100 });
  const tickets = new TicketStore({ maxTickets: o.users + 100, ttlMs: 24 * 3600_000 });
  const emulator = createEmulator({
    accounts: store,
    tickets,
    options: { maxConnections: 4 * o.users + 1000, challenge: { enabled: false }, bot: { enabled: false } },
  });
  const breakpoints = deferredInterceptor();
  const gateway = createGateway({
    host: '127.0.0.1', port: 0, upstream: { kind: 'emulator', connect: emulator.connect },
    maxSessions: 4 * o.users + 1000, ...(o.idleTimeoutMs ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
    interceptor: breakpoints.hook,
  });
  let events = 0;
  const off = gateway.onEvent(() => void events++);
  const { memoryCommands, ...model } = o.inspector ?? {};
  const settings = memoryCommands ? { settings: { retention: { memoryCommands, diskMegabytes: 1024 } } } : {};
  const captureDir = join(dataDir, 'captures');
  let batches = 0;
  // What a connected UI costs: every batch serialized once (on the inspector's thread when it has one).
  let api: InspectorApi;
  let capture: HeadlessCapture | null = null;
  let closeInspector: () => Promise<void>;
  let inspectorHeapAfterGc = async () => 0;
  let inspectorHeapSnapshot = async (_file: string): Promise<string | null> => null;
  if (o.thread !== false) {
    const thread = await startInspectorThread({
      gateway,
      gatewayStatus: { listening: true, host: '127.0.0.1', port: 0, error: null, remedies: [] },
      capture: o.capture === false ? null : { dir: captureDir, appVersion: 'bench', diskBytes: 8 * 1024 ** 3 },
      ...settings,
      model,
    });
    thread.onBatchJson(() => void batches++);
    api = thread;
    closeInspector = () => thread.shutdown();
    inspectorHeapAfterGc = () => thread.heapAfterGc();
    inspectorHeapSnapshot = (file) => thread.writeHeapSnapshot(file);
  } else {
    capture = o.capture === false ? null : await openHeadlessCapture({ dir: captureDir, appVersion: 'bench', diskBytes: 8 * 1024 ** 3 });
    const local = createInspectorApi({ gateway, ...(capture ? { capture: capture.port } : {}), ...settings, model });
    local.onBatch((batch) => {
      batches++;
      JSON.stringify({ kind: 'events', batch });
    });
    api = local;
    const opened = capture;
    closeInspector = async () => {
      local.close();
      await opened?.close();
    };
  }
  breakpoints.bind(api.interceptor);
  const { port } = await gateway.listen();
  const users = accounts.map((a, i) => ({ handle: a.handle, ticket: tickets.issue(a.handle).ticket, contacts: groupOf(i, o.users, group) }));
  return {
    port, users, api, capture,
    events: () => events,
    batches: () => batches,
    inspectorHeapAfterGc: () => inspectorHeapAfterGc(),
    inspectorHeapSnapshot: (file: string) => inspectorHeapSnapshot(file),
    sessions: () => gateway.sessionCount(),
    async close() {
      off();
      await gateway.close();
      await closeInspector();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
