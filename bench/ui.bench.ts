// `npm run bench:ui`: the inspector window in Debian's Chromium through Playwright, with 100,000
// commands that went through the real gateway (scripted MSN Messenger 6 clients against the
// emulator, in this process). Measures, each beside a baseline from the same run:
//   1. first paint of the views with the capture loaded (goal < 1 s); baselines: our UI's empty
//      state, a blank static page, the same commands as a plain static table; and when every
//      command is in the window (older ones load in the background after the first paint);
//   2. a filter applied, input to painted frame (goal < 150 ms), once every command is loaded;
//      baseline: the same filters on a 9-command capture;
//   3. scrolling the grid one step per frame (goal: no main-thread task over 50 ms); baseline: the
//      plain table scrolled the same way;
//   4. live ingest at 2,000 commands/s (window responsive, updates once per frame); baseline: the
//      same window idle.
// Prints a markdown table and writes reports/bench-ui.json. Needs `npm run build` first.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startHeadless } from '../electron/headless/headless.ts';
import type { Headless } from '../electron/headless/headless.ts';
import type { LegacyClient } from '../tests/harness/legacy-clients.ts';
import { blankPage, startBaselineServer, tablePage } from './lib/ui-baseline.ts';
import type { BaselineRow } from './lib/ui-baseline.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/ui-chromium.ts';
import { UI_PROBES } from './lib/ui-probes.ts';
import { flag } from './lib/table.ts';
import { paceCommands, sendCommands, signedInClient } from './lib/ui-traffic.ts';
import { printReport } from './lib/ui-report.ts';
import type { Figure } from './lib/ui-report.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = {
  commands: flag('commands', 100_000),
  clients: flag('clients', 4),
  ingestRate: flag('ingest-rate', 2000),
  ingestSeconds: flag('ingest-seconds', 5),
  runs: flag('runs', 3),
  scrollSteps: flag('scroll-steps', 300),
  scrollPx: flag('scroll-px', 2000),
  // The plain table repaints slowly (hundreds of ms a frame): fewer frames of the same step.
  tableScrollSteps: flag('table-scroll-steps', 20),
  out: flag('out', join(ROOT, 'reports', 'bench-ui.json')),
};
const VIEWPORT = { width: 1400, height: 900 };
const FILTERS = ['verb:CHG', 'dir:server', 'error', 'nobody4242', '-verb:URL', 'verb:CVR dir:client', 'user:bob', ''];
// One keystroke at a time, each a new filter over every command.
const TYPED = ['n', 'no', 'nob', 'nobo', 'nobod', 'nobody', 'nobody1', 'nobody12', 'nobody123', ''];

type Probe = Record<string, number | string | null>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const max = (xs: number[]) => Math.max(...xs);

async function instance(name: string, emulatorOpen: boolean): Promise<{ headless: Headless; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), `bench-ui-${name}-`));
  const headless = await startHeadless({
    dataDir: dir,
    gatewayPort: 0,
    nsPort: 0,
    sbPort: 0,
    capture: false,
    emulatorOpen,
    warn: (m) => process.stderr.write(`[${name}] ${m}\n`),
    emulator: { challenge: { enabled: false }, bot: { presenceIntervalMs: 0, replyDelayMs: 0 } },
  });
  return { headless, dir };
}

async function totalCommands(h: Headless): Promise<number> {
  return (await h.api.call('status.get', {})).counts.commands;
}

/** Loads `url` in a fresh page and waits for `kind`; the page stays open for more probes. */
type ReadyKind = 'views' | 'loaded' | 'empty' | 'marker';

async function load(context: BrowserContext, url: string, kind: ReadyKind, arg: string | number = ''): Promise<{ page: Page; probe: Probe }> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  // A plain 100k-row table takes tens of seconds to lay out with software rendering.
  const timeoutMs = kind === 'marker' ? 300_000 : 60_000;
  const probe = (await page.evaluate(([k, a, t]) => (globalThis as unknown as { __uiBench: { ready(k: string, a: string | number, t: number): Promise<Probe> } }).__uiBench.ready(k, a, t), [kind, arg, timeoutMs] as const)) as Probe;
  return { page, probe };
}

async function loadRuns(context: BrowserContext, url: string, kind: ReadyKind, arg: string | number, runs: number): Promise<Probe[]> {
  const out: Probe[] = [];
  for (let i = 0; i < runs; i++) {
    const { page, probe } = await load(context, url, kind, arg);
    out.push(probe);
    await page.close();
  }
  return out;
}

function call<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([m, a]) => {
    const bench = (globalThis as unknown as { __uiBench: Record<string, (...x: unknown[]) => unknown> }).__uiBench;
    return bench[m as string](...(a as unknown[]));
  }, [method, args] as const) as Promise<T>;
}

async function filters(page: Page, list: readonly string[]): Promise<Probe[]> {
  const out: Probe[] = [];
  for (const text of list) out.push(await call<Probe>(page, 'filter', text));
  return out;
}

async function tableRows(h: Headless): Promise<BaselineRow[]> {
  const rows: BaselineRow[] = [];
  const sessions = new Map((await h.api.call('sessions.list', {})).map((s) => [s.id, s.server]));
  for (let offset = 0; ; offset += 5000) {
    const page = await h.api.call('commands.query', { offset, limit: 5000 });
    for (const c of page.items) {
      rows.push({
        time: new Date(c.time).toISOString().slice(11, 23),
        direction: c.direction === 'client' ? 'C→S' : 'S→C',
        session: `${sessions.get(c.sessionId) ?? ''} ${c.sessionId}`,
        verb: c.verb ?? 'bad',
        trid: c.trid === null ? '' : String(c.trid),
        args: c.args.join(' '),
      });
    }
    if (page.items.length === 0 || offset + page.items.length >= page.total) break;
  }
  return rows;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    process.stderr.write('out/renderer is missing: run `npm run build` first (npm run bench:ui does).\n');
    process.exit(1);
  }
  const started = Date.now();
  const log = (m: string) => process.stderr.write(`[bench:ui +${((Date.now() - started) / 1000).toFixed(1)}s] ${m}\n`);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript(UI_PROBES);
  const cleanup: (() => Promise<unknown>)[] = [() => browser.close()];
  const clients: LegacyClient[] = [];
  try {
    // Baseline instance: the empty state, then one login (9 commands).
    const small = await instance('small', false);
    cleanup.push(() => rm(small.dir, { recursive: true, force: true }), () => small.headless.close());
    const smallUrl = small.headless.addresses.inspector.url;
    log('empty-state loads');
    const emptyLoads = await loadRuns(context, smallUrl, 'empty', '', config.runs);
    const smallTarget = { gatewayPort: small.headless.addresses.gateway.port, passportUrl: small.headless.addresses.passport!.url };
    clients.push(await signedInClient(smallTarget));
    const smallCount = await totalCommands(small.headless);
    log(`small capture: ${smallCount} commands`);
    const smallLoads = await loadRuns(context, smallUrl, 'views', smallCount, config.runs);
    const smallPage = await load(context, smallUrl, 'views', smallCount);
    const smallFilters = await filters(smallPage.page, [...FILTERS, ...TYPED]);
    await smallPage.page.close();

    // The 100k capture, through the gateway.
    const big = await instance('big', true);
    cleanup.push(() => rm(big.dir, { recursive: true, force: true }), () => big.headless.close());
    const bigTarget = { gatewayPort: big.headless.addresses.gateway.port, passportUrl: big.headless.addresses.passport!.url };
    const handles = ['alice@example.com', 'bob@example.com', ...Array.from({ length: Math.max(0, config.clients - 2) }, (_, i) => `user${i + 3}@example.com`)].slice(0, config.clients);
    const bigClients = await Promise.all(handles.map((h) => signedInClient(bigTarget, h, h.split('@')[0])));
    clients.push(...bigClients);
    log(`generating ${config.commands} commands through the gateway with ${bigClients.length} clients`);
    const genStart = performance.now();
    const perClient = Math.ceil((config.commands - (await totalCommands(big.headless))) / 2 / bigClients.length);
    const nextTrid = await Promise.all(bigClients.map((c) => sendCommands(c, 10, perClient)));
    for (let i = 0; i < 100 && (await totalCommands(big.headless)) < config.commands; i++) await Promise.all(bigClients.map((c) => c.poll()));
    const bigCount = await totalCommands(big.headless);
    const generationMs = performance.now() - genStart;
    log(`${bigCount} commands in ${(generationMs / 1000).toFixed(1)} s`);

    log('views loads with the big capture');
    const bigUrl = big.headless.addresses.inspector.url;
    const bigLoads = await loadRuns(context, bigUrl, 'views', bigCount, config.runs);

    log('static baselines');
    const baseline = await startBaselineServer({ blank: blankPage(), table: tablePage(await tableRows(big.headless)) });
    cleanup.push(() => baseline.close());
    const blankLoads = await loadRuns(context, baseline.url('/blank'), 'marker', '', config.runs);
    const tableLoad = await load(context, baseline.url('/table'), 'marker');
    const tableScroll = await call<Probe>(tableLoad.page, 'scroll', 'document', Math.min(config.scrollSteps, config.tableScrollSteps), config.scrollPx);
    await tableLoad.page.close();

    log('filter and scroll with the big capture');
    // Filtering and scrolling are measured over every command: wait for the background load.
    const bigPage = await load(context, bigUrl, 'loaded', bigCount);
    const page = bigPage.page;
    const bigFilters = await filters(page, [...FILTERS, ...TYPED]);
    const gridScroll = await call<Probe>(page, 'scroll', '.cmd-scroll', config.scrollSteps, config.scrollPx);

    log(`live ingest at ${config.ingestRate} commands/s for ${config.ingestSeconds} s`);
    await page.keyboard.press('End');
    const counterSelector = 'section[aria-label="Commands"] .panel-bar [aria-live]';
    const idle = await call<Probe>(page, 'observe', config.ingestSeconds * 1000, counterSelector);
    const before = await totalCommands(big.headless);
    const observed = call<Probe>(page, 'observe', config.ingestSeconds * 1000, counterSelector);
    const ingestStart = performance.now();
    const sentByClients = await paceCommands(bigClients, config.ingestRate, config.ingestSeconds * 1000, Math.max(...nextTrid) + 1);
    const ingestMs = performance.now() - ingestStart;
    const ingest = await observed;
    await Promise.all(bigClients.map((c) => c.poll()));
    const after = await totalCommands(big.headless);
    // The window catches up: its counter reaches the core's count.
    const catchStart = performance.now();
    await page.waitForFunction(([sel, n]) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(sel)?.textContent === String(n), [counterSelector, after] as const, { timeout: 30_000, polling: 'raf' });
    const catchUpMs = performance.now() - catchStart;
    const achievedRate = ((after - before) * 1000) / ingestMs;
    log(`ingest: ${after - before} commands (${sentByClients} sent by clients) in ${(ingestMs / 1000).toFixed(1)} s`);

    const filterMs = (list: Probe[]) => list.map((f) => Number(f.ms));
    const longest = (list: Probe[]) => max(list.map((f) => Number(f.longestTaskMs)));
    const figures: Figure[] = [
      { measure: `first paint of the views, ${bigCount} commands (median of ${config.runs})`, goal: '< 1000 ms', value: median(bigLoads.map((p) => Number(p.paintedMs))), unit: 'ms', ok: median(bigLoads.map((p) => Number(p.paintedMs))) < 1000, baseline: median(emptyLoads.map((p) => Number(p.paintedMs))), baselineIs: 'our UI, empty state' },
      { measure: `first paint of the views, ${smallCount} commands`, goal: '', value: median(smallLoads.map((p) => Number(p.paintedMs))), unit: 'ms', baseline: median(blankLoads.map((p) => Number(p.paintedMs))), baselineIs: 'blank static page' },
      { measure: 'first contentful paint (window shell), big capture', goal: '', value: median(bigLoads.map((p) => Number(p.firstContentfulPaintMs))), unit: 'ms', baseline: Number(tableLoad.probe.firstContentfulPaintMs), baselineIs: `plain ${bigCount}-row static table, first rows` },
      { measure: 'first paint of the views, big capture (as above)', goal: '', value: median(bigLoads.map((p) => Number(p.paintedMs))), unit: 'ms', baseline: Number(tableLoad.probe.paintedMs), baselineIs: `plain ${bigCount}-row static table, all rows` },
      { measure: `every command in the window (loaded in the background)`, goal: '', value: Number(bigPage.probe.paintedMs), unit: 'ms', baseline: median(bigLoads.map((p) => Number(p.paintedMs))), baselineIs: 'first paint of the views (as above)' },
      { measure: 'JS heap after loading the big capture', goal: '', value: Number(bigPage.probe.heapMb), unit: 'MB', baseline: median(smallLoads.map((p) => Number(p.heapMb))), baselineIs: `our UI, ${smallCount} commands` },
      { measure: 'filter applied, input to painted frame (median)', goal: '< 150 ms', value: median(filterMs(bigFilters)), unit: 'ms', ok: max(filterMs(bigFilters)) < 150, baseline: median(filterMs(smallFilters)), baselineIs: `same filters, ${smallCount} commands` },
      { measure: `filter applied (max of ${bigFilters.length})`, goal: '< 150 ms', value: max(filterMs(bigFilters)), unit: 'ms', ok: max(filterMs(bigFilters)) < 150, baseline: max(filterMs(smallFilters)), baselineIs: `same filters, ${smallCount} commands` },
      { measure: 'longest main-thread task while filtering', goal: '', value: longest(bigFilters), unit: 'ms', baseline: longest(smallFilters), baselineIs: `same filters, ${smallCount} commands` },
      { measure: `scrolling ${config.scrollSteps} frames x ${config.scrollPx} px: longest task`, goal: '<= 50 ms', value: Number(gridScroll.longestTaskMs), unit: 'ms', ok: Number(gridScroll.longTasks) === 0, baseline: Number(tableScroll.longestTaskMs), baselineIs: `plain static table (${Math.min(config.scrollSteps, config.tableScrollSteps)} frames)` },
      { measure: `scrolling (${config.scrollSteps} frames): tasks over 50 ms`, goal: '0', value: Number(gridScroll.longTasks), unit: '', ok: Number(gridScroll.longTasks) === 0, baseline: Number(tableScroll.longTasks), baselineIs: `plain static table (${Math.min(config.scrollSteps, config.tableScrollSteps)} frames)` },
      { measure: 'scrolling: frame interval p95', goal: '', value: Number(gridScroll.frameP95Ms), unit: 'ms', baseline: Number(tableScroll.frameP95Ms), baselineIs: `plain static table (${Math.min(config.scrollSteps, config.tableScrollSteps)} frames)` },
      { measure: 'scrolling: longest frame', goal: '', value: Number(gridScroll.frameMaxMs), unit: 'ms', baseline: Number(tableScroll.frameMaxMs), baselineIs: `plain static table (${Math.min(config.scrollSteps, config.tableScrollSteps)} frames)` },
      { measure: `live ingest: commands/s achieved (target ${config.ingestRate})`, goal: `>= ${config.ingestRate * 0.9}`, value: achievedRate, unit: '/s', ok: achievedRate >= config.ingestRate * 0.9, baseline: 0, baselineIs: 'idle window' },
      { measure: 'live ingest: frames per second', goal: '', value: Number(ingest.fps), unit: 'fps', baseline: Number(idle.fps), baselineIs: 'idle window' },
      { measure: 'live ingest: longest frame', goal: '', value: Number(ingest.frameMaxMs), unit: 'ms', baseline: Number(idle.frameMaxMs), baselineIs: 'idle window' },
      { measure: 'live ingest: tasks over 50 ms', goal: '0', value: Number(ingest.longTasks), unit: '', ok: Number(ingest.longTasks) === 0, baseline: Number(idle.longTasks), baselineIs: 'idle window' },
      { measure: 'live ingest: longest task', goal: '<= 50 ms', value: Number(ingest.longestTaskMs), unit: 'ms', ok: Number(ingest.longestTaskMs) <= 50, baseline: Number(idle.longestTaskMs), baselineIs: 'idle window' },
      { measure: 'live ingest: event-loop lag, max', goal: '< 50 ms', value: Number(ingest.eventLoopLagMaxMs), unit: 'ms', ok: Number(ingest.eventLoopLagMaxMs) < 50, baseline: Number(idle.eventLoopLagMaxMs), baselineIs: 'idle window' },
      { measure: 'live ingest: counter updates per frame, max', goal: '<= 1', value: Number(ingest.counterUpdatesMaxPerFrame), unit: '', ok: Number(ingest.counterUpdatesMaxPerFrame) <= 1, baseline: Number(idle.counterUpdatesMaxPerFrame), baselineIs: 'idle window' },
      { measure: 'live ingest: catch-up after the last command', goal: '', value: catchUpMs, unit: 'ms', baseline: 0, baselineIs: '' },
    ];
    const report = {
      generatedAt: new Date().toISOString(),
      chromium: browser.version(),
      node: process.version,
      config,
      viewport: VIEWPORT,
      capture: { commands: bigCount, sessions: (await big.headless.api.call('sessions.list', {})).length, generationMs, smallCommands: smallCount },
      figures,
      raw: { emptyLoads, smallLoads, bigLoads, bigLoaded: bigPage.probe, blankLoads, tableLoad: tableLoad.probe, smallFilters, bigFilters, gridScroll, tableScroll, idle, ingest: { ...ingest, sentByClients, before, after, ingestMs, achievedRate, catchUpMs } },
    };
    mkdirSync(dirname(config.out), { recursive: true });
    writeFileSync(config.out, `${JSON.stringify(report, null, 2)}\n`);
    printReport(report.chromium, bigCount, figures, config.out);
  } finally {
    for (const c of clients) c.close();
    for (const step of cleanup.reverse()) await step().catch(() => {});
  }
}

await main();
