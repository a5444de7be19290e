// commands.get: the codec's decoded view mapped to the contract's JSON-safe CommandDetail.
import type { CommandDetail } from '../../shared/api/contract.ts';
import { decodeView, hexDump } from '../../shared/msnp/index.ts';
import type { HexDump, PayloadView } from '../../shared/msnp/index.ts';
import { toBase64 } from './base64.ts';
import type { CommandEntry } from './model/entry.ts';

export function commandDetail(entry: CommandEntry): CommandDetail {
  const item = entry.item();
  const command = entry.toRecord();
  const raw = toBase64(item.raw);
  if (item.kind === 'malformed') {
    const dump = hexDump(item.raw);
    return {
      command,
      raw,
      category: 'malformed',
      description: item.reason,
      fields: [],
      error: null,
      payload: { kind: 'binary', hex: dumpText(dump), summary: `${item.raw.length} bytes that did not frame as a command` },
    };
  }
  const view = decodeView(item, { direction: entry.direction, server: entry.session.server, version: entry.version });
  const description = view.problems.length > 0 ? `${view.description} (${view.problems.join('; ')})` : view.description;
  return {
    command,
    raw,
    category: view.category,
    description,
    fields: view.args.map((a) => ({ name: a.name ?? `arg ${a.index + 1}`, raw: a.raw, value: a.value })),
    error: view.error ? { code: view.error.code, name: view.error.name, meaning: view.error.meaning } : null,
    payload: payloadOf(view.payload),
  };
}

function dumpText(dump: HexDump): string {
  const text = dump.lines.join('\n');
  return dump.truncated ? `${text}\n… ${dump.totalBytes - dump.shownBytes} more bytes` : text;
}

function payloadOf(p: PayloadView): CommandDetail['payload'] {
  switch (p.kind) {
    case 'none':
      return null;
    case 'empty':
      return { kind: 'text', text: '' };
    case 'text':
      return { kind: 'text', text: p.text };
    case 'xml':
      return { kind: 'xml', text: p.xml.text, pretty: p.xml.pretty };
    case 'mime':
      return { kind: 'mime', headers: p.mime.headers.map(([n, v]) => [n, v] as [string, string]), bodyText: p.xml ? p.xml.pretty : p.mime.bodyText, bodyBytes: p.mime.body.length };
    case 'p2p': {
      const h = p.frame.header;
      const summary = h
        ? `P2P frame: ${Object.entries(h)
            .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ')}, ${p.frame.data.length} data bytes${p.frame.problems.length ? ` (${p.frame.problems.join('; ')})` : ''}`
        : `P2P frame without a complete header (${p.frame.problems.join('; ')})`;
      return { kind: 'binary', hex: dumpText(p.dataDump), summary };
    }
    case 'binary':
      return { kind: 'binary', hex: dumpText(p.dump), summary: `${p.dump.totalBytes} bytes of binary payload` };
  }
}
