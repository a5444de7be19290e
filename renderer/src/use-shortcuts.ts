// Window-wide keyboard shortcuts (table in shortcuts.ts).
import { useEffect } from 'react';
import { useInspectorStore } from './store/context.tsx';
import { shortcutFor } from './shortcuts.ts';
import { FILTER_INPUT_ID } from './views/filter/FilterBar.tsx';
import { useCaptureActions } from './views/status/Toolbar.tsx';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts() {
  const store = useInspectorStore();
  const { togglePause, clear } = useCaptureActions();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = shortcutFor(event, isTyping(event.target));
      if (!action) return;
      const s = store.getState();
      // Space on a button or row keeps its own meaning.
      if (action === 'pause' && event.target instanceof HTMLElement && event.target.closest('button,[role=row]')) return;
      event.preventDefault();
      switch (action) {
        case 'focus-filter': document.getElementById(FILTER_INPUT_ID)?.focus(); break;
        case 'help': s.setOverlay('help'); break;
        case 'close':
          if (s.overlay) s.setOverlay(null);
          else if (isTyping(event.target)) (event.target as HTMLElement).blur();
          break;
        case 'pause': void togglePause(); break;
        case 'clear': void clear(); break;
        case 'inject': s.setSidePanel('inject'); break;
        case 'details': s.setSidePanel('details'); break;
        case 'breakpoints': s.setSidePanel('breakpoints'); break;
        case 'findings': s.setSidePanel('findings'); break;
        case 'follow': s.setFollowLive(true); break;
        case 'settings': s.setOverlay('settings'); break;
        case 'file': s.setOverlay('file'); break;
        case 'focus-commands':
          document.querySelector<HTMLElement>('.cmd-grid [role=row][tabindex="0"], .cmd-scroll')?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, togglePause, clear]);
}
