// The gateway as the inspector sees it (events out, injection in), for tests of the API without
// sockets. Sessions named in `gone` are refused injection, as the gateway refuses a closed one.
import type { GatewayEvent } from '../../../shared/api/gateway-events.ts';

export function fakeGateway(gone: readonly string[] = []) {
  const listeners = new Set<(e: GatewayEvent) => void>();
  const injected: { to: 'client' | 'server'; sessionId: string; bytes: Uint8Array }[] = [];
  const inject = (to: 'client' | 'server') => (sessionId: string, bytes: Uint8Array) => {
    injected.push({ to, sessionId, bytes });
    return !gone.includes(sessionId);
  };
  return {
    injected,
    emit: (events: GatewayEvent[]) => events.forEach((e) => listeners.forEach((l) => l(e))),
    onEvent(l: (e: GatewayEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    injectToClient: inject('client'),
    injectToServer: inject('server'),
  };
}
