// Switchboard steps shared by the chat tests: XFR on the NS, the SB session opened over the gateway
// the client's way (`Action=open&Server=SB&IP=<host without port>`, USR or ANS in the body).
import { expect } from 'vitest';
import type { CommandItem } from '../../../shared/msnp/types.ts';
import type { ClientProfileName } from '../../harness/legacy-clients.ts';
import type { GwClient } from './gw-client.ts';
import type { Rig } from './rig.ts';

export const utf8 = new TextEncoder();

export const plainText = (body: string): string =>
  `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\n${body}`;

export const typing = (handle: string): string =>
  `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: ${handle}\r\n\r\n\r\n`;

/** `host:port` of an XFR/RNG address, split. */
export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** `XFR t SB` on the NS; returns the announced address and cookie. */
export async function requestSwitchboard(ns: GwClient): Promise<{ xfr: CommandItem; host: string; port: number; cookie: string }> {
  const trid = await ns.cmd('XFR', 'SB');
  const xfr = await ns.waitFor('XFR', trid);
  expect(xfr.args[1]).toBe('SB');
  expect(xfr.args[3]).toBe('CKI');
  return { xfr, ...splitAddress(xfr.args[2]), cookie: xfr.args[4] };
}

/** Opens an SB session over the gateway with `USR t handle cookie` as the open body. */
export async function joinAsCaller(rig: Rig, profile: ClientProfileName, version: number, handle: string, host: string, cookie: string): Promise<GwClient> {
  const sb = rig.client(profile, { server: 'SB', ip: host, version });
  const usr = await sb.cmd('USR', `${handle} ${cookie}`);
  const ok = await sb.waitFor('USR', usr);
  expect(ok.args.slice(1, 3)).toEqual(['OK', handle]);
  return sb;
}

/** Opens an SB session over the gateway answering an RNG (`ANS t handle cookie sessid`); returns IRO lines too. */
export async function joinAsCallee(rig: Rig, profile: ClientProfileName, version: number, handle: string, rng: CommandItem): Promise<{ sb: GwClient; iro: CommandItem[] }> {
  const { host } = splitAddress(rng.args[1]);
  const sb = rig.client(profile, { server: 'SB', ip: host, version });
  const ans = await sb.cmd('ANS', `${handle} ${rng.args[3]} ${rng.args[0]}`);
  const iro: CommandItem[] = [];
  for (;;) {
    const cmd = await sb.next();
    if (cmd.verb === 'IRO') iro.push(cmd);
    else {
      expect(cmd.line).toBe(`ANS ${ans} OK`);
      break;
    }
  }
  return { sb, iro };
}

/** The SB sessions the gateway opened, with the address each was relayed to. */
export function sbOpens(rig: Rig): Array<{ requestedIp: string; host: string; port: number }> {
  return rig.of('session-opened').filter((e) => e.server === 'SB').map((e) => ({ requestedIp: e.requestedIp, host: e.upstream.host, port: e.upstream.port }));
}
