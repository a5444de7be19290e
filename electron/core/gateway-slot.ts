// A stable stand-in for "the gateway" that the inspector holds on to, while the real gateway
// behind it can be replaced (a port or upstream change restarts the listener). Event listeners
// move to each new gateway; injection goes to the current one.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import type { Gateway } from '../gateway/types.ts';

export type GatewayFacade = Pick<Gateway, 'onEvent' | 'injectToClient' | 'injectToServer'>;

export interface GatewaySlot {
  readonly facade: GatewayFacade;
  current(): Gateway | null;
  /** Puts `gateway` in the slot (listeners follow it); returns the one it replaced. */
  attach(gateway: Gateway | null): Gateway | null;
}

export function createGatewaySlot(): GatewaySlot {
  const listeners = new Set<(event: GatewayEvent) => void>();
  let gateway: Gateway | null = null;
  let unsubscribe: (() => void) | null = null;
  const fanOut = (event: GatewayEvent) => {
    for (const l of listeners) l(event);
  };
  return {
    facade: {
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      injectToClient: (sessionId, bytes) => gateway?.injectToClient(sessionId, bytes) ?? false,
      injectToServer: (sessionId, bytes) => gateway?.injectToServer(sessionId, bytes) ?? false,
    },
    current: () => gateway,
    attach(next) {
      const previous = gateway;
      // The old gateway's closing events (sessions it ends) still reach the listeners: its
      // subscription is dropped only when it is replaced, which callers do after closing it.
      unsubscribe?.();
      gateway = next;
      unsubscribe = next ? next.onEvent(fanOut) : null;
      return previous;
    },
  };
}
