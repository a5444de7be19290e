// Reading switchboard announcements and SB login cookies out of decoded commands.
// The codec frames the bytes; this only interprets the argument positions.
import { parseHostPort } from './address.ts';
import type { SbAddress } from './sb-directory.ts';

export interface SbAnnouncement {
  address: SbAddress;
  cookie: string | null;
}

interface CommandLike {
  verb: string;
  args: readonly string[];
}

/**
 * Server `XFR trid SB host:port CKI cookie ...` or `RNG sessid host:port CKI cookie ...` on an NS.
 * Anything else (including `XFR trid NS host:port`) gives null.
 */
export function sbAnnouncementOf(cmd: CommandLike): SbAnnouncement | null {
  let addrText: string | undefined;
  let rest: readonly string[];
  if (cmd.verb === 'XFR' && cmd.args[1] === 'SB') {
    addrText = cmd.args[2];
    rest = cmd.args.slice(3);
  } else if (cmd.verb === 'RNG') {
    addrText = cmd.args[1];
    rest = cmd.args.slice(2);
  } else {
    return null;
  }
  if (addrText === undefined) return null;
  const hp = parseHostPort(addrText);
  if (!hp || hp.port === null) return null;
  const cookie = rest[0] === 'CKI' && rest[1] ? rest[1] : null;
  return { address: { host: hp.host, port: hp.port }, cookie };
}

/** The cookie of an SB login: `USR trid handle cookie` or `ANS trid handle cookie sessid`. */
export function sbLoginCookieOf(cmd: CommandLike): string | null {
  if ((cmd.verb === 'USR' && cmd.args.length >= 3) || (cmd.verb === 'ANS' && cmd.args.length >= 4)) {
    return cmd.args[2] || null;
  }
  return null;
}
