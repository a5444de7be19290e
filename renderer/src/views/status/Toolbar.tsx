// Toolbar: pause/resume and clear capture, files, settings, help, side-panel switch.
import { useInspector } from '../../store/context.tsx';
import type { SidePanel } from '../../store/types.ts';
import { useOperation } from '../../store/use-operation.ts';

export function useCaptureActions() {
  const run = useOperation();
  const status = useInspector((s) => s.status);
  const setStatus = useInspector((s) => s.setStatus);
  const togglePause = async () => {
    const answer = status?.capturing === false ? await run('capture.resume', {}) : await run('capture.pause', {});
    if (answer && status) setStatus({ ...status, capturing: answer.capturing });
  };
  const clear = async () => {
    await run('capture.clear', {});
  };
  return { togglePause, clear, capturing: status?.capturing !== false };
}

const PANELS: { key: SidePanel; label: string }[] = [
  { key: 'details', label: 'Details' },
  { key: 'inject', label: 'Inject' },
  { key: 'breakpoints', label: 'Breakpoints' },
  { key: 'findings', label: 'Findings' },
];

export function Toolbar() {
  const { togglePause, clear, capturing } = useCaptureActions();
  const setOverlay = useInspector((s) => s.setOverlay);
  const sidePanel = useInspector((s) => s.sidePanel);
  const setSidePanel = useInspector((s) => s.setSidePanel);
  const heldCount = useInspector((s) => s.held.length);
  return (
    <div className="toolbar" role="toolbar" aria-label="Capture">
      <button type="button" onClick={() => void togglePause()} aria-keyshortcuts="Space">{capturing ? 'Pause' : 'Resume'}</button>
      <button type="button" onClick={() => void clear()} aria-keyshortcuts="Control+L">Clear</button>
      <button type="button" onClick={() => setOverlay('file')} aria-keyshortcuts="o">Open / Save / Export</button>
      <span className="spacer" />
      {PANELS.map((p) => (
        <button key={p.key} type="button" aria-pressed={sidePanel === p.key} onClick={() => setSidePanel(p.key)}>
          {p.label}{p.key === 'breakpoints' && heldCount > 0 ? ` (${heldCount} held)` : ''}
        </button>
      ))}
      <button type="button" onClick={() => setOverlay('settings')} aria-keyshortcuts="s">Settings</button>
      <button type="button" onClick={() => setOverlay('help')} aria-keyshortcuts="?" aria-label="Keyboard shortcuts">?</button>
    </div>
  );
}
