// Virtual rows of one fixed height: which rows to render for a scroll element, computed from the
// scroll offset and the viewport height alone. With a fixed height nothing needs measuring, so
// rendering never reads layout; and following the newest row pins the window to the end from the
// row count, then writes the scroll offset once per change (no read-back).
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { flushSync } from 'react-dom';

/** Viewport height where layout reports none (a hidden panel, a DOM without layout in tests). */
export const FALLBACK_VIEWPORT = 600;

export interface FixedRowsOptions {
  count: number;
  rowHeight: number;
  overscan: number;
  /** Keep the last row in view as rows are added. */
  follow: boolean;
  /** Called on every scroll with whether the view is (nearly) at the end. */
  onScrolled(atEnd: boolean): void;
  /** How close to the end still counts as at the end. */
  endMargin: number;
}

export interface FixedRows {
  /** First and one past the last row to render. */
  start: number;
  end: number;
  totalHeight: number;
  onScroll(): void;
  /** Scrolls the least needed to show row `index`. */
  reveal(index: number): void;
}

export function useFixedRows(ref: RefObject<HTMLElement | null>, o: FixedRowsOptions): FixedRows {
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  // The scroll offset lives in a ref (scroll events and follow-live both move it); the state only
  // triggers a render when the first visible row changes.
  const [, setFirstRow] = useState(0);
  const offset = useRef(0);
  const written = useRef(-1);
  const totalHeight = o.count * o.rowHeight;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const size = (h: number) => setViewport(h > 0 ? h : FALLBACK_VIEWPORT);
    size(el.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => size(entries[entries.length - 1].contentRect.height));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);

  const visible = Math.ceil(viewport / o.rowHeight);
  const pinned = Math.max(0, totalHeight - viewport);
  const scrollTop = o.follow ? pinned : Math.min(offset.current, pinned);
  const first = Math.floor(scrollTop / o.rowHeight);
  const start = Math.max(0, first - o.overscan);
  const end = Math.min(o.count, first + visible + o.overscan);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !o.follow || written.current === pinned) return;
    written.current = pinned;
    offset.current = pinned;
    el.scrollTop = pinned;
  }, [ref, o.follow, pinned]);

  const { rowHeight, onScrolled, endMargin, count } = o;
  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const before = Math.floor(offset.current / rowHeight);
    const now = el.scrollTop;
    offset.current = now;
    written.current = now;
    onScrolled(now + viewport >= count * rowHeight - endMargin);
    // Re-render only when the first visible row changes, synchronously so the new rows are in the
    // frame that shows the new offset.
    const row = Math.floor(now / rowHeight);
    if (row !== before) flushSync(() => setFirstRow(row));
  }, [ref, viewport, count, rowHeight, endMargin, onScrolled]);

  const reveal = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      const rowTop = index * rowHeight;
      const current = offset.current;
      const next = rowTop < current ? rowTop : rowTop + rowHeight > current + viewport ? rowTop + rowHeight - viewport : current;
      if (next === current) return;
      offset.current = next;
      el.scrollTop = next;
      setFirstRow(Math.floor(next / rowHeight));
    },
    [ref, rowHeight, viewport],
  );

  return { start, end, totalHeight, onScroll, reveal };
}
