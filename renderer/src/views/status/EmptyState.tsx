// Shown until the first session: how to connect an old MSN Messenger to this gateway.
import { useInspector } from '../../store/context.tsx';
import { connectHelp } from './connect-help.ts';

export function EmptyState() {
  const status = useInspector((s) => s.status);
  const settings = useInspector((s) => s.settings);
  const help = connectHelp(status, settings);
  return (
    <div className="empty-state">
      <h1>MSN Gateway Inspector</h1>
      <p>No sessions yet. Point a legacy MSN Messenger at this machine in one of two ways:</p>
      <ol>
        <li>
          Hosts file (Windows: <code>C:\Windows\System32\drivers\etc\hosts</code>), add:
          {help.hostsLines.map((line) => <pre key={line} className="code">{line}</pre>)}
          then sign in; Messenger falls back to the HTTP gateway when direct TCP to port 1863 fails.
        </li>
        <li>
          Or in Messenger's options, Connection, Advanced: HTTP proxy <code>{help.proxy}</code>.
        </li>
      </ol>
      {help.portNote ? <p className="note">{help.portNote}</p> : null}
    </div>
  );
}
