// Record builders for tests: realistic defaults, override what the test is about.
import type { CommandRecord, EventBatch, ExchangeRecord, Finding, SessionRecord, Settings, Status } from '../../../shared/api/contract.ts';

export function session(id: string, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    server: 'NS',
    gatewaySessionIds: [`${id}.1`],
    clientAddress: '127.0.0.1',
    upstream: 'emulator',
    requestedIp: '207.46.104.20',
    user: 'alice@example.com',
    version: 8,
    client: { name: 'MSMSGS', version: '5.0.0540' },
    state: 'open',
    closeReason: null,
    firstActivity: 1000,
    lastActivity: 2000,
    parentSessionId: null,
    counts: { commandsFromClient: 0, commandsFromServer: 0, exchanges: 0, findings: 0 },
    bytes: { fromClient: 0, fromServer: 0 },
    ...over,
  };
}

export function command(id: number, over: Partial<CommandRecord> = {}): CommandRecord {
  return {
    id,
    sessionId: 's1',
    exchangeId: null,
    direction: 'client',
    time: 1000 + id,
    verb: 'PNG',
    trid: null,
    args: [],
    payloadLength: null,
    errorCode: null,
    malformed: null,
    size: 5,
    pairId: null,
    findingIds: [],
    origin: 'wire',
    ...over,
  };
}

export function exchange(id: number, over: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return {
    id,
    sessionId: 's1',
    kind: 'poll',
    method: 'POST',
    target: '/gateway/gateway.dll?Action=poll&SessionID=s1.1',
    status: 200,
    reason: null,
    timings: { received: 1000 + id * 10, forwarded: 1001 + id * 10, firstUpstreamByte: null, answered: 1005 + id * 10 },
    requestBytes: 0,
    responseBytes: 0,
    commandIds: [],
    ...over,
  };
}

export function finding(id: number, over: Partial<Finding> = {}): Finding {
  return { id, time: 1000 + id, severity: 'warning', code: 'no-reply', message: 'request without reply', sessionId: 's1', commandId: null, exchangeId: null, ...over };
}

export function batch(seq: number, over: Partial<EventBatch> = {}): EventBatch {
  return { seq, time: 1000 + seq, sessions: [], commands: [], exchanges: [], findings: [], held: null, evicted: null, cleared: false, status: null, ...over };
}

export function status(over: Partial<Status> = {}): Status {
  return {
    gateway: { listening: true, host: '127.0.0.1', port: 8080, error: null, remedies: [] },
    upstream: 'emulator',
    capturing: true,
    captureFile: null,
    counts: { sessions: 0, commands: 0, inMemory: 0, evicted: 0 },
    ...over,
  };
}

export function settings(over: Partial<Settings> = {}): Settings {
  return {
    gateway: { host: '127.0.0.1', port: 8080, profile: 'faithful', gwIp: null },
    upstream: { kind: 'emulator' },
    retention: { memoryCommands: 100_000, diskMegabytes: 512 },
    breakpointTimeoutMs: 20_000,
    theme: 'system',
    ...over,
  };
}
