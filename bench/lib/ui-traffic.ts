// Real traffic for the UI bench: a scripted MSN Messenger 6 client logged in through the gateway
// sends batches of ordinary NS commands, each answered by the emulator with one command (about 2N
// commands in the inspector for N sent). The mix of verbs gives the grid and the filter realistic
// variety (status, versions, URLs, errors). Nothing that changes the account (REA, BLP): the emulator
// saves accounts to disk on each change, which would time the disk. No PNG: over HTTP it ends the
// session (faithful profile).
import { LegacyClient } from '../../tests/harness/legacy-clients.ts';
import { loginMsnp8 } from '../../tests/e2e/lib/login.ts';

export interface TrafficTarget {
  gatewayPort: number;
  passportUrl: string;
}

/** Client lines for TrIDs from..to (exclusive); every one gets a single reply. */
export function clientLines(from: number, to: number): string {
  let out = '';
  for (let trid = from; trid < to; trid++) {
    switch (trid % 5) {
      case 0: out += `CHG ${trid} ${trid % 10 === 0 ? 'BSY' : 'NLN'} 0\r\n`; break;
      case 1: out += `CVR ${trid} 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com\r\n`; break;
      case 2: out += `REA ${trid} nobody${trid}@example.com Nobody\r\n`; break; // 216: not on list
      case 3: out += `URL ${trid} INBOX\r\n`; break;
      default: out += `ADD ${trid} XX bob@example.com Bob\r\n`; break; // 201: no such list
    }
  }
  return out;
}

export async function signedInClient(target: TrafficTarget, handle = 'alice@example.com', password = 'alice'): Promise<LegacyClient> {
  const client = new LegacyClient('msn-official', { port: target.gatewayPort });
  await loginMsnp8(client, target.passportUrl, handle, password);
  return client;
}

/** Sends `clientCommands` commands in POSTs of `perPost`, polling the replies in as it goes. */
export async function sendCommands(client: LegacyClient, firstTrid: number, clientCommands: number, perPost = 500): Promise<number> {
  let trid = firstTrid;
  const end = firstTrid + clientCommands;
  while (trid < end) {
    const next = Math.min(end, trid + perPost);
    const responses = await client.send(clientLines(trid, next));
    if (responses.some((r) => r.status !== 200)) throw new Error(`gateway answered ${responses.map((r) => `${r.status} ${Buffer.from(r.head).toString()} ${Buffer.from(r.body).toString().slice(0, 300)}`).join(',')} at TrID ${trid}; received tail ${JSON.stringify(client.receivedText().slice(-300))}`);
    trid = next;
  }
  return trid;
}

/**
 * Live traffic at `rate` inspector commands per second (half sent by the clients, half replies)
 * for `durationMs`, spread over the clients, on a fixed schedule: a client that falls behind
 * sends a larger POST on its next tick. Resolves with the client commands sent.
 */
export async function paceCommands(clients: readonly LegacyClient[], rate: number, durationMs: number, firstTrid: number, tickMs = 50): Promise<number> {
  const perClient = rate / 2 / clients.length;
  const start = performance.now();
  const loops = clients.map(async (client, index) => {
    let trid = firstTrid + index * 10_000_000;
    let sent = 0;
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs) break;
      const due = Math.min(500, Math.floor((elapsed / 1000) * perClient) - sent);
      if (due > 0) {
        const responses = await client.send(clientLines(trid, trid + due));
        if (responses.some((r) => r.status !== 200)) throw new Error(`gateway answered ${responses.map((r) => r.status).join(',')} while pacing`);
        trid += due;
        sent += due;
      }
      const next = start + Math.ceil((performance.now() - start + 1) / tickMs) * tickMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
    return sent;
  });
  return (await Promise.all(loops)).reduce((a, b) => a + b, 0);
}
