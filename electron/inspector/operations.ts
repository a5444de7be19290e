// One handler per named operation (shared/api/contract.ts), over the inspector core. Requests
// arrive already checked (requests.ts); handlers answer errors as values where the contract has
// them, and throw ApiError where it does not (the transport reports those as `ok: false`).
import type { OperationName, OperationRequest, OperationResponse } from '../../shared/api/contract.ts';
import { fromBase64 } from './base64.ts';
import type { InspectorCore } from './core.ts';
import { commandDetail } from './detail.ts';
import { exchangeDetail } from './model/exchanges.ts';
import { getSession, listExchanges, listFindings, listSessions, QueryError } from './query.ts';
import { mergeSettings } from './settings.ts';

export class ApiError extends Error {
  override name = 'ApiError';
}

type Handlers = { [N in OperationName]: (request: OperationRequest<N>) => OperationResponse<N> | Promise<OperationResponse<N>> };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: `${what}: ${message(err)}` };
  }
}

export function makeHandlers(core: InspectorCore): Handlers {
  const noCapture = { ok: false as const, error: 'capture files are not available here (no capture service)' };
  const noAccounts = { ok: false, error: 'emulator accounts are not available (the emulator is not running)' };
  return {
    'status.get': () => core.status(),
    'sessions.list': () => listSessions(core.view),
    'sessions.get': (r) => getSession(core.view, r.id),
    'commands.query': (r) => {
      try {
        return core.queries.query(r);
      } catch (err) {
        if (err instanceof QueryError) throw new ApiError(err.message);
        throw err;
      }
    },
    'commands.get': (r) => {
      const entry = core.view.commands.get(r.id);
      return entry ? commandDetail(entry) : null;
    },
    'exchanges.list': (r) => listExchanges(core.view, r),
    'exchanges.get': (r) => {
      const x = core.view.exchanges.get(r.id);
      return x ? exchangeDetail(x) : null;
    },
    'findings.list': (r) => listFindings(core.view, r),
    'inject.send': (r) => (core.view !== core.live ? { ok: false, error: 'a capture file is on view: injection needs the live capture (clear to return)' } : core.injector.send(r)),
    'inject.resend': (r) => (core.view !== core.live ? { ok: false, error: 'a capture file is on view: resend needs the live capture (clear to return)' } : core.injector.resend(r.commandId)),
    'capture.pause': () => {
      core.capturing = false;
      core.view.changes.statusChanged = true;
      core.batcher.notify();
      return { capturing: false };
    },
    'capture.resume': () => {
      core.capturing = true;
      core.view.changes.statusChanged = true;
      core.batcher.notify();
      return { capturing: true };
    },
    'capture.clear': () => ({ cleared: core.clear() }),
    'capture.open': async (r) => {
      const capture = core.options.capture;
      if (!capture) return noCapture;
      const res = await attempt(`cannot open ${r.path}`, async () => core.showCapture(r.path, await capture.open(r.path)));
      return res.ok ? { ok: true, commands: res.value } : res;
    },
    'capture.import': async (r) => {
      const capture = core.options.capture;
      if (!capture) return noCapture;
      const res = await attempt(`cannot import ${r.path}`, async () => core.showCapture(r.path, await capture.import(r.path)));
      return res.ok ? { ok: true, commands: res.value } : res;
    },
    'capture.save': async (r) => {
      const capture = core.options.capture;
      if (!capture) return noCapture;
      const res = await attempt(`cannot save ${r.path}`, () => capture.save(r.path));
      return res.ok ? { ok: true, bytes: res.value.bytes } : res;
    },
    'capture.export': async (r) => {
      const capture = core.options.capture;
      if (!capture) return noCapture;
      const res = await attempt(`cannot export ${r.format} to ${r.path}`, () => capture.export(r.path, r.format, { unredacted: r.unredacted ?? false }));
      return res.ok ? { ok: true, bytes: res.value.bytes } : res;
    },
    'breakpoints.list': () => ({ breakpoints: core.breakpoints.list(), held: core.breakpoints.held() }),
    'breakpoints.set': (r) => core.breakpoints.set(r),
    'breakpoints.remove': (r) => ({ removed: core.breakpoints.remove(r.id) }),
    'held.forward': (r) => {
      if (r.raw === undefined) return core.breakpoints.forward(r.id);
      const raw = fromBase64(r.raw);
      return raw === null ? { ok: false, error: 'raw is not valid base64' } : core.breakpoints.forward(r.id, raw);
    },
    'held.drop': (r) => core.breakpoints.drop(r.id),
    'settings.get': () => structuredClone(core.settings),
    'settings.set': (r) => {
      const { settings, restartNeeded } = mergeSettings(core.settings, r);
      core.settings = settings;
      core.live.setRetention(settings.retention.memoryCommands);
      core.view.changes.statusChanged = true;
      core.afterChange();
      core.options.onSettingsChange?.(structuredClone(settings), restartNeeded);
      return { settings: structuredClone(settings), restartNeeded };
    },
    'accounts.list': async () => {
      const accounts = core.options.accounts;
      if (!accounts) return [];
      const res = await attempt('cannot list accounts', async () => accounts.list());
      if (!res.ok) throw new ApiError(res.error);
      return res.value.map((a) => ({ handle: a.handle, friendlyName: a.friendlyName, online: a.online }));
    },
    'accounts.create': async (r) => {
      const accounts = core.options.accounts;
      if (!accounts) return noAccounts;
      const res = await attempt(`cannot create ${r.handle}`, async () => accounts.create(r));
      return res.ok ? { ok: true } : res;
    },
    'accounts.remove': async (r) => {
      const accounts = core.options.accounts;
      if (!accounts) return noAccounts;
      const res = await attempt(`cannot remove ${r.handle}`, async () => accounts.remove(r.handle));
      return res.ok ? { ok: true } : res;
    },
  };
}
