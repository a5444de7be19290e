// React access to the store and the API client of this window.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { InspectorClient } from '../api/client.ts';
import type { InspectorStore } from './store.ts';
import type { InspectorState } from './types.ts';

interface Env {
  store: InspectorStore;
  client: InspectorClient;
}

const EnvContext = createContext<Env | null>(null);

export function InspectorProvider({ store, client, children }: Env & { children: ReactNode }) {
  const value = useMemo(() => ({ store, client }), [store, client]);
  return <EnvContext.Provider value={value}>{children}</EnvContext.Provider>;
}

function useEnv(): Env {
  const env = useContext(EnvContext);
  if (!env) throw new Error('InspectorProvider is missing');
  return env;
}

export function useInspector<T>(selector: (state: InspectorState) => T): T {
  return useStore(useEnv().store, selector);
}

export function useInspectorStore(): InspectorStore {
  return useEnv().store;
}

export function useClient(): InspectorClient {
  return useEnv().client;
}
