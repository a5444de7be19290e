// The virtualizer measures its scroll element; where layout reports no size (a hidden panel, a DOM
// without layout in tests) it would render nothing, so a zero measurement falls back to a default.
import { observeElementRect } from '@tanstack/react-virtual';
import type { Virtualizer } from '@tanstack/react-virtual';

export const FALLBACK_RECT = { width: 1000, height: 600 };

export function observeRectWithFallback(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: { width: number; height: number }) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT));
}
