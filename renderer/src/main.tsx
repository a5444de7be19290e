import { createRoot } from 'react-dom/client';
import { connectInspector } from './api/connect.ts';
import { App } from './App.tsx';
import { createInspectorStore } from './store/store.ts';
import './theme.css';

const root = document.getElementById('root');
if (root) {
  const connected = connectInspector(window);
  createRoot(root).render(
    connected.ok ? (
      <App store={createInspectorStore()} client={connected.client} />
    ) : (
      <main className="empty-state">
        <h1>MSN Gateway Inspector</h1>
        <p role="alert">{connected.error}</p>
      </main>
    ),
  );
}
