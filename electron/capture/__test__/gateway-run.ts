// A real gateway run for the capture and export tests: createGateway on 127.0.0.1:0 relaying to
// scripted TCP upstreams that answer as the recorded Escargot session did
// (tests/fixtures/transcripts/msnp8-tcp.txt: Alice's NS login with the profile MSG), then an
// XFR to a switchboard, an RNG to a second one, a UTF-8 chat message each way, and sign-out.
// Every secret kind of an MSNP8 run crosses the wire: the TWN ticket, the profile's MSPAuth/sid/
// ClientIP/ClientPort, the XFR and RNG CKI cookies, and the SB USR/ANS cookies.
import { createGateway } from '../../gateway/index.ts';
import type { GatewayEvent } from '../../../shared/api/gateway-events.ts';
import { concatBytes, sleep, waitFor } from '../../../tests/harness/bytes.ts';
import { LegacyClient } from '../../../tests/harness/legacy-clients.ts';
import { startScriptedUpstream } from '../../../tests/harness/scripted-upstream.ts';
import { clientCommands, loadTranscript, serverScript } from '../../../tests/harness/transcript.ts';
import type { ScriptStep } from '../../../tests/harness/upstream-conn.ts';

export const XFR_COOKIE = '7a879c504cf30fa766f8';
export const RNG_COOKIE = 'f7a036f28852d0ec8c93';
export const TWN_TICKET = '6df4928be7ef451d90b2';
const RNG_SESSION = 'a81a9271db03441275007f2c6577f66';

const enc = new TextEncoder();
/** A chat message with multi-byte UTF-8, so byte counts and string lengths differ. */
export const CHAT_TEXT = 'héllo ✓ wörld';
const chatPayload = enc.encode(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${CHAT_TEXT}`);
const msg = (head: string) => concatBytes([enc.encode(`${head} ${chatPayload.length}\r\n`), chatPayload]);

export interface GatewayRun {
  events: GatewayEvent[];
  nsPort: number;
  sbPort: number;
}

export async function runGateway(onEvent?: (e: GatewayEvent) => void): Promise<GatewayRun> {
  const entries = loadTranscript('msnp8-tcp.txt');
  const commands = clientCommands(entries, 'A-NS', 'ADD');
  const sb = await startScriptedUpstream({
    script: (conn) =>
      conn.index === 0
        ? [
            { expect: `USR 1 alice@example.com ${XFR_COOKIE}\r\n`, reply: 'USR 1 OK alice@example.com alice@example.com\r\n' },
            { expect: msg('MSG 2 A'), reply: ['ACK 2\r\n', msg('MSG bob@example.com bob@example.com')] },
            { expect: 'OUT\r\n' },
            { close: true },
          ]
        : [
            { expect: `ANS 1 bob@example.com ${RNG_COOKIE} ${RNG_SESSION}\r\n`, reply: ['IRO 1 1 1 alice@example.com alice@example.com\r\n', 'ANS 1 OK\r\n'] },
            { expect: 'OUT\r\n' },
            { close: true },
          ],
  });
  const nsScript: ScriptStep[] = [
    ...serverScript(entries, 'A-NS', 'ADD'),
    {
      expect: 'XFR 9 SB\r\n',
      reply: [
        `XFR 9 SB 127.0.0.1:${sb.port} CKI ${XFR_COOKIE}\r\n`,
        `RNG ${RNG_SESSION} 127.0.0.1:${sb.port} CKI ${RNG_COOKIE} bob@example.com bob@example.com\r\n`,
      ],
    },
    { expect: 'OUT\r\n' },
    { close: true },
  ];
  const ns = await startScriptedUpstream({ script: nsScript });
  const gateway = createGateway({ host: '127.0.0.1', port: 0, upstream: { kind: 'tcp', host: '127.0.0.1', port: ns.port } });
  const events: GatewayEvent[] = [];
  gateway.onEvent((e) => {
    events.push(e);
    onEvent?.(e);
  });
  const clients: LegacyClient[] = [];
  try {
    const { port } = await gateway.listen();
    const client = (opts: Partial<ConstructorParameters<typeof LegacyClient>[1]> = {}) => {
      const c = new LegacyClient('msn-official', { port, ...opts });
      clients.push(c);
      return c;
    };
    const nsClient = client();
    await nsClient.open(commands[0].bytes);
    await nsClient.pollUntil('VER 1 MSNP8');
    const waits = ['CVR 2 ', 'USR 3 TWN S', 'MSPAuth', 'SYN 5', 'CHG 6 NLN'];
    for (let i = 1; i < commands.length; i++) {
      await nsClient.send(commands[i].bytes);
      await nsClient.pollUntil(waits[i - 1] ?? commands[i].line.slice(0, 5));
    }
    await nsClient.send('XFR 9 SB\r\n');
    await nsClient.pollUntil('RNG ');

    const sbA = client({ server: 'SB', ip: '127.0.0.1' });
    await sbA.open(`USR 1 alice@example.com ${XFR_COOKIE}\r\n`);
    await sbA.pollUntil('USR 1 OK');
    await sbA.send(msg('MSG 2 A'));
    await sbA.pollUntil('MSG bob@example.com');
    const sbB = client({ server: 'SB', ip: '127.0.0.1' });
    await sbB.open(`ANS 1 bob@example.com ${RNG_COOKIE} ${RNG_SESSION}\r\n`);
    await sbB.pollUntil('ANS 1 OK');

    for (const c of [sbA, sbB, nsClient]) {
      await c.send('OUT\r\n');
      for (let i = 0; i < 100 && !c.sessionClosed; i++) {
        if ((await c.poll()).status !== 200) break;
        await sleep(10);
      }
    }
    await waitFor(() => events.filter((e) => e.type === 'session-closed').length === 3, 3000, 'three sessions closed');
  } finally {
    for (const c of clients) c.close();
    await gateway.close();
    await ns.close();
    await sb.close();
  }
  return { events, nsPort: ns.port, sbPort: sb.port };
}

/** Buffers (as the gateway emits them) as plain Uint8Arrays (as a capture reads them back). */
export function plain(events: GatewayEvent[]): GatewayEvent[] {
  return events.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v instanceof Uint8Array ? new Uint8Array(v) : v])) as unknown as GatewayEvent);
}
