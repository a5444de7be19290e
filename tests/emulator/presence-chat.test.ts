// Two users through the gateway: presence (ILN/NLN/FLN), a switchboard chat over SB sessions the
// gateway opened to the announced SB, ACK/NAK per message mode, a gateway user chatting with a
// direct TCP user, and the echo bot answering over the gateway.
import { describe, expect, it } from 'vitest';
import { TestClient } from '../../electron/emulator/test-support/client.ts';
import { online } from '../../electron/emulator/test-support/setup.ts';
import { bytesEqual, concatBytes, sleep } from '../harness/bytes.ts';
import { joinAsCallee, joinAsCaller, plainText, requestSwitchboard, sbOpens, typing, utf8 } from './support/chat.ts';
import { goOnline, loginOverGateway } from './support/login.ts';
import { onCleanup, startRig } from './support/rig.ts';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const ECHO = 'echo@example.com';

describe('presence and chat through the gateway', () => {
  it('MSNP9 (libpurple) and MSNP8 (official): ILN/NLN/FLN, CAL/RNG/ANS/IRO/JOI, ACK/NAK for U, N, A, D, BYE', async () => {
    const rig = await startRig({ listen: true, emulator: { bot: { enabled: false } } });
    const sbPort = rig.tcp!.sb.port;

    // Alice signs in first: Bob is offline, so no ILN for him.
    const aNs = rig.client('libpurple');
    await loginOverGateway(aNs, rig.passport, { handle: ALICE, version: 9 });
    const aOnline = await goOnline(aNs, 9);
    expect(aOnline.map((l) => l.verb)).toEqual(['CHG']);

    // Bob signs in: he gets ILN for Alice; Alice gets NLN for Bob.
    const bNs = rig.client('msn-official');
    await loginOverGateway(bNs, rig.passport, { handle: BOB, version: 8 });
    const [bChg, ...bRest] = await goOnline(bNs, 8);
    const iln = bRest.find((l) => l.verb === 'ILN') ?? (await bNs.waitFor('ILN'));
    expect(iln.line).toBe(`ILN ${bChg.trid} NLN ${ALICE} Alice 0`);
    expect((await aNs.waitFor('NLN')).line).toBe(`NLN NLN ${BOB} Bob 0`);

    // Alice asks for a switchboard; the announced address is the SB listener.
    const { host, port, cookie } = await requestSwitchboard(aNs);
    expect(`${host}:${port}`).toBe(`127.0.0.1:${sbPort}`);
    const aSb = await joinAsCaller(rig, 'libpurple', 9, ALICE, host, cookie);

    const cal = await aSb.cmd('CAL', BOB);
    const ringing = await aSb.waitFor('CAL', cal);
    expect(ringing.line).toMatch(new RegExp(`^CAL ${cal} RINGING \\d+$`));
    const rng = await bNs.waitFor('RNG');
    expect(rng.line).toMatch(new RegExp(`^RNG ${ringing.args[2]} 127\\.0\\.0\\.1:${sbPort} CKI \\S+ ${ALICE} Alice$`));
    const { sb: bSb, iro } = await joinAsCallee(rig, 'msn-official', 8, BOB, rng);
    expect(iro.map((l) => l.line)).toEqual([`IRO ${iro[0].trid} 1 1 ${ALICE} Alice`]);
    expect((await aSb.waitFor('JOI')).line).toBe(`JOI ${BOB} Bob`);

    // Both SB sessions were opened with IP=<host without port> and relayed to the announced port.
    expect(sbOpens(rig)).toEqual([
      { requestedIp: '127.0.0.1', host: '127.0.0.1', port: sbPort },
      { requestedIp: '127.0.0.1', host: '127.0.0.1', port: sbPort },
    ]);

    // A: delivered byte for byte (multi-byte UTF-8 counted in bytes), then ACK.
    const hello = plainText('Hello Bob — ünïcödé ✓ 你好');
    const mA = await aSb.cmd('MSG', 'A', hello);
    expect((await aSb.waitFor('ACK')).line).toBe(`ACK ${mA}`);
    const got = await bSb.waitFor('MSG');
    expect(got.line).toBe(`MSG ${ALICE} Alice ${utf8.encode(hello).length}`);
    expect(bytesEqual(got.payload!, utf8.encode(hello))).toBe(true);

    // D (MSNP9+): binary payload kept intact, ACK.
    const binary = new Uint8Array([0x4d, 0x49, 0x4d, 0x45, 0, 13, 10, 255, 1, 0x80]);
    const mD = await aSb.cmd('MSG', 'D', binary);
    expect((await aSb.waitFor('ACK')).line).toBe(`ACK ${mD}`);
    const gotD = await bSb.waitFor('MSG');
    expect(bytesEqual(gotD.payload!, binary)).toBe(true);

    // U: relayed, never acknowledged. N: no reply on success. D is not MSNP8: 200.
    await bSb.cmd('MSG', 'U', typing(BOB));
    await bSb.cmd('MSG', 'N', plainText('Hi Alice!'));
    const dOld = await bSb.cmd('MSG', 'D', plainText('x'));
    expect((await bSb.drain()).map((l) => l.line)).toEqual([`200 ${dOld}`]);
    const toAlice = await aSb.drain();
    expect(toAlice.map((l) => l.line)).toEqual([
      `MSG ${BOB} Bob ${utf8.encode(typing(BOB)).length}`,
      `MSG ${BOB} Bob ${utf8.encode(plainText('Hi Alice!')).length}`,
    ]);

    // Bob leaves the SB: his session ends with Session=close, Alice sees BYE.
    await bSb.line('OUT');
    await bSb.untilClosed();
    expect((await aSb.waitFor('BYE')).line).toBe(`BYE ${BOB}`);

    // Alone: A and N get NAK, U gets nothing.
    const lonelyA = await aSb.cmd('MSG', 'A', hello);
    const lonelyN = await aSb.cmd('MSG', 'N', hello);
    await aSb.cmd('MSG', 'U', typing(ALICE));
    expect((await aSb.drain()).map((l) => l.line)).toEqual([`NAK ${lonelyA}`, `NAK ${lonelyN}`]);

    // A friendly name with multi-byte UTF-8 (URL-encoded on the wire) reaches the watcher as NLN.
    const rea = await aNs.cmd('REA', `${ALICE} Al%C3%AFce%20%E2%9C%93`);
    expect((await aNs.waitFor('REA', rea)).line).toMatch(new RegExp(`^REA ${rea} \\d+ ${ALICE} Al%C3%AFce%20%E2%9C%93$`));
    expect((await bNs.waitFor('NLN')).line).toBe(`NLN NLN ${ALICE} Al%C3%AFce%20%E2%9C%93 0`);

    // Bob signs out of the NS: Alice sees FLN.
    await bNs.line('OUT');
    await bNs.untilClosed();
    expect((await aNs.waitFor('FLN')).line).toBe(`FLN ${BOB}`);
    for (const c of [aNs, bNs, aSb, bSb]) expect(c.http.problems).toEqual([]);
  });

  it('MSNP9: three in a room (bot included), a command split across two requests, a 100 kB binary MSG D byte for byte', async () => {
    const rig = await startRig();
    const aNs = rig.client('msn-official');
    await loginOverGateway(aNs, rig.passport, { handle: ALICE, version: 9 });
    await goOnline(aNs, 9);
    const bNs = rig.client('libpurple');
    await loginOverGateway(bNs, rig.passport, { handle: BOB, version: 9 });
    await goOnline(bNs, 9);
    const { host, cookie } = await requestSwitchboard(aNs);
    const aSb = await joinAsCaller(rig, 'msn-official', 9, ALICE, host, cookie);
    await aSb.cmd('CAL', ECHO);
    expect((await aSb.waitFor('JOI')).line).toBe(`JOI ${ECHO} Echo%20Bot`);
    await aSb.cmd('CAL', BOB);
    const { sb: bSb, iro } = await joinAsCallee(rig, 'libpurple', 9, BOB, await bNs.waitFor('RNG'));
    expect(iro.map((l) => l.args.slice(1).join(' '))).toEqual([`1 2 ${ALICE} Alice`, `2 2 ${ECHO} Echo%20Bot`]);
    expect((await aSb.waitFor('JOI')).line).toBe(`JOI ${BOB} Bob`);

    // The gateway relays bytes, not commands: a MSG cut in two requests arrives whole.
    const split = aSb.encode('MSG', 'A', plainText('split ✓'));
    await aSb.sendBytes(split.bytes.subarray(0, 10));
    await aSb.sendBytes(split.bytes.subarray(10));
    expect((await aSb.waitFor('ACK')).trid).toBe(split.trid);
    const atBob = await bSb.waitFor('MSG');
    expect(atBob.line).toBe(`MSG ${ALICE} Alice ${utf8.encode(plainText('split ✓')).length}`);
    // The bot echoes to the room.
    expect((await bSb.waitFor('MSG')).args[0]).toBe(ECHO);

    const head = utf8.encode(`MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\nP2P-Dest: ${BOB}\r\n\r\n`);
    const p2p = concatBytes([head, new Uint8Array(100_000).map((_, i) => (i * 7) & 255)]);
    const m = await aSb.cmd('MSG', 'D', p2p);
    expect((await aSb.waitFor('ACK')).trid).toBe(m);
    const big = await bSb.waitFor('MSG');
    expect(big.line).toBe(`MSG ${ALICE} Alice ${p2p.length}`);
    expect(bytesEqual(big.payload!, p2p)).toBe(true);
  });

  it('a delivered MSG N gets no reply, and the quiet chat after it is not cut as a stalled upstream', async () => {
    // Found by this suite: the relay counted `MSG t N` as a command expecting an answer, so an SB
    // session went silent after one was delivered ended as STALL (stallTimeoutMs, default 60 s).
    const rig = await startRig({ emulator: { bot: { enabled: false } }, gateway: { stallTimeoutMs: 150 } });
    const aNs = rig.client('msn-official');
    await loginOverGateway(aNs, rig.passport, { handle: ALICE, version: 9 });
    await goOnline(aNs, 9);
    const bNs = rig.client('libpurple');
    await loginOverGateway(bNs, rig.passport, { handle: BOB, version: 9 });
    await goOnline(bNs, 9);
    const { host, cookie } = await requestSwitchboard(aNs);
    const aSb = await joinAsCaller(rig, 'msn-official', 9, ALICE, host, cookie);
    await aSb.cmd('CAL', BOB);
    const { sb: bSb } = await joinAsCallee(rig, 'libpurple', 9, BOB, await bNs.waitFor('RNG'));
    await aSb.waitFor('JOI');
    await bSb.cmd('MSG', 'N', plainText('hi'));
    await aSb.waitFor('MSG');
    // Three stall windows of silence, with the clients polling as usual.
    for (let i = 0; i < 8; i++) {
      await sleep(50);
      await bSb.poll();
      await aSb.poll();
    }
    expect(rig.of('upstream-error')).toEqual([]);
    expect(bSb.sessionClosed).toBe(false);
    const m = await bSb.cmd('MSG', 'A', plainText('still here'));
    expect((await bSb.waitFor('ACK')).trid).toBe(m);
  });

  it('MSNP12: a gateway user (aMSN style) chats with a user on the direct TCP listener', async () => {
    const rig = await startRig({ listen: true, emulator: { bot: { enabled: false } } });
    const tcp = rig.tcp!;

    const aNs = rig.client('amsn');
    await loginOverGateway(aNs, rig.passport, { handle: ALICE, version: 12 });
    await goOnline(aNs, 12);

    // Bob on plain TCP (the emulator's own test client and login helper).
    const bNs = await TestClient.tcp(tcp.ns.port, 'NS');
    onCleanup(() => bNs.end());
    const bOnline = await online(bNs, rig, BOB, 12);
    expect(bOnline.some((l) => l.verb === 'ILN' && l.args[2] === ALICE)).toBe(true);
    expect((await aNs.waitFor('NLN')).args.slice(0, 2)).toEqual(['NLN', BOB]);

    // Bob (TCP) calls Alice (gateway).
    const xfr = await bNs.waitFor('XFR', bNs.cmd('XFR', 'SB'));
    const bSb = await TestClient.tcp(tcp.sb.port, 'SB', 12);
    onCleanup(() => bSb.end());
    const usr = bSb.cmd('USR', `${BOB} ${xfr.args[4]}`);
    expect((await bSb.next()).args.slice(0, 2)).toEqual([String(usr), 'OK']);
    const cal = bSb.cmd('CAL', ALICE);
    expect((await bSb.next()).args.slice(0, 2)).toEqual([String(cal), 'RINGING']);

    const rng = await aNs.waitFor('RNG');
    expect(rng.args[1]).toBe(`127.0.0.1:${tcp.sb.port}`);
    const { sb: aSb, iro } = await joinAsCallee(rig, 'amsn', 12, ALICE, rng);
    // MSNP12 IRO carries the client capabilities.
    expect(iro.map((l) => l.args.slice(1, 5))).toEqual([['1', '1', BOB, 'Bob']]);
    expect((await bSb.waitFor('JOI')).args.slice(0, 2)).toEqual([ALICE, 'Alice']);

    const fromTcp = plainText('from the TCP side ✓');
    const m1 = bSb.cmd('MSG', 'A', fromTcp);
    expect((await bSb.waitFor('ACK')).trid).toBe(m1);
    const atGateway = await aSb.waitFor('MSG');
    expect(atGateway.line).toBe(`MSG ${BOB} Bob ${utf8.encode(fromTcp).length}`);
    expect(bytesEqual(atGateway.payload!, utf8.encode(fromTcp))).toBe(true);

    const fromGateway = plainText('from the gateway side ✓');
    const m2 = await aSb.cmd('MSG', 'A', fromGateway);
    expect((await aSb.waitFor('ACK')).line).toBe(`ACK ${m2}`);
    const atTcp = await bSb.waitFor('MSG');
    expect(bytesEqual(atTcp.payload!, utf8.encode(fromGateway))).toBe(true);
    expect(sbOpens(rig)).toEqual([{ requestedIp: '127.0.0.1', host: '127.0.0.1', port: tcp.sb.port }]);
  });

  it('MSNP15 (SSO, Kopete style): the echo bot joins and answers over the gateway', async () => {
    const rig = await startRig();
    const ns = rig.client('kopete');
    await loginOverGateway(ns, rig.passport, { handle: ALICE, version: 15 });
    await goOnline(ns, 15, 'NLN', [BOB, ECHO]);
    const { xfr, host, cookie } = await requestSwitchboard(ns);
    // MSNP13+ XFR: `U messenger.msn.com`, MSNP14+: `1`.
    expect(xfr.args.slice(5)).toEqual(['U', 'messenger.msn.com', '1']);
    const sb = await joinAsCaller(rig, 'kopete', 15, ALICE, host, cookie);
    const cal = await sb.cmd('CAL', ECHO);
    expect((await sb.waitFor('CAL', cal)).args[1]).toBe('RINGING');
    expect((await sb.waitFor('JOI')).args[0]).toBe(ECHO);

    const text = plainText('echo this: ✓ ü');
    const m = await sb.cmd('MSG', 'A', text);
    expect((await sb.waitFor('ACK')).trid).toBe(m);
    const echo = await sb.waitFor('MSG');
    expect(echo.args.slice(0, 2)).toEqual([ECHO, 'Echo%20Bot']);
    expect(new TextDecoder().decode(echo.payload!)).toContain('echo this: ✓ ü');
    expect(sb.http.problems).toEqual([]);
    // XFR announced the default SB address; the relay learned the cookie from it even after the
    // GCF, UBX and MSG payloads of MSNP15, and opened the SB session there.
    expect(sbOpens(rig)).toEqual([{ requestedIp: '127.0.0.1', host: '127.0.0.1', port: 1864 }]);
  });

  it('the echo bot changes presence now and then, and watchers behind the gateway see it', async () => {
    const rig = await startRig({ emulator: { bot: { presenceIntervalMs: 30 } } });
    const ns = rig.client('msn-official');
    await loginOverGateway(ns, rig.passport, { handle: ALICE, version: 8 });
    await goOnline(ns, 8);
    const seen = new Set<string>();
    while (seen.size < 2) {
      const nln = await ns.waitFor('NLN');
      expect(nln.line).toMatch(/^NLN (NLN|AWY|BSY) echo@example\.com Echo%20Bot 0$/);
      seen.add(nln.args[0]);
    }
  });

  it('MSNP15 over a TCP-relaying gateway: MSNPSharp long polls get RNG, SB opens follow XFR/RNG, UUX reaches the watcher as UBX', async () => {
    const rig = await startRig({ upstream: 'tcp', emulator: { bot: { enabled: false } } });
    const sbPort = rig.tcp!.sb.port;
    const aNs = rig.client('msn-official');
    await loginOverGateway(aNs, rig.passport, { handle: ALICE, version: 15 });
    await goOnline(aNs, 15, 'NLN', [BOB]);
    const bNs = rig.client('msnpsharp');
    await loginOverGateway(bNs, rig.passport, { handle: BOB, version: 15, batched: true });
    await goOnline(bNs, 15, 'NLN', [ALICE]);
    expect((await aNs.waitFor('NLN')).args.slice(0, 3)).toEqual(['NLN', BOB, '1']);

    const psm = '<Data><PSM>out for lunch ✓</PSM><CurrentMedia></CurrentMedia></Data>';
    const uux = await aNs.cmd('UUX', '', psm);
    expect((await aNs.waitFor('UUX', uux)).line).toBe(`UUX ${uux} 0`);
    const ubx = await bNs.waitFor('UBX');
    expect(ubx.line).toBe(`UBX ${ALICE} 1 ${utf8.encode(psm).length}`);
    expect(bytesEqual(ubx.payload!, utf8.encode(psm))).toBe(true);

    const { host, port, cookie } = await requestSwitchboard(aNs);
    expect(port).toBe(sbPort);
    const aSb = await joinAsCaller(rig, 'msn-official', 15, ALICE, host, cookie);
    await aSb.cmd('CAL', BOB);
    // Bob's client only long-polls (Lifespan=3): the RNG ends the held poll.
    const rng = await bNs.waitFor('RNG');
    expect(rng.args.slice(1)).toEqual([`127.0.0.1:${sbPort}`, 'CKI', rng.args[3], ALICE, 'Alice', 'U', 'messenger.msn.com', '1']);
    const { sb: bSb } = await joinAsCallee(rig, 'msnpsharp', 15, BOB, rng);
    expect((await aSb.waitFor('JOI')).args.slice(0, 2)).toEqual([BOB, 'Bob']);
    const m = await bSb.cmd('MSG', 'A', plainText('held poll ✓'));
    expect((await bSb.waitFor('ACK')).trid).toBe(m);
    expect(new TextDecoder().decode((await aSb.waitFor('MSG')).payload!)).toContain('held poll ✓');
    expect(rig.of('upstream-connected').map((e) => e.port)).toEqual([rig.tcp!.ns.port, rig.tcp!.ns.port, sbPort, sbPort]);
    for (const c of [aNs, bNs, aSb, bSb]) expect(c.http.problems).toEqual([]);
  });

  it('gateway relaying over TCP to the emulator listeners: SB opens go to the port XFR announced', async () => {
    const rig = await startRig({ upstream: 'tcp', emulator: { bot: { enabled: false } } });
    const sbPort = rig.tcp!.sb.port;
    const aNs = rig.client('msn-official');
    await loginOverGateway(aNs, rig.passport, { handle: ALICE, version: 8 });
    await goOnline(aNs, 8);
    const bNs = rig.client('libpurple');
    await loginOverGateway(bNs, rig.passport, { handle: BOB, version: 8 });
    await goOnline(bNs, 8);

    const { host, cookie } = await requestSwitchboard(aNs);
    const aSb = await joinAsCaller(rig, 'msn-official', 8, ALICE, host, cookie);
    await aSb.cmd('CAL', BOB);
    const rng = await bNs.waitFor('RNG');
    // aMSN opens the SB session with an empty body (no cookie to route by): the gateway goes to
    // the port announced for the IP= host.
    const { sb: bSb } = await joinAsCallee(rig, 'amsn', 8, BOB, rng);
    await aSb.waitFor('JOI');
    const m = await aSb.cmd('MSG', 'A', plainText('over real TCP'));
    expect((await aSb.waitFor('ACK')).trid).toBe(m);
    expect(new TextDecoder().decode((await bSb.waitFor('MSG')).payload!)).toContain('over real TCP');
    // The gateway connected both SB sessions to the announced port (never the default 1863).
    const connected = rig.of('upstream-connected').map((e) => e.port);
    expect(connected).toEqual([rig.tcp!.ns.port, rig.tcp!.ns.port, sbPort, sbPort]);
  });
});
