// Placeholder window until the inspector views land: it already explains how to connect a client.
export function App() {
  return (
    <main className="empty-state">
      <h1>MSN Gateway Inspector</h1>
      <p>No sessions yet. Point a legacy MSN Messenger at this machine:</p>
      <ul>
        <li>
          hosts file: <code>127.0.0.1 gateway.messenger.hotmail.com</code>, or
        </li>
        <li>the client's HTTP proxy setting: this gateway's address and port.</li>
      </ul>
    </main>
  );
}
