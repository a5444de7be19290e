// Watches a session's bytes through the MSNP codec for the few commands the relay acts on:
// SB announcements from the NS (XFR SB / RNG), the client's PNG and OUT, and whether the client's
// bytes expect an answer (for stall detection). The bytes themselves are relayed untouched;
// this only reads them.
import type { Item } from '../../shared/msnp/types.ts';
import { sbAnnouncementOf, sbLoginCookieOf, type SbAnnouncement } from './sb-announce.ts';

/** The codec's per-connection decoder, as far as the relay needs it. */
export interface StreamDecoder {
  push(direction: 'client' | 'server', chunk: Uint8Array): Item[];
}
export type DecoderFactory = (server: 'NS' | 'SB') => StreamDecoder;

export interface ClientScan {
  png: boolean;
  out: boolean;
  /** True when at least one command normally gets a server reply (not OUT, not `MSG trid U|N`). */
  expectsReply: boolean;
  /** Cookie of the session's very first client command when it is an SB `USR`/`ANS` login. */
  loginCookie: string | null;
}

export class CommandWatch {
  private readonly decoder: StreamDecoder | null;
  private readonly kind: 'NS' | 'SB';
  private sawFirstCommand = false;

  constructor(server: 'NS' | 'SB', factory: DecoderFactory) {
    this.kind = server;
    let d: StreamDecoder | null = null;
    try {
      d = factory(server);
    } catch {
      d = null;
    }
    this.decoder = d;
  }

  client(bytes: Uint8Array): ClientScan {
    const scan: ClientScan = { png: false, out: false, expectsReply: false, loginCookie: null };
    for (const item of this.decode('client', bytes)) {
      if (item.kind !== 'command') continue;
      if (!this.sawFirstCommand) {
        this.sawFirstCommand = true;
        if (this.kind === 'SB') scan.loginCookie = sbLoginCookieOf(item);
      }
      if (item.verb === 'PNG') {
        scan.png = true;
        scan.expectsReply = true;
      } else if (item.verb === 'OUT') {
        scan.out = true;
      } else if (!(item.verb === 'MSG' && (item.args[1] === 'U' || item.args[1] === 'N'))) {
        // A delivered `MSG trid N` gets no reply (only a NAK on failure), so it must not arm the
        // stall timer: a quiet chat after it would otherwise be cut as a stalled upstream.
        scan.expectsReply = true;
      }
    }
    return scan;
  }

  server(bytes: Uint8Array): SbAnnouncement[] {
    if (this.kind !== 'NS') {
      // SB traffic carries no announcements, but the decoder still needs to see it to stay in step.
      this.decode('server', bytes);
      return [];
    }
    const found: SbAnnouncement[] = [];
    for (const item of this.decode('server', bytes)) {
      if (item.kind !== 'command') continue;
      const a = sbAnnouncementOf(item);
      if (a) found.push(a);
    }
    return found;
  }

  private decode(direction: 'client' | 'server', bytes: Uint8Array): Item[] {
    if (!this.decoder) return [];
    try {
      return this.decoder.push(direction, bytes);
    } catch {
      return [];
    }
  }
}
