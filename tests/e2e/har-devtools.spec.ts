// Our HAR export, opened by Chromium's own DevTools HAR importer. Chromium started with
// --remote-debugging-port serves its bundled DevTools frontend at http://127.0.0.1:PORT/devtools/;
// the Network panel's "Import HAR file" (panels/network) does
//   Importer.requestsFromHARLog(new HARFormat.HARRoot(JSON.parse(text)).log)
// with the modules of /devtools/models/har/har.js. A page on that origin imports the same module
// and runs the same two calls on the HAR that `export run.ndjson --format har` wrote for a real
// run: an MSNP8 login, a switchboard chat with the echo bot in UTF-8, and a Latin-1 message (a body
// that is not UTF-8, so base64 in the HAR). Every entry must come back as a request with our URL,
// method, status, request body and response content.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../bench/lib/ui-chromium.ts';
import { LegacyClient } from '../harness/legacy-clients.ts';
import { startHeadless } from './lib/headless-handle.ts';
import { loginMsnp8 } from './lib/login.ts';
import { shot } from './lib/shots.ts';

interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}
// Loaded by path at run time, as headless-handle.ts loads the headless inspector (tsconfig.e2e.json
// would otherwise re-check Node-side modules with the DOM lib).
const CLI_MODULE = new URL('../../electron/headless/cli.ts', import.meta.url).href;
const READ_MODULE = new URL('../../electron/capture/read.ts', import.meta.url).href;
const HAR_EXPORT_MODULE = new URL('../../electron/capture/har.ts', import.meta.url).href;
const HAR_MODULE = '/devtools/models/har/har.js';

interface HarEntryJson {
  startedDateTime: string;
  request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: { text: string; _encoding?: string } };
  response: { status: number; statusText: string; headers: { name: string; value: string }[]; content: { mimeType: string; text?: string; encoding?: string } };
}

/** What DevTools made of one entry: the NetworkRequest's fields its Network panel shows. */
interface DevToolsRequest {
  url: string;
  method: string;
  status: number;
  statusText: string;
  postData: string | null;
  content: { text: string | null; base64: string | null; isTextContent: boolean } | { error: string };
  mimeType: string;
  requestHeaders: { name: string; value: string }[];
  responseHeaders: { name: string; value: string }[];
  resourceType: string;
  finished: boolean;
  failed: boolean;
}

const enc = new TextEncoder();
const LATIN1_TEXT = new Uint8Array([...enc.encode('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\ncaf'), 0xe9, 0x21]);
const UTF8_TEXT = 'héllo ☃ 😀 Здравствуй';

function msg(trid: number, payload: Uint8Array): Uint8Array {
  return new Uint8Array([...enc.encode(`MSG ${trid} N ${payload.length}\r\n`), ...payload]);
}

/** A real run through the gateway, written with --capture FILE and exported with the CLI. */
async function exportRealRun(dir: string): Promise<string> {
  const capture = join(dir, 'run.ndjson');
  const headless = await startHeadless({
    dataDir: join(dir, 'data'),
    gatewayPort: 0,
    nsPort: 0,
    sbPort: 0,
    capture,
    warn: () => {},
    emulator: { challenge: { enabled: false }, bot: { presenceIntervalMs: 0, replyDelayMs: 0 } },
  });
  const port = headless.addresses.gateway.port;
  const ns = new LegacyClient('msn-official', { port });
  const clients = [ns];
  try {
    await loginMsnp8(ns, headless.addresses.passport!.url, 'alice@example.com', 'alice');
    // Switchboards are refused while hidden (913): go online first.
    await ns.send('CHG 5 NLN 0\r\n');
    await ns.pollUntil('CHG 5 NLN');
    await ns.send('XFR 6 SB\r\n');
    await ns.pollUntil((t) => /XFR 6 SB \S+ CKI \S+\r\n/.test(t));
    const [, address, cookie] = /XFR 6 SB (\S+) CKI (\S+)\r\n/.exec(ns.receivedText())!;
    const sb = new LegacyClient('msn-official', { port, server: 'SB', ip: address.slice(0, address.lastIndexOf(':')) });
    clients.push(sb);
    await sb.open(`USR 1 alice@example.com ${cookie}\r\n`);
    await sb.pollUntil('USR 1 OK');
    await sb.send('CAL 2 echo@example.com\r\n');
    await sb.pollUntil('JOI echo@example.com');
    await sb.send(msg(3, enc.encode(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${UTF8_TEXT}`)));
    await sb.pollUntil((t) => (t.match(/MSG echo@example\.com/g) ?? []).length >= 1);
    await sb.send(msg(4, LATIN1_TEXT));
    await sb.pollUntil((t) => (t.match(/MSG echo@example\.com/g) ?? []).length >= 2);
  } finally {
    for (const c of clients) c.close();
    await headless.close();
  }
  const har = join(dir, 'run.har');
  const { main } = (await import(CLI_MODULE)) as { main(argv: string[], io: CliIo): Promise<number> };
  let err = '';
  const code = await main(['export', capture, '--format', 'har', '-o', har], { out: () => {}, err: (t) => void (err += t) });
  expect(code, err).toBe(0);
  return readFile(har, 'utf8');
}

/** Chromium with its DevTools HTTP endpoint on a free port; the port is in DevToolsActivePort. */
async function devtoolsBrowser(dir: string): Promise<{ context: BrowserContext; origin: string }> {
  const profile = join(dir, 'profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--remote-debugging-port=0'],
    headless: true,
    // Tall enough that the Network panel's grid renders a row for every request of the run.
    viewport: { width: 1600, height: 2400 },
  });
  const [port] = (await readFile(join(profile, 'DevToolsActivePort'), 'utf8')).split('\n');
  expect(port).toMatch(/^\d+$/);
  return { context, origin: `http://127.0.0.1:${port}` };
}

type ImportResult = { ok: true; requests: DevToolsRequest[] } | { ok: false; error: string };

/** Runs DevTools' HAR import on `text` in a page of the DevTools origin; what it made of each entry. */
async function importWithDevTools(page: Page, text: string): Promise<ImportResult> {
  return page.evaluate(
    async ({ text, moduleUrl }) => {
      const har = await import(moduleUrl);
      try {
        // Exactly what the Network panel's "Import HAR file" does with the file's text.
        const root = new har.HARFormat.HARRoot(JSON.parse(text));
        const requests = har.Importer.Importer.requestsFromHARLog(root.log);
        const out = [];
        for (const r of requests) {
          let content;
          try {
            const data = await r.requestContentData();
            const read = (get: () => string) => {
              try {
                return get();
              } catch {
                return null; // ContentData refuses base64 of text content, and text of binary content
              }
            };
            content = 'error' in data ? { error: String(data.error) } : { text: read(() => data.text), base64: read(() => data.base64), isTextContent: data.isTextContent };
          } catch (e) {
            content = { error: String(e) };
          }
          out.push({
            url: r.url(),
            method: r.requestMethod,
            status: r.statusCode,
            statusText: r.statusText,
            postData: await r.requestFormData(),
            content,
            mimeType: r.mimeType,
            requestHeaders: r.requestHeaders().map((h: { name: string; value: string }) => ({ name: h.name, value: h.value })),
            responseHeaders: r.responseHeaders.map((h: { name: string; value: string }) => ({ name: h.name, value: h.value })),
            resourceType: r.resourceType().name(),
            finished: r.finished,
            failed: r.failed,
          });
        }
        return { ok: true as const, requests: out };
      } catch (e) {
        return { ok: false as const, error: String((e as Error).stack ?? e) };
      }
    },
    { text, moduleUrl: `${origin}${HAR_MODULE}` },
  );
}

let dir: string;
let harText: string;
let harFile: string;
let context: BrowserContext;
let origin: string;
/** Why this Chromium cannot import a HAR with its own DevTools code, or null when it can. */
let noFrontend: string | null = null;

// One real run and one browser for both tests.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(60_000);
  dir = await mkdtemp(join(tmpdir(), 'e2e-har-devtools-'));
  harText = await exportRealRun(dir);
  harFile = join(dir, 'run.har');
  ({ context, origin } = await devtoolsBrowser(dir));
  const probe = await context.request.get(`${origin}${HAR_MODULE}`);
  if (probe.status() !== 200 || !(await probe.text()).includes('requestsFromHARLog')) {
    noFrontend = `${CHROMIUM_PATH} serves no bundled DevTools frontend: GET ${HAR_MODULE} on its --remote-debugging-port answered ${probe.status()} without the HAR importer (a build that loads DevTools from the network); nothing local to import the HAR with`;
  }
});

test.afterAll(async () => {
  await context?.close();
  await rm(dir, { recursive: true, force: true });
});

test('Chromium DevTools imports our HAR: every entry a request with our URL, method, status, bodies', async () => {
  const har = JSON.parse(harText) as { log: { entries: HarEntryJson[] } };
  const entries = har.log.entries;
  // The run's HAR holds what the checks below are about.
  expect(entries.length).toBeGreaterThanOrEqual(10);
  const posted = entries.map((e) => e.request.postData);
  expect(posted.some((p) => p?.text.includes(UTF8_TEXT))).toBe(true);
  expect(posted.some((p) => p?._encoding === 'base64' && Buffer.from(p.text, 'base64').includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x21])))).toBe(true);
  expect(entries.some((e) => e.response.content.encoding === 'base64')).toBe(true);
  expect(entries.some((e) => e.response.content.text?.includes(UTF8_TEXT))).toBe(true);
  expect(new Set(entries.map((e) => new URL(e.request.url).searchParams.get('Server') ?? 'poll'))).toEqual(new Set(['NS', 'SB', 'poll']));

  test.skip(noFrontend !== null, noFrontend ?? '');

  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Any document on the DevTools origin may import the frontend's modules.
  await page.goto(`${origin}/json/version`);
  const result = await importWithDevTools(page, harText);
  expect(result.ok ? '' : result.error).toBe('');
  expect(pageErrors).toEqual([]);
  const requests = result.ok ? result.requests : [];

  // DevTools lists entries by startedDateTime (a stable sort); so does this.
  const expected = [...entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
  expect(requests).toHaveLength(expected.length);
  for (const [i, entry] of expected.entries()) {
    const r = requests[i];
    const where = `entry ${i}: ${entry.request.method} ${entry.request.url}`;
    expect(r.url, where).toBe(entry.request.url);
    expect(r.method, where).toBe(entry.request.method);
    expect(r.status, where).toBe(entry.response.status);
    expect(r.statusText, where).toBe(entry.response.statusText);
    expect(r.finished && !r.failed, where).toBe(true);
    expect(r.postData, where).toBe(entry.request.postData ? entry.request.postData.text : null);
    expect(r.requestHeaders, where).toEqual(entry.request.headers);
    expect(r.responseHeaders, where).toEqual(entry.response.headers);
    expect(r.mimeType, where).toBe(entry.response.content.mimeType);
    expect(r.resourceType, where).toBe('other');
    const text = entry.response.content.text ?? '';
    if (entry.response.content.encoding === 'base64') {
      // Shown as binary: the bytes DevTools holds are the body's bytes exactly.
      expect(r.content, where).toMatchObject({ base64: text, isTextContent: false });
    } else {
      expect(r.content, where).toMatchObject({ text, isTextContent: true });
    }
  }
  // The chat is there as DevTools shows it: the UTF-8 message in a request body and the echo in a
  // response; the Latin-1 echo as bytes.
  expect(requests.some((r) => r.postData?.includes(UTF8_TEXT))).toBe(true);
  expect(requests.some((r) => 'text' in r.content && r.content.text?.includes(`MSG echo@example.com`) && r.content.text.includes(UTF8_TEXT))).toBe(true);
  const latin1Echo = requests.find((r) => 'base64' in r.content && r.content.base64 !== null && !r.content.isTextContent);
  expect(latin1Echo).toBeDefined();
  expect(Buffer.from((latin1Echo!.content as { base64: string }).base64, 'base64').includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x21]))).toBe(true);

  // An exchange the gateway never answered (the capture ended first) is status 0 in our HAR.
  const { readAllEvents } = (await import(READ_MODULE)) as { readAllEvents(path: string): Promise<{ events: { type: string }[] }> };
  const { toHar } = (await import(HAR_EXPORT_MODULE)) as { toHar(events: unknown[]): { log: { entries: (HarEntryJson & { _msn?: { unanswered?: true } })[] } } };
  const { events } = await readAllEvents(join(dir, 'run.ndjson'));
  const lastAnswer = events.findLastIndex((e) => e.type === 'http-response');
  const cut = toHar(events.filter((_, i) => i !== lastAnswer));
  const unanswered = cut.log.entries.filter((e) => e._msn?.unanswered);
  expect(unanswered).toHaveLength(1);
  const cutResult = await importWithDevTools(page, JSON.stringify(cut));
  expect(cutResult.ok ? '' : cutResult.error).toBe('');
  const shown = (cutResult.ok ? cutResult.requests : []).filter((r) => r.url === unanswered[0].request.url);
  expect(shown).toEqual([expect.objectContaining({ status: 0, method: 'POST', postData: unanswered[0].request.postData?.text ?? null })]);
  expect(pageErrors).toEqual([]);
});

/** How the Network panel's Name column starts for a URL: last path segment and query, then host and folder. */
function nameCell(url: string): string {
  const u = new URL(url);
  const folder = u.pathname.slice(0, u.pathname.lastIndexOf('/'));
  return `${u.pathname.slice(folder.length + 1)}${u.search}${u.host}${folder}`;
}

test('the Network panel of Chromium DevTools shows our HAR after "Import HAR file"', async () => {
  test.skip(noFrontend !== null, noFrontend ?? '');
  const entries = (JSON.parse(harText) as { log: { entries: HarEntryJson[] } }).log.entries;
  const sorted = [...entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));

  // The page DevTools inspects, found again in the endpoint's target list by its title.
  const inspected = await context.newPage();
  await inspected.goto('data:text/html,<title>har-import-target</title>');
  const targets = (await (await context.request.get(`${origin}/json/list`)).json()) as { id: string; type: string; title: string }[];
  const target = targets.find((t) => t.type === 'page' && t.title === 'har-import-target');
  expect(target).toBeDefined();

  const devtools = await context.newPage();
  const pageErrors: string[] = [];
  devtools.on('pageerror', (e) => pageErrors.push(e.message));
  // DevTools keeps its settings in the origin's localStorage: open on the Network panel, and
  // without the headless screencast of the inspected page (it would take most of the width).
  await devtools.goto(`${origin}/json/version`);
  await devtools.evaluate(() => {
    localStorage.setItem('panel-selected-tab', '"network"');
    localStorage.setItem('screencast-enabled', 'false');
  });
  const host = origin.slice('http://'.length);
  await devtools.goto(`${origin}/devtools/inspector.html?ws=${host}/devtools/page/${target!.id}`);
  await expect(devtools.getByRole('tab', { name: 'Network' })).toHaveAttribute('aria-selected', 'true');
  // The panel's "Import HAR file" button opens this input; its change handler reads the file.
  const input = devtools.locator('input[type=file]');
  await expect(input).toHaveCount(1);
  await input.setInputFiles(harFile);
  await expect(devtools.getByText(`${entries.length} requests`, { exact: true })).toBeVisible();

  const rows = devtools.getByRole('row');
  await expect(rows).toHaveCount(entries.length + 1); // and the header row
  const texts = (await rows.allTextContents()).slice(1);
  for (const [i, entry] of sorted.entries()) {
    // Name, Status, Type (for resource type "other", the media subtype), Initiator.
    const subtype = entry.response.content.mimeType.split(';')[0].split('/').at(-1)!;
    const cells = `${nameCell(entry.request.url)}${entry.response.status}${entry.response.statusText}${subtype}Other`;
    expect(texts[i], `row ${i}`).toMatch(new RegExp(`^${escapeRe(cells)}`));
  }
  await shot(devtools, 'devtools-har-import');

  // The UTF-8 message the client sent: the Payload tab shows the request body.
  const sent = sorted.findIndex((e) => e.request.postData?.text.includes(UTF8_TEXT));
  // A click on the Name cell opens the request's details.
  await rows.nth(sent + 1).locator('td.name-column').click();
  await devtools.getByRole('tab', { name: 'Payload' }).click();
  await expect(devtools.getByText('Request payload')).toBeVisible();
  await expect(devtools.getByText(UTF8_TEXT).first()).toBeVisible();
  await expect(devtools.getByText(`MSG 3 N ${enc.encode(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${UTF8_TEXT}`).length}`).first()).toBeVisible();
  await shot(devtools, 'devtools-har-import-payload');
  // The echo the bot sent back: the Response tab shows the response body.
  const echoed = sorted.findIndex((e) => e.response.content.encoding === undefined && e.response.content.text?.includes('MSG echo@example.com') && e.response.content.text.includes(UTF8_TEXT));
  await rows.nth(echoed + 1).locator('td.name-column').click();
  await devtools.getByRole('tab', { name: 'Response' }).click();
  await expect(devtools.getByText(/^MSG echo@example\.com /).first()).toBeVisible();
  await expect(devtools.getByText(UTF8_TEXT).first()).toBeVisible();
  await shot(devtools, 'devtools-har-import-response');
  expect(pageErrors).toEqual([]);
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
