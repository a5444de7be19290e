// Serves the built renderer (out/renderer) to the browser, and nothing outside it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { COMMON_HEADERS, contentSecurityPolicy } from './security.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Renderer assets are small; anything bigger is not ours to serve from memory. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    ...extra,
  });
  res.end(body);
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MSN Gateway Inspector</title></head>
<body><h1>MSN Gateway Inspector</h1>
<p>The browser UI has not been built. Run <code>npm run build</code>, then reload this page
(or start with <code>npm run headless</code>, which builds first). The gateway and the API are running.</p>
</body></html>
`;

/** Resolves a URL path to a file inside `root`, or null when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const base = resolve(root);
  const file = normalize(join(base, path === '/' || path === '' ? 'index.html' : path));
  return file.startsWith(base + sep) ? file : null;
}

/**
 * GET/HEAD for the renderer's files. The HTML gets the Content-Security-Policy for the Host the
 * caller already validated.
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, host: string, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
    return;
  }
  const file = resolveInside(root, pathname);
  if (file === null) {
    sendText(res, 404, 'Not found.');
    return;
  }
  const csp = contentSecurityPolicy(host);
  let body: Buffer;
  try {
    // A symlink inside the folder must not lead outside it either.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
    const info = await stat(realFile);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    body = await readFile(realFile);
  } catch {
    if (pathname === '/' || pathname === '/index.html') {
      const page = Buffer.from(NOT_BUILT, 'utf8');
      res.writeHead(503, { ...COMMON_HEADERS, 'Content-Type': TYPES['.html'], 'Content-Length': String(page.length), 'Content-Security-Policy': csp });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    sendText(res, 404, 'Not found.');
    return;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': String(body.length) };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = csp;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
