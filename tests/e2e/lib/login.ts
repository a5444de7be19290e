// MSN Messenger 6's MSNP8 login through the gateway: VER, CVR, USR TWN I, a ticket from the
// emulator's Passport login2.srf, USR TWN S.
import type { LegacyClient } from '../../harness/legacy-clients.ts';

export async function twnTicket(passportUrl: string, handle: string, password: string): Promise<string> {
  const res = await fetch(`${passportUrl}/login2.srf`, {
    headers: {
      Authorization: `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=${encodeURIComponent(handle)},pwd=${encodeURIComponent(password)},lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=0123456789abcdef`,
    },
  });
  const m = /from-PP='([^']+)'/.exec(res.headers.get('authentication-info') ?? '');
  if (res.status !== 200 || !m) throw new Error(`Passport refused ${handle}: ${res.status}`);
  return m[1];
}

export async function loginMsnp8(client: LegacyClient, passportUrl: string, handle: string, password: string): Promise<void> {
  await client.open('VER 1 MSNP8 CVR0\r\n');
  await client.pollUntil('VER 1 MSNP8');
  await client.send(`CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS ${handle}\r\n`);
  await client.pollUntil('CVR 2 ');
  await client.send(`USR 3 TWN I ${handle}\r\n`);
  await client.pollUntil('USR 3 TWN S ');
  const ticket = await twnTicket(passportUrl, handle, password);
  await client.send(`USR 4 TWN S ${ticket}\r\n`);
  await client.pollUntil(`USR 4 OK ${handle}`);
}
