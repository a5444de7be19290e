// Watches a session's bytes through the MSNP codec for the few commands the relay acts on:
// SB announcements from the NS (XFR SB / RNG), the client's PNG and OUT, and whether the client's
// bytes expect an answer (for stall detection). The bytes themselves are relayed untouched;
// this only reads them.
import type { Item } from '../../shared/msnp/types.ts';
import { sbAnnouncementOf, sbLoginCookieOf, type SbAnnouncement } from './sb-announce.ts';

/** The codec's per-connection decoder, as far as the relay needs it. */
export interface StreamDecoder {
  push(direction: 'client' | 'server', chunk: Uint8Array): Item[];
  end?(direction: 'client' | 'server'): Item[];
  /** Bytes of an incomplete command held back in that direction. */
  buffered?(direction: 'client' | 'server'): number;
}
export type DecoderFactory = (server: 'NS' | 'SB') => StreamDecoder;

export interface ClientScan {
  png: boolean;
  out: boolean;
  /** True when at least one command normally gets a server reply (not OUT, not `MSG trid U|N`). */
  expectsReply: boolean;
  /** Cookie of the session's very first client command when it is an SB `USR`/`ANS` login. */
  loginCookie: string | null;
  /** Everything framed from these bytes (completing earlier partial bytes), for breakpoints. */
  items: Item[];
  /** Bytes of an incomplete command held back after these bytes. */
  buffered: number;
}

export interface ServerScan {
  announcements: SbAnnouncement[];
  items: Item[];
  buffered: number;
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

  /** Whether commands can be framed at all (the decoder could be built). */
  get canFrame(): boolean {
    return this.decoder !== null && typeof this.decoder.buffered === 'function';
  }

  client(bytes: Uint8Array): ClientScan {
    const items = this.decode('client', bytes);
    const scan: ClientScan = { png: false, out: false, expectsReply: false, loginCookie: null, items, buffered: this.bufferedIn('client') };
    for (const item of items) {
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
    return this.serverScan(bytes).announcements;
  }

  serverScan(bytes: Uint8Array): ServerScan {
    // SB traffic carries no announcements, but the decoder still needs to see it to stay in step.
    const items = this.decode('server', bytes);
    const announcements: SbAnnouncement[] = [];
    if (this.kind === 'NS') {
      for (const item of items) {
        if (item.kind !== 'command') continue;
        const a = sbAnnouncementOf(item);
        if (a) announcements.push(a);
      }
    }
    return { announcements, items, buffered: this.bufferedIn('server') };
  }

  /** The stream ended: an incomplete command's bytes come back as a malformed item. */
  end(direction: 'client' | 'server'): Item[] {
    try {
      return this.decoder?.end?.(direction) ?? [];
    } catch {
      return [];
    }
  }

  private bufferedIn(direction: 'client' | 'server'): number {
    try {
      return this.decoder?.buffered?.(direction) ?? 0;
    } catch {
      return 0;
    }
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
