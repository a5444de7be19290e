// A modal dialog with a name; Escape is handled by the window's shortcuts.
import type { ReactNode } from 'react';
import { useInspector } from '../../store/context.tsx';

export function Dialog({ title, children }: { title: string; children: ReactNode }) {
  const setOverlay = useInspector((s) => s.setOverlay);
  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-label={title} className="dialog">
        <div className="panel-bar">
          <h2 className="panel-title">{title}</h2>
          <button type="button" aria-label="Close" onClick={() => setOverlay(null)}>✕</button>
        </div>
        {children}
      </div>
    </div>
  );
}
