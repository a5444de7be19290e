// The `MSG Hotmail Hotmail` payloads the NS sends after login (text/x-msmsgsprofile) and after the
// first CHG in MSNP13+ (initial mail data), in the field order of the real-server transcripts.

const CRLF = '\r\n';

export interface ProfileInput {
  memberId: string;
  token: string;
  clientIp: string;
  clientPort: number;
  loginTime: number;
}

/** MemberIdHigh/Low: the member id (a PUID-like decimal) split into 32-bit halves. */
export function splitMemberId(memberId: string): { high: string; low: string } {
  let id: bigint;
  try {
    id = BigInt(memberId);
  } catch {
    id = 0n;
  }
  return { high: String((id >> 32n) & 0xffffffffn), low: String(id & 0xffffffffn) };
}

export function profilePayload(p: ProfileInput): string {
  const { high, low } = splitMemberId(p.memberId);
  const headers: Array<[string, string]> = [
    ['MIME-Version', '1.0'],
    ['Content-Type', 'text/x-msmsgsprofile; charset=UTF-8'],
    ['LoginTime', String(p.loginTime)],
    ['EmailEnabled', '0'],
    ['MemberIdHigh', high],
    ['MemberIdLow', low],
    ['lang_preference', '1033'],
    ['preferredEmail', ''],
    ['country', ''],
    ['PostalCode', ''],
    ['Gender', ''],
    ['Kid', '0'],
    ['Age', ''],
    ['BDayPre', ''],
    ['Birthday', ''],
    ['Wallet', ''],
    ['Flags', '536872513'],
    ['sid', '507'],
    ['MSPAuth', p.token],
    ['ClientIP', p.clientIp],
    ['ClientPort', String(p.clientPort)],
    ['ABCHMigrated', '1'],
    ['MPOPEnabled', '0'],
  ];
  return headers.map(([k, v]) => (v === '' ? `${k}:` : `${k}: ${v}`)).join(CRLF) + CRLF + CRLF;
}

export function initialMailPayload(): string {
  return [
    'MIME-Version: 1.0',
    'Content-Type: text/x-msmsgsinitialmdatanotification; charset=UTF-8',
    '',
    'Mail-Data: <MD><E><I>0</I><IU>0</IU><O>0</O><OU>0</OU></E><Q><QTM>409600</QTM><QNM>204800</QNM></Q></MD>',
    '',
    '',
  ].join(CRLF);
}

/** GCF policy document (MSNP13+), our own minimal one: a shield that denies no client. */
export function policiesPayload(): string {
  return '<Policies><Policy type="SHIELDS"><config><shield><cli maj="7" min="0" minbld="0" maxbld="9999" deny=" " /></shield><block></block></config></Policy></Policies>';
}

/** GCF Shields.xml (MSNP11-12 request/response form). */
export function shieldsPayload(): string {
  return '<?xml version="1.0" encoding="utf-8" ?><config><shield><cli maj="7" min="0" minbld="0" maxbld="9999" deny=" " /></shield><block></block></config>';
}
