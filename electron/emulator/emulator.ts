// The emulated MSNP service: one hub, NS and SB sessions, the echo bot; reachable in-process (the
// gateway's `InProcessConnect`) and, optionally, over real TCP listeners.
import net from 'node:net';
import type { InProcessConnect } from '../gateway/types.ts';
import type { ServerKind } from '../../shared/msnp/types.ts';
import type { AccountStore } from './accounts.ts';
import type { TicketStore } from './tickets.ts';
import { EchoBot } from './bot.ts';
import { Channel } from './channel.ts';
import { Hub } from './hub.ts';
import { resolveOptions } from './options.ts';
import type { EmulatorOptions, EmulatorOptionsInput } from './options.ts';
import { NsSession } from './ns/session.ts';
import { SbSession } from './sb/session.ts';
import { createPipe, socketLink } from './transport.ts';
import type { Link } from './transport.ts';

export interface EmulatorInit {
  accounts: AccountStore;
  tickets: TicketStore;
  options?: EmulatorOptionsInput;
}

export interface ListenOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Defaults 1863 and 1864; 0 picks an ephemeral port. */
  nsPort?: number;
  sbPort?: number;
}

export interface EmulatorAddresses {
  ns: { host: string; port: number };
  sb: { host: string; port: number };
}

export interface Emulator {
  /** For the gateway: `{ kind: 'emulator', connect }`. `server: 'SB'` lands on the switchboard. */
  readonly connect: InProcessConnect;
  /** Starts TCP listeners; XFR/RNG then announce the SB listener (unless options.sbAddress is set). */
  listen(options?: ListenOptions): Promise<EmulatorAddresses>;
  /** Sends `OUT SSD`, closes every connection and listener, stops the bot. */
  close(): Promise<void>;
  readonly options: EmulatorOptions;
  readonly hub: Hub;
  readonly bot: EchoBot | null;
  connectionCount(): number;
}

export function createEmulator(init: EmulatorInit): Emulator {
  const options = resolveOptions(init.options);
  const hub = new Hub(init.accounts, init.tickets, options);
  const bot = options.bot.enabled ? new EchoBot(hub) : null;
  if (bot !== null) hub.addVirtual(bot);
  const links = new Set<Link>();
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  let closed = false;

  const limits = { maxLineBytes: options.maxLineBytes, maxPayloadBytes: options.maxPayloadBytes };
  const start = (link: Link, server: ServerKind): void => {
    links.add(link);
    link.onClose(() => links.delete(link));
    // Before VER (NS) or the cookie (SB) the dialect is unknown; no opening command has a payload.
    const channel = new Channel(link, server, 8, limits);
    if (server === 'NS') new NsSession(hub, channel);
    else new SbSession(hub, channel);
  };

  const connect: InProcessConnect = (target) => {
    if (closed) throw new Error('the emulated MSNP server is closed');
    if (links.size >= options.maxConnections) throw new Error(`the emulated MSNP server has ${options.maxConnections} connections`);
    const { client, server } = createPipe(options.maxQueuedBytes);
    start(server, target.server === 'SB' ? 'SB' : 'NS');
    return client;
  };

  const listenOne = (host: string, port: number, kind: ServerKind): Promise<net.Server> =>
    new Promise((resolve, reject) => {
      const server = net.createServer((socket) => {
        if (closed || links.size >= options.maxConnections) {
          socket.destroy();
          return;
        }
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        start(socketLink(socket, options.maxQueuedBytes), kind);
      });
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        servers.push(server);
        resolve(server);
      });
    });

  const closeServer = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

  return {
    connect,
    options,
    hub,
    bot,
    connectionCount: () => links.size,
    async listen(listenOptions = {}) {
      if (closed) throw new Error('the emulated MSNP server is closed');
      const host = listenOptions.host ?? '127.0.0.1';
      const ns = await listenOne(host, listenOptions.nsPort ?? 1863, 'NS');
      let sb: net.Server;
      try {
        sb = await listenOne(host, listenOptions.sbPort ?? 1864, 'SB');
      } catch (err) {
        servers.splice(servers.indexOf(ns), 1);
        await closeServer(ns);
        throw err;
      }
      const nsAddr = ns.address() as net.AddressInfo;
      const sbAddr = sb.address() as net.AddressInfo;
      // A wildcard bind is announced as loopback; set options.sbAddress to announce a LAN address.
      const announced = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      hub.setSbAddressSource(() => `${announced.includes(':') ? `[${announced}]` : announced}:${sbAddr.port}`);
      return { ns: { host, port: nsAddr.port }, sb: { host, port: sbAddr.port } };
    },
    async close() {
      if (closed) return;
      closed = true;
      bot?.stop();
      hub.shutdown();
      for (const link of [...links]) link.close();
      const pending = servers.splice(0).map(closeServer);
      // Give queued bytes (OUT SSD) a moment, then cut whatever is still open.
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const socket of sockets) socket.destroy();
      await Promise.all(pending);
    },
  };
}
