// A generated, realistic MSNP traffic mix for the codec benchmark: NS and SB, both directions,
// MIME chat messages (some multi-byte UTF-8), typing notifications, P2P binary payloads, presence.
import type { Direction, ServerKind } from '../../shared/msnp/types.ts';

const enc = new TextEncoder();

export interface GeneratedStream {
  direction: Direction;
  server: ServerKind;
  bytes: Uint8Array;
  commands: number;
}

/** A tiny deterministic PRNG so every run decodes the same bytes. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TEXTS = ['hi!', 'are you there?', 'héllo, ça va ?', 'привет как дела', '今日は元気ですか', 'lol 😀 ok', 'see you tomorrow at 10'];

function msgBody(text: string): Uint8Array {
  return enc.encode(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0\r\n\r\n${text}`);
}
const TYPING = enc.encode('MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: alice@example.com\r\n\r\n\r\n');

function p2pBody(rand: () => number): Uint8Array {
  const head = enc.encode('MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\nP2P-Dest: bob@example.com\r\n\r\n');
  const dataLen = 48 + 1 + Math.floor(rand() * 1202) + 4;
  const out = new Uint8Array(head.length + dataLen);
  out.set(head);
  for (let i = head.length; i < out.length; i++) out[i] = Math.floor(rand() * 256); // includes CR, LF, NUL
  return out;
}

class Builder {
  chunks: Uint8Array[] = [];
  size = 0;
  commands = 0;
  line(text: string, payload?: Uint8Array) {
    const head = enc.encode(payload ? `${text} ${payload.length}\r\n` : `${text}\r\n`);
    this.chunks.push(head);
    this.size += head.length;
    if (payload) {
      this.chunks.push(payload);
      this.size += payload.length;
    }
    this.commands++;
  }
  build(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** About `targetBytes` of one direction of one connection kind. */
export function generateStream(direction: Direction, server: ServerKind, targetBytes: number, seed = 1): GeneratedStream {
  const rand = prng(seed);
  const b = new Builder();
  let trid = 1;
  if (direction === 'client') b.line(`VER ${trid++} MSNP12 MSNP11 CVR0`);
  else b.line('VER 1 MSNP12');
  while (b.size < targetBytes) {
    const r = rand();
    const text = TEXTS[Math.floor(rand() * TEXTS.length)];
    if (server === 'SB') {
      if (direction === 'client') {
        if (r < 0.5) b.line(`MSG ${trid++} A`, msgBody(text));
        else if (r < 0.75) b.line(`MSG ${trid++} U`, TYPING);
        else b.line(`MSG ${trid++} D`, p2pBody(rand));
      } else {
        if (r < 0.45) b.line('MSG alice@example.com Alice', msgBody(text));
        else if (r < 0.6) b.line('MSG alice@example.com Alice', TYPING);
        else if (r < 0.8) b.line('MSG alice@example.com Alice', p2pBody(rand));
        else if (r < 0.95) b.line(`ACK ${trid++}`);
        else b.line('JOI carol@example.com Carol 1342177280');
      }
    } else if (direction === 'client') {
      if (r < 0.4) b.line('PNG');
      else if (r < 0.6) b.line(`CHG ${trid++} NLN 1342177280`);
      else if (r < 0.8) b.line(`UUX ${trid++}`, enc.encode(`<Data><PSM>${text}</PSM><CurrentMedia></CurrentMedia></Data>`));
      else b.line(`QRY ${trid++} PROD0090YUAUV{2B 32`, enc.encode('85ecb0db8f32113df79ce0892b9a102c'));
    } else {
      if (r < 0.3) b.line(`NLN NLN bob${Math.floor(rand() * 100)}@example.com Bob%20${Math.floor(rand() * 100)} 1342177280`);
      else if (r < 0.45) b.line('QNG 50');
      else if (r < 0.55) b.line(`CHL 0 ${Math.floor(rand() * 1e10)}${Math.floor(rand() * 1e10)}`);
      else if (r < 0.75) b.line('UBX bob@example.com', enc.encode(`<Data><PSM>${text}</PSM><CurrentMedia></CurrentMedia></Data>`));
      else if (r < 0.85) b.line(`ILN ${trid} AWY carol@example.com Carol 1342177280`);
      else if (r < 0.95) b.line(`RNG ${Math.floor(rand() * 1e8)} 127.0.0.1:1864 CKI 1234.5678.${Math.floor(rand() * 1e5)} alice@example.com Alice`);
      else b.line('MSG Hotmail Hotmail', enc.encode('MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n\r\nInbox-Unread: 3\r\nFolders-Unread: 0\r\n\r\n'));
    }
  }
  return { direction, server, bytes: b.build(), commands: b.commands };
}
