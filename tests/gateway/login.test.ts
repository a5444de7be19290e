// Every scripted legacy client logs in through the gateway to an upstream that answers exactly
// as Escargot did in the recorded MSNP8 session (tests/fixtures/transcripts/msnp8-tcp.txt),
// then signs out with OUT. Both directions must arrive byte-identical, every response must
// have the shape the real clients parse, and the client must see Session=close then a 400.
import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, latin1, sleep, waitFor } from '../harness/bytes.ts';
import { createGateway } from '../../electron/gateway/index.ts';
import { CLIENT_PROFILES, LegacyClient, type ClientProfileName } from '../harness/legacy-clients.ts';
import { createInProcessUpstream } from '../harness/scripted-upstream.ts';
import { clientCommands, loadTranscript, serverScript } from '../harness/transcript.ts';
import type { ScriptStep } from '../harness/upstream-conn.ts';
import { SESSION_ID, expectGatewayShape, onCleanup, startRig } from './setup.ts';

const entries = loadTranscript('msnp8-tcp.txt');
// Alice's NS connection from VER to her status change (the part before contacts are added).
const commands = clientCommands(entries, 'A-NS', 'ADD');
const script: ScriptStep[] = [...serverScript(entries, 'A-NS', 'ADD'), { expect: 'OUT\r\n' }, { close: true }];
const replies = script.map((s) => ('reply' in s && s.reply ? concatBytes([s.reply].flat() as Uint8Array[]) : new Uint8Array(0)));

function expectedThrough(step: number): Uint8Array {
  return concatBytes(replies.slice(0, step + 1));
}

async function waitReceived(client: LegacyClient, want: Uint8Array, background: boolean): Promise<void> {
  const done = (got: Uint8Array) => got.length >= want.length;
  if (background) await waitFor(() => done(client.receivedBytes()), 4000, `${client.profile} to receive ${want.length} bytes`);
  else await client.pollUntil(() => done(client.receivedBytes()), 4000);
}

async function login(profile: ClientProfileName) {
  const bitlbee = profile === 'bitlbee';
  // BitlBee overlaps its data requests with a long poll, which only the lenient profile serves.
  const rig = await startRig({ script }, bitlbee ? { profile: 'lenient', maxLifespanS: 1 } : {});
  const client = rig.client(profile);
  // MSNPSharp buffers VER, CVR and USR into its open; everyone else opens with VER alone.
  const firstBatch = profile === 'msnpsharp' ? 3 : 1;
  const opened = await client.open(concatBytes(commands.slice(0, firstBatch).map((c) => c.bytes)));
  expect(opened.every((r) => r.status === 200)).toBe(true);
  if (bitlbee) client.startPolling();
  await waitReceived(client, expectedThrough(firstBatch - 1), bitlbee);
  for (let i = firstBatch; i < commands.length; i++) {
    const res = await client.send(commands[i].bytes);
    expect(res.map((r) => r.status)).toEqual(res.map(() => 200));
    await waitReceived(client, expectedThrough(i), bitlbee);
  }
  return { rig, client };
}

describe.each(CLIENT_PROFILES)('%s logs in through the gateway (MSNP8, Escargot answers)', (profile) => {
  it('relays both directions byte for byte, with the response shape real clients parse', async () => {
    const { rig, client } = await login(profile);
    const upstream = await rig.upstream.connection(0);
    expect(upstream.mismatches).toEqual([]);
    expect(latin1(upstream.receivedBytes())).toBe(latin1(concatBytes(commands.map((c) => c.bytes))));
    const want = expectedThrough(commands.length - 1);
    expect(bytesEqual(client.receivedBytes(), want)).toBe(true);
    expect(client.problems).toEqual([]);
    for (const ex of client.exchanges) expect(expectGatewayShape(ex.response)).toEqual([]);
    expect(client.sessionId).toMatch(SESSION_ID);
    // Clients follow the latest SessionID; the gateway changes the minor part per response.
    const ids = new Set(client.exchanges.map((e) => /SessionID=([^;]+)/.exec(latin1(e.response.head))?.[1]));
    expect(ids.size).toBeGreaterThan(1);
    expect(new Set([...ids].map((id) => id?.split('.')[0])).size).toBe(1);

    const opened = rig.of('session-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ server: 'NS', requestedIp: profile === 'bitlbee' ? '' : 'messenger.hotmail.com', clientAddress: '127.0.0.1' });
    expect(opened[0].upstream).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: rig.upstream.port });
  });

  it('signs out: OUT relayed, Session=close delivered, then 400 with an empty body', async () => {
    const { rig, client } = await login(profile);
    // BitlBee keeps its long poll outstanding while OUT goes out; either answer may carry the close.
    await client.send('OUT\r\n');
    const upstream = await rig.upstream.connection(0);
    await upstream.waitForText('OUT\r\n');
    // Session=close rides on the OUT's answer or on the next poll.
    for (let i = 0; i < 50 && !client.sessionClosed; i++) {
      if ((await client.poll()).status !== 200) break;
      await sleep(20);
    }
    expect(client.sessionClosed).toBe(true);
    const closing = client.exchanges.find((e) => /; Session=close\r\n/.test(latin1(e.response.head)))!;
    expect(expectGatewayShape(closing.response)).toEqual([]);
    const after = await client.poll();
    expect(after.status).toBe(400);
    expect(after.body.length).toBe(0);
    const closed = await rig.waitEvent('session-closed');
    expect(closed.reason).toBe('client-out');
  });
});

describe('login over an in-process (emulator) upstream', () => {
  it('the official client logs in byte for byte through an InProcessConnection', async () => {
    const upstream = createInProcessUpstream({ script });
    const gateway = createGateway({ host: '127.0.0.1', port: 0, upstream: { kind: 'emulator', connect: upstream.connect } });
    onCleanup(async () => {
      await gateway.close();
      await upstream.close();
    });
    const { port } = await gateway.listen();
    const client = new LegacyClient('msn-official', { port });
    onCleanup(() => client.close());
    await client.open(commands[0].bytes);
    await client.pollUntil((t) => t.length >= expectedThrough(0).length);
    for (let i = 1; i < commands.length; i++) {
      await client.send(commands[i].bytes);
      await client.pollUntil(() => client.receivedBytes().length >= expectedThrough(i).length);
    }
    const conn = await upstream.connection(0);
    expect(conn.target).toMatchObject({ server: 'NS' });
    expect(conn.mismatches).toEqual([]);
    expect(latin1(conn.receivedBytes())).toBe(latin1(concatBytes(commands.map((c) => c.bytes))));
    expect(bytesEqual(client.receivedBytes(), expectedThrough(commands.length - 1))).toBe(true);
    expect(client.problems).toEqual([]);
  });
});

describe('idle polling', () => {
  it("the official client's poll timer (shortened) collects server-initiated data, one request at a time", async () => {
    const rig = await startRig({ script: [{ expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' }] });
    const client = rig.client('msn-official', { pollIntervalMs: 20 });
    await client.open('VER 1 MSNP8 CVR0\r\n');
    client.startPolling();
    const up = await rig.upstream.connection(0);
    await up.scriptDone;
    up.write('NLN NLN bob@example.com Bob 0\r\n');
    await waitFor(() => client.receivedText().includes('NLN NLN bob@example.com Bob 0\r\n'), 2000, 'NLN via poll');
    await client.stopPolling();
    expect(client.receivedText()).toBe('VER 1 MSNP8\r\nNLN NLN bob@example.com Bob 0\r\n');
    expect(client.exchanges.filter((e) => e.kind === 'poll').length).toBeGreaterThan(0);
    expect(client.exchanges.every((e) => e.response.status === 200)).toBe(true);
    expect(rig.of('notice').filter((n) => n.code === 'overlap-rejected')).toHaveLength(0);
  });
});
