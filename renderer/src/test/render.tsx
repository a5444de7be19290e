// Renders a view inside the inspector's providers with a fresh store and a fake core.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { InspectorProvider } from '../store/context.tsx';
import { createInspectorStore } from '../store/store.ts';
import type { InspectorStore } from '../store/store.ts';
import type { Snapshot } from '../store/types.ts';
import { FakeClient } from './fake-client.ts';

export function renderView(ui: ReactElement, options: { client?: FakeClient; store?: InspectorStore; snapshot?: Partial<Snapshot> } = {}) {
  const client = options.client ?? new FakeClient();
  const store = options.store ?? createInspectorStore();
  if (options.snapshot) {
    store.getState().loadSnapshot({ sessions: [], commands: [], exchanges: [], findings: [], breakpoints: [], held: [], status: null, settings: null, ...options.snapshot });
  }
  const result = render(<InspectorProvider store={store} client={client}>{ui}</InspectorProvider>);
  return { ...result, client, store };
}
