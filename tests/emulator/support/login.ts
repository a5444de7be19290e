// A legacy client's login through the gateway, per authentication package, with the Passport legs
// done for real over HTTPS (support/passport-client.ts). Returns every server line of the login.
import { createHash } from 'node:crypto';
import { DEMO_PASSWORDS } from '../../../electron/emulator/accounts.ts';
import { computeMbiResponse, verifyMbiResponse } from '../../../electron/emulator/passport/mbi.ts';
import type { CommandItem } from '../../../shared/msnp/types.ts';
import type { GwClient } from './gw-client.ts';
import { requestRstTokens, twnViaNexus, type PassportTarget, type RstToken } from './passport-client.ts';

export type Auth = 'md5' | 'nexus' | 'rst' | 'sso';

export interface LoginPlan {
  handle: string;
  version: number;
  /** Default: MD5 below 8, nexus+login2.srf for 8-12, SSO from 13. */
  auth?: Auth;
  /** MSNPSharp style: VER, CVR and `USR I` together in the open request. */
  batched?: boolean;
  password?: string;
}

export interface LoginTrace {
  /** Every server command from VER up to the burst after USR OK. */
  lines: CommandItem[];
  ok: CommandItem;
  /** What the Passport leg produced (TWN/SSO), for assertions. */
  passport: { daLogin?: string; ticket?: string; tokens?: RstToken[]; mbi?: string; nonce?: string };
}

/** The client version a real client of that dialect reported in CVR. */
function clientVersion(v: number): string {
  if (v <= 7) return '5.0.0540';
  if (v <= 10) return '6.0.0602';
  if (v <= 12) return '7.5.0324';
  return '8.5.1302';
}

/** CVR gained a 7th parameter in MSNP4 and the handle (8th) in MSNP8 (reference 6.1). */
function cvrArgs(v: number, handle: string): string {
  const base = `0x0409 winnt 5.1 i386 MSNMSGR ${clientVersion(v)}`;
  if (v < 4) return base;
  return v < 8 ? `${base} MSMSGS` : `${base} MSMSGS ${handle}`;
}

export const md5Hex = (s: string): string => createHash('md5').update(s, 'latin1').digest('hex');

function expectReply(cmd: CommandItem, verb: string, trid: number): CommandItem {
  if (cmd.verb !== verb || cmd.trid !== trid) throw new Error(`expected ${verb} ${trid}, got: ${cmd.line}`);
  return cmd;
}

export async function loginOverGateway(c: GwClient, pp: PassportTarget, plan: LoginPlan): Promise<LoginTrace> {
  const { handle, version: v } = plan;
  const password = plan.password ?? DEMO_PASSWORDS[handle];
  const auth: Auth = plan.auth ?? (v <= 7 ? 'md5' : v <= 12 ? 'nexus' : 'sso');
  const pkg = auth === 'md5' ? 'MD5' : auth === 'sso' ? 'SSO' : 'TWN';
  const lines: CommandItem[] = [];
  const passport: LoginTrace['passport'] = {};
  const take = async (verb: string, trid: number): Promise<CommandItem> => {
    // MSNP13+ put `GCF 0` before the USR challenge; keep it in the trace.
    for (;;) {
      const cmd = await c.next();
      lines.push(cmd);
      if (cmd.verb === 'GCF' && cmd.trid === 0) continue;
      return expectReply(cmd, verb, trid);
    }
  };

  let usrI: number;
  if (plan.batched) {
    const cmds: Array<[string, string]> = [['VER', `MSNP${v} CVR0`], ['CVR', cvrArgs(v, handle)]];
    if (v <= 7) cmds.push(['INF', '']);
    cmds.push(['USR', `${pkg} I ${handle}`]);
    const trids = await c.batch(cmds);
    for (const [i, [verb]] of cmds.slice(0, -1).entries()) await take(verb, trids[i]);
    usrI = trids.at(-1)!;
  } else {
    await take('VER', await c.cmd('VER', `MSNP${v} CVR0`));
    await take('CVR', await c.cmd('CVR', cvrArgs(v, handle)));
    if (v <= 7) await take('INF', await c.cmd('INF'));
    usrI = await c.cmd('USR', `${pkg} I ${handle}`);
  }
  const challenge = await take('USR', usrI);
  if (challenge.args[1] !== pkg || challenge.args[2] !== 'S') throw new Error(`unexpected challenge: ${challenge.line}`);

  let answer: string;
  if (auth === 'md5') {
    answer = md5Hex(challenge.args[3] + password);
  } else if (auth === 'nexus') {
    const twn = await twnViaNexus(pp, handle, password, challenge.args[3]);
    passport.daLogin = twn.daLogin;
    passport.ticket = twn.ticket;
    answer = twn.ticket;
  } else if (auth === 'rst') {
    // MSNP12-era RST: the TWN parameters go in the policy of the messenger.msn.com request.
    const tokens = await requestRstTokens(pp, handle, password, [{ address: 'messenger.msn.com', policy: `?${challenge.args[3]}` }]);
    passport.tokens = tokens;
    const mine = tokens.find((t) => t.address === 'messenger.msn.com');
    if (mine === undefined) throw new Error('no messenger.msn.com token in the RST answer');
    passport.ticket = mine.token;
    answer = mine.token;
  } else {
    const nonce = challenge.args[4];
    const tokens = await requestRstTokens(pp, handle, password, [{ address: 'messengerclear.live.com', policy: challenge.args[3] }]);
    passport.tokens = tokens;
    const mine = tokens.find((t) => t.address === 'messengerclear.live.com');
    if (mine?.binarySecret == null) throw new Error('no messengerclear.live.com token with a BinarySecret in the RST answer');
    const mbi = computeMbiResponse(mine.binarySecret, nonce);
    if (!verifyMbiResponse(mine.binarySecret, nonce, mbi)) throw new Error('MBI answer does not verify');
    passport.ticket = mine.token;
    passport.mbi = mbi;
    passport.nonce = nonce;
    answer = v >= 16 ? `${mine.token} ${mbi} {f52973b6-c926-4bad-9ba8-7c1e840e4ab0}` : `${mine.token} ${mbi}`;
  }
  const ok = await take('USR', await c.cmd('USR', `${pkg} S ${answer}`));
  // Wait for the burst each dialect sends after USR OK rather than for silence, so clients that
  // only long-poll (MSNPSharp: Lifespan=3) do not sit out a whole poll.
  // (SBS from 11, UBX from 18, then the profile MSG from 5), keeping every line in the trace.
  if (v >= 5) {
    for (let cmd = await c.next(); ; cmd = await c.next()) {
      lines.push(cmd);
      if (cmd.verb === 'MSG') break;
    }
  }
  lines.push(...c.takeQueued());
  return { lines, ok, passport };
}

/**
 * SYN (MSNP<=12) or BLP+ADL (MSNP13+), then CHG; returns the CHG reply and what came with it
 * (ILN lines follow in the same burst; wait for more with `waitFor`).
 */
export async function goOnline(c: GwClient, v: number, status = 'NLN', contacts: string[] = []): Promise<CommandItem[]> {
  if (v <= 12) {
    const syn = await c.cmd('SYN', v >= 10 ? '0 0' : '0');
    await c.waitFor('SYN', syn);
  } else {
    await c.cmd('BLP', 'AL');
    const domains = new Map<string, string[]>();
    for (const h of contacts) {
      const [name, domain] = h.split('@');
      domains.set(domain, [...(domains.get(domain) ?? []), name]);
    }
    const ml = `<ml l="1">${[...domains].map(([d, names]) => `<d n="${d}">${names.map((n) => `<c n="${n}" l="3" t="1" />`).join('')}</d>`).join('')}</ml>`;
    const adl = await c.cmd('ADL', '', ml);
    await c.waitFor('ADL', adl);
  }
  const chg = await c.cmd('CHG', v >= 8 ? `${status} 0` : status);
  return [await c.waitFor('CHG', chg), ...c.takeQueued()];
}
