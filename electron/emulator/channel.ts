// Commands over a Link: the shared Framer reads the client's bytes, the shared encodeCommand
// writes ours, so the emulator speaks exactly the framing the inspector decodes.
import { Framer } from '../../shared/msnp/framer.ts';
import { encodeCommand } from '../../shared/msnp/serialize.ts';
import type { CommandItem, FramingContext, MalformedItem, ServerKind } from '../../shared/msnp/types.ts';
import type { Link } from './transport.ts';

export type Arg = string | number;

export interface ChannelLimits {
  maxLineBytes: number;
  maxPayloadBytes: number;
}

const utf8 = new TextEncoder();

export class Channel {
  readonly link: Link;
  readonly server: ServerKind;
  #framer: Framer;
  #version: number;
  #onCommand: (cmd: CommandItem) => void = () => {};
  #onMalformed: (item: MalformedItem) => void = () => {};
  #onClose: () => void = () => {};

  constructor(link: Link, server: ServerKind, version: number, limits: ChannelLimits) {
    this.link = link;
    this.server = server;
    this.#version = version;
    this.#framer = new Framer({ direction: 'client', server, version }, limits);
    link.onData((bytes) => this.#receive(bytes));
    link.onClose(() => this.#onClose());
  }

  get version(): number {
    return this.#version;
  }

  /** The framer follows: payload rules (e.g. UUX, ADL, QRY) depend on the negotiated version. */
  setVersion(version: number): void {
    this.#version = version;
    this.#framer.setVersion(version);
  }

  get closed(): boolean {
    return this.link.closed;
  }

  onCommand(fn: (cmd: CommandItem) => void): void {
    this.#onCommand = fn;
  }

  onMalformed(fn: (item: MalformedItem) => void): void {
    this.#onMalformed = fn;
  }

  onClose(fn: () => void): void {
    this.#onClose = fn;
  }

  /** Sends `VERB [trid] args... [len]\r\n[payload]`; `trid` null for asynchronous commands. */
  send(verb: string, trid: number | null, args: readonly Arg[] = [], payload?: Uint8Array | string): void {
    if (this.link.closed) return;
    const ctx: FramingContext = { direction: 'server', server: this.server, version: this.#version };
    const bytes = encodeCommand(
      {
        verb,
        trid,
        args: args.map(String),
        payload: payload === undefined ? null : typeof payload === 'string' ? utf8.encode(payload) : payload,
      },
      ctx,
    );
    this.link.send(bytes);
  }

  /** A numeric error reply, `NNN TrID`. */
  error(code: number, trid: number | null): void {
    this.send(String(code), trid ?? 0);
  }

  close(): void {
    this.link.close();
  }

  #receive(bytes: Uint8Array): void {
    for (const item of this.#framer.push(bytes)) {
      if (this.link.closed) return;
      if (item.kind === 'command') this.#onCommand(item);
      else this.#onMalformed(item);
    }
  }
}
