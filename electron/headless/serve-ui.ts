// Serves the built renderer (out/renderer) on loopback; used by `npm start`'s fallback and the e2e tests.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const root = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
const ui = await startStaticServer(root, values.host ?? '127.0.0.1', Number(values.port ?? 0));
process.stdout.write(`MSN Gateway Inspector UI: ${ui.url}\n`);
