// Baseline pages for the UI bench, served from loopback: a blank page, and the same commands as a
// plain HTML table with every row in the DOM (no app, no virtualization), both painted by the same
// Chromium in the same run.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BaselineRow {
  time: string;
  direction: string;
  session: string;
  verb: string;
  trid: string;
  args: string;
}

// Fixed layout: an auto-layout table measures every row before painting (over a minute at 100k rows).
const STYLE = 'body{margin:0;font:13px system-ui,sans-serif}table{border-collapse:collapse;width:100%;table-layout:fixed}td{height:22px;padding:0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:40rem}';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function blankPage(): string {
  return `<!doctype html><meta charset="utf-8"><title>blank</title><style>${STYLE}</style><h1 id="last">MSN Gateway Inspector</h1>`;
}

export function tablePage(rows: readonly BaselineRow[]): string {
  const parts = [`<!doctype html><meta charset="utf-8"><title>table</title><style>${STYLE}</style><table><thead><tr><th>Time</th><th>Dir</th><th>Session</th><th>Verb</th><th>TrID</th><th>Arguments</th></tr></thead><tbody>`];
  for (const r of rows) parts.push(`<tr><td>${r.time}</td><td>${r.direction}</td><td>${r.session}</td><td>${escape(r.verb)}</td><td>${r.trid}</td><td>${escape(r.args)}</td></tr>`);
  parts.push('</tbody></table><div id="last"></div>');
  return parts.join('');
}

export interface BaselineServer {
  url(path: '/blank' | '/table'): string;
  close(): Promise<void>;
}

export async function startBaselineServer(pages: { blank: string; table: string }): Promise<BaselineServer> {
  const bodies = new Map([['/blank', Buffer.from(pages.blank)], ['/table', Buffer.from(pages.table)]]);
  const server: Server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
