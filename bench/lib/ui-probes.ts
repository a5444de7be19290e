// In-page measurement helpers for the UI bench, installed with addInitScript. Kept as plain
// JavaScript text: it runs in Chromium, and the Node-side tsconfig has no DOM types.
//
// window.__uiBench:
//   ready(kind, arg)        resolves { readyMs, paintedMs, ... }: performance.now() (ms since navigation
//                           start) when the condition first holds ('views' with arg = commands
//                           expected, 'loaded' = 'views' and no older commands still loading in the
//                           background, 'empty', 'marker'), and after the next frame has painted
//   filter(text)            sets the Filter box like typing does and resolves the ms from the input
//                           event to the next painted frame, with the counter text shown then
//   scroll(selector, steps, px)  scrolls an element by px once per frame; frame and task stats
//   observe(ms)             records frames, long tasks and event-loop lag for a while (no input)
//   longTasks()             every long task seen since the page started (ms each)
export const UI_PROBES = String.raw`
(() => {
  const longTasks = [];
  const lafs = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) lafs.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const between = (list, from, to) => list.filter((t) => t.start >= from && t.start < to).map((t) => t.duration);

  function frameStats(times) {
    const gaps = [];
    for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
    gaps.sort((a, b) => a - b);
    const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
    const pick = (p) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.ceil((p / 100) * gaps.length) - 1)] : 0);
    return { frames: times.length, fps: span > 0 ? ((times.length - 1) * 1000) / span : 0, frameP50Ms: pick(50), frameP95Ms: pick(95), frameMaxMs: gaps.length ? gaps[gaps.length - 1] : 0 };
  }

  function windowStats(from, to) {
    const tasks = between(longTasks, from, to);
    const frames = between(lafs, from, to);
    return { longTasks: tasks.length, longestTaskMs: tasks.length ? Math.max(...tasks) : 0, longAnimationFrames: frames.length, longestAnimationFrameMs: frames.length ? Math.max(...frames) : 0 };
  }

  window.__uiBench = {
    async ready(kind, arg, timeoutMs = 60000) {
      // No new Function: the inspector page's CSP forbids eval.
      const counterText = () => { const c = document.querySelector('section[aria-label="Commands"] .panel-bar [aria-live]'); return c ? c.textContent : null; };
      const conditions = {
        // The views show the loaded capture: the counter has every command and rows are drawn.
        views: () => counterText() === String(arg) && document.querySelector('[data-command-id]') !== null && document.querySelector('section[aria-label="Sessions"] [aria-level]') !== null,
        // The views, with every command in the window: the grid no longer says it is busy loading.
        loaded: () => conditions.views() && document.querySelector('section[aria-label="Commands"] [aria-busy="true"]') === null,
        // The empty state, connected (the status bar knows the gateway).
        empty: () => document.querySelector('.empty-state h1') !== null && /Gateway 127\.0\.0\.1:\d+/.test(document.querySelector('footer.status-bar')?.textContent ?? ''),
        // A static page: its last element is in the DOM.
        marker: () => document.getElementById('last') !== null,
      };
      const condition = conditions[kind];
      const deadline = performance.now() + timeoutMs;
      await new Promise((resolve, reject) => {
        let done = false;
        const check = () => {
          if (done) return true;
          let ok = false;
          try { ok = Boolean(condition()); } catch {}
          if (ok || performance.now() > deadline) {
            done = true;
            observer.disconnect();
            if (ok) resolve(); else reject(new Error('never ready: ' + kind + ' ' + arg + ' (counter ' + counterText() + ')'));
          }
          return done;
        };
        const observer = new MutationObserver(() => { check(); });
        if (!check()) observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        const poll = () => { if (!check()) setTimeout(poll, 50); };
        setTimeout(poll, 50);
      });
      const readyMs = performance.now();
      await afterPaint();
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { readyMs, paintedMs: performance.now(), firstContentfulPaintMs: fcp ? fcp.startTime : null, heapMb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null, ...windowStats(0, performance.now()) };
    },

    async filter(text) {
      const input = document.getElementById('filter-input');
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      await afterPaint();
      const t0 = performance.now();
      setter.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await afterPaint();
      const ms = performance.now() - t0;
      const counter = document.querySelector('section[aria-label="Commands"] .panel-bar [aria-live]');
      return { text, ms, shown: counter ? counter.textContent : null, rows: document.querySelectorAll('[data-command-id]').length, ...windowStats(t0, t0 + ms) };
    },

    async scroll(selector, steps, px) {
      const el = selector === 'document' ? document.scrollingElement : document.querySelector(selector);
      el.scrollTop = 0;
      await afterPaint();
      await afterPaint();
      const times = [];
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) {
        times.push(await frame());
        el.scrollTop += px;
      }
      times.push(await frame());
      await afterPaint();
      const t1 = performance.now();
      return { steps, px, scrolledPx: el.scrollTop, scrollHeight: el.scrollHeight, durationMs: t1 - t0, ...frameStats(times), ...windowStats(t0, t1) };
    },

    async observe(ms, counterSelector) {
      const times = [];
      const lags = [];
      const counterChanges = [];
      const counter = counterSelector ? document.querySelector(counterSelector) : null;
      // Each change is stamped with the animation frame it happened in (document.timeline's time is
      // that frame's time, the same value rAF callbacks get), not with performance.now(): a frame
      // whose callbacks run late, after a long task, has a timestamp earlier than its callbacks, so
      // comparing wall-clock change times with frame timestamps put one frame's update in the next.
      const frameTime = () => (document.timeline && document.timeline.currentTime !== null ? document.timeline.currentTime : null);
      const mo = counter ? new MutationObserver(() => counterChanges.push({ now: performance.now(), frame: frameTime() })) : null;
      if (mo) mo.observe(counter, { subtree: true, childList: true, characterData: true });
      const t0 = performance.now();
      let expected = t0 + 50;
      const lagTimer = setInterval(() => { const now = performance.now(); lags.push(Math.max(0, now - expected)); expected = now + 50; }, 50);
      while (performance.now() - t0 < ms) times.push(await frame());
      clearInterval(lagTimer);
      if (mo) mo.disconnect();
      const t1 = performance.now();
      // Counter updates per frame: the store applies batches once per animation frame.
      // Changes stamped with the same frame time happened between the same two frame starts; that
      // over-counts (a change in a frame's callbacks and one in a task after its paint share a
      // stamp), never under-counts.
      let maxPerFrame = 0;
      if (counterChanges.every((c) => c.frame !== null)) {
        const perFrame = new Map();
        for (const c of counterChanges) perFrame.set(c.frame, (perFrame.get(c.frame) || 0) + 1);
        for (const n of perFrame.values()) if (n > maxPerFrame) maxPerFrame = n;
      } else {
        for (let i = 1; i < times.length; i++) {
          const n = counterChanges.filter((c) => c.now > times[i - 1] && c.now <= times[i]).length;
          if (n > maxPerFrame) maxPerFrame = n;
        }
      }
      lags.sort((a, b) => a - b);
      return { durationMs: t1 - t0, ...frameStats(times), ...windowStats(t0, t1), eventLoopLagMaxMs: lags.length ? lags[lags.length - 1] : 0, counterUpdates: counterChanges.length, counterUpdatesMaxPerFrame: maxPerFrame, shown: counter ? counter.textContent : null };
    },

    longTasks() { return longTasks.map((t) => t.duration); },
  };
})();
`;
