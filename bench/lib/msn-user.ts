// A signed-in MSN Messenger 6 user (MSNP8, TWN login with a ticket from the emulator's
// TicketStore): polls its NS session every 2 s, changes presence now and then, starts
// switchboard chats with contacts and answers the ones it is invited to (RNG), the way the
// official client does through the gateway.
import type { CommandItem } from '../../shared/msnp/types.ts';
import { GatewaySession, StoppedError, recordError, sleep, type LoadStats } from './msn-client.ts';

export interface UserPlan {
  port: number;
  handle: string;
  ticket: string;
  /** Handles of this user's contacts (all of them load users in the same group). */
  contacts: string[];
  stats: LoadStats;
  bare: boolean;
  pollMs: number;
  /** Mean seconds between presence changes / chats this user starts; 0 = never. */
  presenceEveryS: number;
  chatEveryS: number;
  /** Bare mode: the callee's side of a chat is played by that user object directly. */
  peer?: (handle: string) => MsnUser | undefined;
}

const CVR = '0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS';
const TEXT = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=; CO=0; CS=0; PF=0\r\n\r\n';
const OUT = new TextEncoder().encode('OUT\r\n');
const STATES = ['NLN', 'AWY', 'BSY', 'BRB', 'NLN', 'PHN', 'LUN', 'NLN'];

/** Exponential wait with the given mean (seconds), in ms. */
const expMs = (meanS: number) => -Math.log(1 - Math.random()) * meanS * 1000;

export class MsnUser {
  readonly plan: UserPlan;
  ns: GatewaySession;
  online = false;
  private running = false;
  private loop: Promise<void> | null = null;
  private nextPresence = Infinity;
  private nextChat = Infinity;
  readonly chats = new Set<Promise<void>>();
  chatsDone = 0;
  /** Calls that found the contact gone (217), as a real client would show "is offline". */
  chatsRefused = 0;
  /** Contacts seen online (ILN/NLN) and not yet offline (FLN). */
  readonly onlineContacts = new Set<string>();

  constructor(plan: UserPlan) {
    this.plan = plan;
    this.ns = this.session('NS', 'messenger.hotmail.com');
  }

  private session(server: 'NS' | 'SB', ip: string): GatewaySession {
    return new GatewaySession({ port: this.plan.port, server, ip, stats: this.plan.stats, bare: this.plan.bare, replyPollMs: 500, replyTimeoutMs: 30_000, stopped: () => !this.running });
  }

  async login(): Promise<void> {
    const { handle, ticket } = this.plan;
    const ns = this.ns;
    await ns.cmd('VER', 'MSNP8 CVR0', undefined, true);
    await ns.cmd('CVR', `${CVR} ${handle}`);
    await ns.cmd('USR', `TWN I ${handle}`);
    await ns.cmd('USR', `TWN S ${ticket}`);
    await ns.cmd('SYN', '0');
    this.running = true;
    await ns.cmd('CHG', 'NLN 0');
    this.presence(ns.take());
    this.online = true;
  }

  private presence(cmds: CommandItem[]): CommandItem[] {
    for (const c of cmds) {
      if (c.verb === 'ILN') this.onlineContacts.add(c.args[2]);
      else if (c.verb === 'NLN') this.onlineContacts.add(c.args[1]);
      else if (c.verb === 'FLN') this.onlineContacts.delete(c.args[0]);
    }
    return cmds;
  }

  /** Polls every `pollMs` (jittered) and acts on what arrives, until `stop()`. */
  start(): void {
    this.running = true;
    const now = performance.now();
    if (this.plan.presenceEveryS > 0) this.nextPresence = now + expMs(this.plan.presenceEveryS);
    if (this.plan.chatEveryS > 0) this.nextChat = now + expMs(this.plan.chatEveryS);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    // Spread the first polls over one interval so 10,000 clients do not poll in lockstep.
    await sleep(Math.random() * this.plan.pollMs);
    while (this.running && !this.ns.closedByGateway) {
      try {
        const now = performance.now();
        if (now >= this.nextPresence) {
          this.nextPresence = now + expMs(this.plan.presenceEveryS);
          await this.ns.cmd('CHG', `${STATES[Math.floor(Math.random() * STATES.length)]} 0`);
        } else if (now >= this.nextChat) {
          this.nextChat = now + expMs(this.plan.chatEveryS);
          this.track(this.call());
        } else {
          await this.ns.poll();
        }
        for (const c of this.presence(this.ns.take())) if (c.verb === 'RNG') this.track(this.answer(c.args));
      } catch (err) {
        if (err instanceof StoppedError) break;
        recordError(this.plan.stats, `${this.plan.handle} NS: ${(err as Error).message}`);
        if (this.ns.closedByGateway || (err as Error).message.includes('connection')) break;
      }
      await sleep(this.plan.pollMs * (0.9 + Math.random() * 0.2));
    }
  }

  private track(p: Promise<void>): void {
    const q = p.catch((err) => {
      if (err instanceof StoppedError) return;
      if (/ error 217 /.test((err as Error).message)) return void this.chatsRefused++;
      recordError(this.plan.stats, `${this.plan.handle} SB: ${(err as Error).message}`);
    }).finally(() => {
      this.chats.delete(q);
      this.chatsDone++;
    });
    this.chats.add(q);
  }

  /** Caller side: XFR SB, USR on the SB, CAL a contact, a message each way, OUT. */
  private async call(): Promise<void> {
    // A real client only invites contacts it sees online.
    const online = this.plan.bare ? this.plan.contacts : [...this.onlineContacts];
    if (online.length === 0) return;
    const callee = online[Math.floor(Math.random() * online.length)];
    const xfr = await this.ns.cmd('XFR', 'SB');
    const [host, port] = (xfr?.args[2] ?? '127.0.0.1:1864').split(':');
    const cookie = xfr?.args[4] ?? `${Math.floor(Math.random() * 1e9)}.0.1`;
    const sb = this.session('SB', host);
    try {
      await sb.cmd('USR', `${this.plan.handle} ${cookie}`, undefined, true);
      const cal = await sb.cmd('CAL', callee);
      if (this.plan.bare) this.plan.peer?.(callee)?.track(this.plan.peer(callee)!.answer(['1', `${host}:${port}`, 'CKI', cookie, this.plan.handle, 'Caller']));
      await sb.waitFor((c) => c.verb === 'JOI', 'JOI');
      await sleep(this.plan.pollMs);
      await sb.cmd('MSG', 'A', `${TEXT}Hi ${callee}, call ${cal?.args[1] ?? ''} from ${this.plan.handle}`, false, 'ACK');
      await sb.waitFor((c) => c.verb === 'MSG', 'MSG from the callee');
      await sb.send(OUT);
    } finally {
      sb.close();
    }
  }

  /** Callee side of an RNG: ANS on the SB, wait for the message, answer it, OUT. */
  async answer(rng: string[]): Promise<void> {
    const [sid, addr, , cookie] = rng;
    const sb = this.session('SB', addr.split(':')[0]);
    try {
      await sb.cmd('ANS', `${this.plan.handle} ${cookie} ${sid}`, undefined, true);
      const got = await sb.waitFor((c) => c.verb === 'MSG', 'MSG from the caller');
      if (this.plan.bare) await sleep(this.plan.pollMs * 2);
      // N mode: no reply when delivered.
      await sb.send(sb.encode('MSG', 'N', `${TEXT}got it (${got?.payloadLength ?? 0} bytes)`).bytes);
      await sb.send(OUT);
    } finally {
      sb.close();
    }
  }

  /** Stops polling; with `signOut`, sends OUT on the NS (the gateway then closes the session). */
  async stop(signOut: boolean): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.allSettled([...this.chats]);
    if (signOut && this.online && !this.ns.closedByGateway) {
      try {
        await this.ns.send(OUT);
      } catch (err) {
        recordError(this.plan.stats, `${this.plan.handle} OUT: ${(err as Error).message}`);
      }
    }
    this.ns.close();
    this.online = false;
  }
}
