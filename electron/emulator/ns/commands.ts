// The NS command table: which commands exist in which dialects, which need a login, and who
// handles them. Error policy (see README):
//   no VER first             -> disconnect (not an MSNP client)
//   TrID missing or garbled  -> disconnect (a reply could not name the transaction)
//   unknown command          -> 200 (syntax error)
//   known, other dialect     -> 502 (command disabled), as Escargot does for INF/REA/GTC
//   before login             -> 302 (not logged in)
import type { CommandItem } from '../../../shared/msnp/types.ts';
import type { NsSession } from './session.ts';
import { handleCvr, handleInf, handleUsr, handleVer } from './login.ts';
import { handleSyn } from './sync.ts';
import { handleAdc, handleAdd, handleAdg, handleBlp, handleGtc, handleReg, handleRem, handleRmg } from './lists.ts';
import { handleChg, handlePrp, handleRea, handleSbp, handleUux } from './status.ts';
import { handleChl, handleQry } from './challenge.ts';
import {
  handleAdl, handleFqy, handleGcf, handleNsMsg, handleOut, handlePng, handleRml, handleUrl, handleUun, handleXfr,
} from './misc.ts';

interface Entry {
  /** `auth`: after VER (login not needed); `live`: after USR OK. */
  phase: 'auth' | 'live';
  min: number;
  max: number;
  /** False for PNG and OUT, which have no TrID. */
  trid: boolean;
  run: (s: NsSession, cmd: CommandItem) => void;
}

const e = (phase: Entry['phase'], min: number, max: number, run: Entry['run'], trid = true): Entry => ({ phase, min, max, trid, run });

const TABLE: Readonly<Record<string, Entry>> = {
  CVR: e('auth', 2, 18, handleCvr),
  INF: e('auth', 2, 7, handleInf),
  USR: e('auth', 2, 18, handleUsr),
  PNG: e('auth', 2, 18, handlePng, false),
  OUT: e('auth', 2, 18, handleOut, false),
  SYN: e('live', 2, 12, handleSyn),
  GTC: e('live', 2, 12, handleGtc),
  BLP: e('live', 2, 18, handleBlp),
  ADD: e('live', 2, 9, handleAdd),
  REM: e('live', 2, 12, handleRem),
  ADC: e('live', 10, 12, handleAdc),
  ADG: e('live', 7, 12, handleAdg),
  RMG: e('live', 7, 12, handleRmg),
  REG: e('live', 7, 12, handleReg),
  CHG: e('live', 2, 18, handleChg),
  REA: e('live', 2, 9, handleRea),
  PRP: e('live', 8, 18, handlePrp),
  SBP: e('live', 10, 12, handleSbp),
  UUX: e('live', 11, 18, handleUux),
  XFR: e('live', 2, 18, handleXfr),
  QRY: e('live', 6, 18, handleQry),
  CHL: e('live', 6, 18, handleChl),
  GCF: e('live', 11, 18, handleGcf),
  URL: e('live', 2, 18, handleUrl),
  MSG: e('live', 2, 18, handleNsMsg),
  ADL: e('live', 13, 18, handleAdl),
  RML: e('live', 13, 18, handleRml),
  FQY: e('live', 13, 18, handleFqy),
  UUN: e('live', 13, 18, handleUun),
};

export function dispatch(s: NsSession, cmd: CommandItem): void {
  if (cmd.verb === 'VER') {
    if (cmd.trid === null) {
      s.close();
      return;
    }
    handleVer(s, cmd);
    return;
  }
  if (s.phase === 'ver') {
    s.close();
    return;
  }
  const entry = TABLE[cmd.verb];
  if (entry === undefined || (entry.trid && cmd.trid === null)) {
    if (cmd.trid === null) s.close();
    else s.error(200, cmd.trid);
    return;
  }
  if (s.version < entry.min || s.version > entry.max) {
    s.error(502, cmd.trid);
    return;
  }
  if (entry.phase === 'live' && !s.live) {
    s.error(302, cmd.trid);
    return;
  }
  entry.run(s, cmd);
}
