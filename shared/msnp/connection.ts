// One MSNP connection (NS or SB), both directions: two framers sharing the negotiated version,
// plus TrID pairing across directions. Push the bytes of each direction in the order they crossed
// the wire; replies are matched to requests pushed before them.

import type { CommandItem, Direction, FramerLimits, Item, ServerKind } from './types.ts';
import { DEFAULT_VERSION } from './types.ts';
import { Framer } from './framer.ts';
import { TridTracker } from './pairing.ts';
import type { PairInfo, PairingLimits, Transaction } from './pairing.ts';
import { clampVersion, clientVerChoice, listedVersions, serverVerChoice } from './version.ts';

export interface ConnectionDecoderOptions {
  /** Version to frame with until a VER exchange says otherwise (default MSNP8). */
  version?: number;
  limits?: Partial<FramerLimits>;
  /** Follow the VER exchange (default true). When false the version stays fixed. */
  followVer?: boolean;
  pairing?: Partial<PairingLimits>;
  /**
   * Pair replies with requests by TrID (default true). A reader that only frames (the relay,
   * watching for a few verbs) turns it off: no per-command bookkeeping, no items kept alive.
   */
  trackPairs?: boolean;
}

/**
 * - `assumed`: no VER seen; the default or given version is used.
 * - `proposed`: the client's VER listed versions; its highest is used until the server answers.
 * - `negotiated`: the server's VER reply fixed the version.
 * - `rejected`: the server answered `VER TrID 0` (no common version); the version is unchanged.
 * - `fixed`: `followVer` is off.
 */
export type VersionState = 'assumed' | 'proposed' | 'negotiated' | 'rejected' | 'fixed';

export class ConnectionDecoder {
  readonly server: ServerKind;
  readonly pairing: TridTracker;
  private readonly framers: Record<Direction, Framer>;
  private readonly followVer: boolean;
  private readonly trackPairs: boolean;
  private currentVersion: number;
  private state: VersionState;
  private proposed: number[] = [];

  constructor(server: ServerKind, opts: ConnectionDecoderOptions = {}) {
    this.server = server;
    this.followVer = opts.followVer ?? true;
    this.trackPairs = opts.trackPairs ?? true;
    this.currentVersion = clampVersion(opts.version ?? DEFAULT_VERSION);
    this.state = this.followVer ? 'assumed' : 'fixed';
    this.pairing = new TridTracker(opts.pairing);
    this.framers = {
      client: new Framer({ direction: 'client', server, version: this.currentVersion }, opts.limits),
      server: new Framer({ direction: 'server', server, version: this.currentVersion }, opts.limits),
    };
    this.framers.client.onCommand = (item) => this.onCommand('client', item);
    this.framers.server.onCommand = (item) => this.onCommand('server', item);
  }

  /** The MSNP version lines are framed with right now. */
  get version(): number {
    return this.currentVersion;
  }

  get versionState(): VersionState {
    return this.state;
  }

  /** The versions the client's VER listed, in its order (empty before a client VER). */
  get proposedVersions(): readonly number[] {
    return this.proposed;
  }

  /** The framer of one direction (for its context, limits and buffered byte count). */
  framer(direction: Direction): Framer {
    return this.framers[direction];
  }

  push(direction: Direction, chunk: Uint8Array): Item[] {
    return this.framers[direction].push(chunk);
  }

  /** Bytes of an incomplete command waiting in that direction. */
  buffered(direction: Direction): number {
    return this.framers[direction].buffered;
  }

  /** The direction's stream ended; buffered bytes become a malformed item. */
  end(direction: Direction): Item[] {
    return this.framers[direction].end();
  }

  /** For a request its reply, for a reply its request, else null. */
  pairOf(item: CommandItem): CommandItem | null {
    return this.pairing.pairOf(item);
  }

  /** How an item was paired (role and transaction), if it was framed by this decoder. */
  pairInfo(item: CommandItem): PairInfo | undefined {
    return this.pairing.info(item);
  }

  /** Requests without a reply so far. */
  pending(): Transaction[] {
    return this.pairing.pending();
  }

  /** Server lines whose TrID matched no request. */
  unpairedReplies(): CommandItem[] {
    return this.pairing.unpairedReplies();
  }

  private setVersion(v: number, state: VersionState): void {
    this.currentVersion = v;
    this.state = state;
    this.framers.client.setVersion(v);
    this.framers.server.setVersion(v);
  }

  private onCommand(direction: Direction, item: CommandItem): void {
    if (this.followVer && item.verb === 'VER') {
      if (direction === 'client') {
        this.proposed = listedVersions(item.args);
        const choice = clientVerChoice(item.args);
        if (choice !== null && this.state !== 'negotiated') this.setVersion(choice, 'proposed');
      } else {
        const result = serverVerChoice(item.args);
        if (result.kind === 'chosen') this.setVersion(result.version, 'negotiated');
        else if (result.kind === 'none') this.state = 'rejected';
      }
    }
    if (this.trackPairs) this.pairing.track(direction, item);
  }
}
