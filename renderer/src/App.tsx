// The inspector window: toolbar and filter on top, Sessions | Timeline over Commands | side panel,
// status bar below. Until the first session it explains how to connect a client.
import { useEffect } from 'react';
import type { InspectorClient } from './api/client.ts';
import { InspectorProvider, useInspector } from './store/context.tsx';
import { attachIngest } from './store/ingest.ts';
import type { Scheduler } from './store/ingest.ts';
import type { InspectorStore } from './store/store.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { useTheme } from './use-theme.ts';
import { BreakpointsView } from './views/breakpoints/BreakpointsView.tsx';
import { CommandsView } from './views/commands/CommandsView.tsx';
import { DetailsView } from './views/details/DetailsView.tsx';
import { FilterBar } from './views/filter/FilterBar.tsx';
import { HighlightRules } from './views/filter/HighlightRules.tsx';
import { FindingsView } from './views/findings/FindingsView.tsx';
import { InjectView } from './views/inject/InjectView.tsx';
import { SessionsView } from './views/sessions/SessionsView.tsx';
import { EmptyState } from './views/status/EmptyState.tsx';
import { FileDialog } from './views/status/FileDialog.tsx';
import { HelpOverlay } from './views/status/HelpOverlay.tsx';
import { SettingsDialog } from './views/status/SettingsDialog.tsx';
import { StatusBar } from './views/status/StatusBar.tsx';
import { Toolbar } from './views/status/Toolbar.tsx';
import { TimelineView } from './views/timeline/TimelineView.tsx';

export interface AppProps {
  store: InspectorStore;
  client: InspectorClient;
  /** Tests pass a manual scheduler; the browser uses animation frames. */
  scheduler?: Scheduler;
}

export function App({ store, client, scheduler }: AppProps) {
  useEffect(() => attachIngest(client, store, scheduler), [client, store, scheduler]);
  return (
    <InspectorProvider store={store} client={client}>
      <Window />
    </InspectorProvider>
  );
}

function SidePanel() {
  const panel = useInspector((s) => s.sidePanel);
  if (panel === 'inject') return <InjectView />;
  if (panel === 'breakpoints') return <BreakpointsView />;
  if (panel === 'findings') return <FindingsView />;
  return <DetailsView />;
}

function Overlay() {
  const overlay = useInspector((s) => s.overlay);
  if (overlay === 'help') return <HelpOverlay />;
  if (overlay === 'settings') return <SettingsDialog />;
  if (overlay === 'file') return <FileDialog />;
  return null;
}

function Window() {
  useShortcuts();
  useTheme();
  const empty = useInspector((s) => s.sessionsById.size === 0 && s.commands.length === 0);
  return (
    <div className="app">
      <header className="top">
        <Toolbar />
        <FilterBar />
        <details className="highlight-toggle">
          <summary>Highlights</summary>
          <HighlightRules />
        </details>
      </header>
      {empty ? (
        <main className="main empty">
          <EmptyState />
        </main>
      ) : null}
      <main className="main" hidden={empty}>
        <div className="left">
          <SessionsView />
        </div>
        <div className="center">
          <TimelineView />
          <CommandsView />
        </div>
        <div className="right">
          <SidePanel />
        </div>
      </main>
      <StatusBar />
      <Overlay />
    </div>
  );
}
