// Opening and authentication: VER, CVR, INF, USR (MD5 for MSNP2-7, TWN for MSNP8+, SSO for
// MSNP13+), then the post-login burst (USR OK, SBS, UBX, profile) in each dialect's shape.
import { randomBytes, randomInt } from 'node:crypto';
import type { CommandItem } from '../../../shared/msnp/types.ts';
import type { Account } from '../account-types.ts';
import { isValidHandle } from '../accounts.ts';
import { md5Hex } from '../../../shared/msnp/challenge.ts';
import { encodeField } from '../text.ts';
import type { NsSession } from './session.ts';
import { params } from './args.ts';
import { policiesPayload, profilePayload } from './profile.ts';

const VERSION_TOKEN = /^MSNP(\d{1,2})$/;

export function handleVer(s: NsSession, cmd: CommandItem): void {
  if (s.phase !== 'ver') {
    s.error(715, cmd.trid);
    return;
  }
  const { minVersion, maxVersion } = s.hub.options;
  let chosen = 0;
  for (const token of params(cmd)) {
    const m = VERSION_TOKEN.exec(token);
    if (!m) continue;
    const v = Number(m[1]);
    if (v >= minVersion && v <= maxVersion && v > chosen) chosen = v;
  }
  if (chosen === 0) {
    // No common dialect: the real service answers `VER TrID 0` and hangs up.
    s.send('VER', cmd.trid, [0]);
    s.close();
    return;
  }
  s.ch.setVersion(chosen);
  s.phase = 'auth';
  // The transcripts' server echoes only the chosen dialect (no CVR0).
  s.send('VER', cmd.trid, [`MSNP${chosen}`]);
}

export function handleCvr(s: NsSession, cmd: CommandItem): void {
  const p = params(cmd);
  // Recommended, recommended, minimum: the client's own version, as Escargot answers.
  const clientVersion = /^[0-9.]{1,20}$/.test(p[5] ?? '') ? p[5] : '1.0.0000';
  s.send('CVR', cmd.trid, [clientVersion, clientVersion, clientVersion, 'http://messenger.msn.com', 'http://messenger.msn.com']);
}

export function handleInf(s: NsSession, cmd: CommandItem): void {
  s.send('INF', cmd.trid, ['MD5']);
}

export function handleUsr(s: NsSession, cmd: CommandItem): void {
  if (s.phase === 'live') {
    s.error(207, cmd.trid);
    return;
  }
  const [method, stage, ...rest] = params(cmd);
  if (method === undefined || stage === undefined || rest.length === 0) {
    s.error(201, cmd.trid);
    return;
  }
  const v = s.version;
  if (method === 'MD5' && v <= 7) return stage === 'I' ? startLogin(s, cmd, 'MD5', rest[0]) : md5Answer(s, cmd, rest[0]);
  if (method === 'TWN' && v >= 8) return stage === 'I' ? startLogin(s, cmd, 'TWN', rest[0]) : ticketAnswer(s, cmd, 'TWN', rest);
  if (method === 'SSO' && v >= 13) return stage === 'I' ? startLogin(s, cmd, 'SSO', rest[0]) : ticketAnswer(s, cmd, 'SSO', rest);
  if (method === 'MD5' || method === 'TWN' || method === 'SSO' || method === 'SHA') {
    // A real package, but not in this dialect (MD5 ended with MSNP7, TWN began with MSNP8).
    s.error(502, cmd.trid);
    return;
  }
  s.error(911, cmd.trid);
}

function startLogin(s: NsSession, cmd: CommandItem, method: 'MD5' | 'TWN' | 'SSO', handle: string): void {
  if (!handle.includes('@')) {
    s.error(206, cmd.trid);
    return;
  }
  if (!isValidHandle(handle)) {
    s.error(205, cmd.trid);
    return;
  }
  const now = Math.floor(s.hub.now() / 1000);
  if (method === 'MD5') {
    // The salt in the real service's shape, e.g. `1013928519.693957190`.
    const salt = `${now}.${randomInt(100_000_000, 1_000_000_000)}`;
    s.pending = { method, handle: handle.toLowerCase(), salt };
    s.send('USR', cmd.trid, ['MD5', 'S', salt]);
    return;
  }
  s.pending = { method, handle: handle.toLowerCase(), salt: '' };
  // MSNP13+: the policy file arrives unasked before the Passport challenge (as in the MSNP15 transcript).
  if (s.version >= 13) s.send('GCF', 0, [], policiesPayload());
  if (method === 'TWN') {
    const tpf = md5Hex(randomBytes(16));
    s.send('USR', cmd.trid, ['TWN', 'S', `lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=${now},kpp=1,kv=5,ver=2.1.0173.1,tpf=${tpf}`]);
  } else {
    const nonce = randomBytes(48).toString('base64');
    s.pending.salt = nonce;
    s.send('USR', cmd.trid, ['SSO', 'S', 'MBI_KEY_OLD', nonce]);
  }
}

function md5Answer(s: NsSession, cmd: CommandItem, hash: string): void {
  const pending = s.pending;
  s.pending = null;
  const account = pending?.method === 'MD5' ? s.hub.accounts.md5Login(pending.handle, pending.salt, hash) : null;
  if (account === null) return authFailed(s, cmd);
  finishLogin(s, cmd, account, randomBytes(20).toString('hex'));
}

function ticketAnswer(s: NsSession, cmd: CommandItem, method: 'TWN' | 'SSO', rest: string[]): void {
  const pending = s.pending;
  s.pending = null;
  if (pending?.method !== method) return authFailed(s, cmd);
  // SSO: `ticket response [machine-guid]`; the MBI response is not checked (see README).
  const ticket = rest[0];
  const owner = s.hub.tickets.redeem(ticket);
  const account = owner === pending.handle ? s.hub.accounts.get(owner) : null;
  if (account === null || account.bot) return authFailed(s, cmd);
  if (method === 'SSO' && rest[2] !== undefined && s.version >= 16) s.endpoint = rest[2];
  const token = ticket.startsWith('t=') ? ticket.slice(2).split('&')[0] : ticket;
  finishLogin(s, cmd, account, token);
}

function authFailed(s: NsSession, cmd: CommandItem): void {
  s.error(911, cmd.trid);
  s.close();
}

/** `USR OK` and what follows it, per dialect. */
function finishLogin(s: NsSession, cmd: CommandItem, account: Account, token: string): void {
  const v = s.version;
  s.handle = account.handle;
  s.token = token;
  s.phase = 'live';
  s.hub.register(s);
  // Friendly name below MSNP10, verified bit from MSNP6, restricted bit from MSNP8.
  const args: Array<string | number> = ['OK', account.handle];
  if (v < 10) args.push(encodeField(account.friendlyName));
  if (v >= 6) args.push(1);
  if (v >= 8) args.push(0);
  s.send('USR', cmd.trid, args);
  if (v >= 11) s.send('SBS', 0, ['null']);
  if (v >= 18) s.send('UBX', null, [`1:${account.handle}`], new Uint8Array(0));
  if (v >= 5) {
    const payload = profilePayload({
      memberId: account.memberId,
      token,
      clientIp: s.ch.link.remoteAddress,
      clientPort: s.ch.link.remotePort,
      loginTime: Math.floor(s.hub.now() / 1000),
    });
    s.send('MSG', null, ['Hotmail', 'Hotmail'], payload);
  }
}
