// Decodes real server traffic end to end (Framer → decodeView). The lines are copied from
// /work/shared/fixtures/transcripts/msnp8-tcp.txt and msnp15-sso-tcp.txt (Escargot, loopback),
// with long tokens shortened; payload lengths are recomputed here.
import { describe, expect, it } from 'vitest';
import { decodeView } from './decoded.ts';
import type { DecodedView } from './decoded.ts';
import { Framer } from './framer.ts';
import type { FramingContext } from './types.ts';

const enc = new TextEncoder();

/** A command line, or a payload command given as [line without length, payload lines]. */
type Step = string | [string, string[]];

function stream(steps: Step[]): Uint8Array {
  let text = '';
  for (const step of steps) {
    if (typeof step === 'string') {
      text += `${step}\r\n`;
    } else {
      const payload = step[1].join('\r\n');
      text += `${step[0]} ${enc.encode(payload).length}\r\n${payload}`;
    }
  }
  return enc.encode(text);
}

function decodeAll(ctx: FramingContext, steps: Step[]): DecodedView[] {
  const framer = new Framer(ctx);
  const items = [...framer.push(stream(steps)), ...framer.end()];
  expect(items.every((i) => i.kind === 'command')).toBe(true);
  return items.flatMap((i) => (i.kind === 'command' ? [decodeView(i, ctx)] : []));
}

describe('decoding real traffic', () => {
  it('labels an MSNP8 notification-server session (server side)', () => {
    const views = decodeAll({ direction: 'server', server: 'NS', version: 8 }, [
      'VER 1 MSNP8',
      'CVR 2 6.0.0602 6.0.0602 6.0.0602 https://escargot.log1p.xyz https://escargot.log1p.xyz',
      'USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1',
      'USR 4 OK alice@example.com alice@example.com 1 0',
      ['MSG Hotmail Hotmail', ['MIME-Version: 1.0', 'Content-Type: text/x-msmsgsprofile; charset=UTF-8',
        'LoginTime: 1795408985', 'preferredEmail:', 'ClientIP: 127.0.0.1', 'ClientPort: 55706', '', '']],
      'SYN 5 1 1 1', 'GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', 'LST bob@example.com bob@example.com 11 0',
      'CHG 6 NLN 0', 'NLN NLN bob@example.com bob@example.com 0', 'ADD 7 FL 2 bob@example.com bob',
      'XFR 9 SB 127.0.0.1:1864 CKI 7a879c504cf30fa766f8',
    ]);
    expect(views.map((v) => [v.verb, v.category])).toEqual([
      ['VER', 'auth'], ['CVR', 'auth'], ['USR', 'auth'], ['USR', 'auth'], ['MSG', 'notification'],
      ['SYN', 'lists'], ['GTC', 'lists'], ['BLP', 'lists'], ['LSG', 'lists'], ['LST', 'lists'],
      ['CHG', 'presence'], ['NLN', 'presence'], ['ADD', 'lists'], ['XFR', 'switchboard'],
    ]);
    expect(views.every((v) => v.known && v.problems.length === 0)).toBe(true);
    expect(views[2].fields.passportParams).toBe('ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1');
    expect(views[3].fields).toMatchObject({ verified: '1', restricted: '0' });
    expect(views[4].payload.kind === 'mime' && views[4].payload.mime.headers[3]).toEqual(['preferredEmail', '']);
    expect(views[5].fields).toEqual({ trid: '5', listVersion: '1', contactCount: '1', groupCount: '1' });
    expect(views[8].fields).toEqual({ groupId: '0', groupName: 'Other Contacts', unused: '0' });
    expect(views[9].fields).toEqual({ handle: 'bob@example.com', friendlyName: 'bob@example.com', lists: '11', groups: '0' });
    expect(views[13].fields).toMatchObject({ address: '127.0.0.1:1864', authType: 'CKI', cookie: '7a879c504cf30fa766f8' });
  });

  it('labels an MSNP8 switchboard chat (server side)', () => {
    const views = decodeAll({ direction: 'server', server: 'SB', version: 8 }, [
      'USR 1 OK alice@example.com alice@example.com',
      'CAL 2 RINGING a81a9271db03441275007f2c6577f66',
      'JOI bob@example.com bob@example.com',
      'ACK 3',
      ['MSG bob@example.com bob@example.com', ['MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8',
        'X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22', '', 'Hi Alice!']],
      'BYE bob@example.com',
    ]);
    expect(views.map((v) => v.category)).toEqual(Array(6).fill('switchboard'));
    expect(views[1].fields).toEqual({ trid: '2', status: 'RINGING', sessionId: 'a81a9271db03441275007f2c6577f66' });
    expect(views[4].payload.kind === 'mime' && views[4].payload.mime.bodyText).toBe('Hi Alice!');
  });

  it('labels MSNP15 SSO traffic with a GCF policy file and an ADL', () => {
    const views = decodeAll({ direction: 'server', server: 'NS', version: 15 }, [
      ['GCF 0', ['<Policies>', '<Policy type="P2P" checksum="815D"><ObjStr SndDly="1" /></Policy>', '</Policies>']],
      'USR 3 SSO S MBI_KEY_OLD UXXGjLLz+pVHq7mULreaTasUFrLTjGftsJxgIoeoo5m3wjhvweKu0yslwC55cepU',
      'USR 4 OK alice@example.com 1 0', 'SBS 0 null', 'BLP 5 AL', 'ADL 6 OK', 'CHG 7 NLN 0',
      'XFR 8 SB 127.0.0.1:1864 CKI ed844e4fcdd7a28ca295 U messenger.msn.com 1',
    ]);
    expect(views[0].payload.kind === 'xml' && views[0].payload.xml.pretty)
      .toBe('<Policies>\n  <Policy type="P2P" checksum="815D">\n    <ObjStr SndDly="1" />\n  </Policy>\n</Policies>');
    expect(views[1].fields).toMatchObject({ policy: 'MBI_KEY_OLD', nonce: expect.stringMatching(/^UXX/) });
    expect(views[2].fields).toEqual({ trid: '4', status: 'OK', handle: 'alice@example.com', verified: '1', restricted: '0' });
    expect(views[3]).toMatchObject({ category: 'notification', fields: { trid: '0', value: 'null' } });
    expect(views[5].fields).toEqual({ trid: '6', status: 'OK' });
    expect(views[7].fields).toMatchObject({ u: 'U', authHost: 'messenger.msn.com', directConnect: '1' });
    expect(views.every((v) => v.known && v.problems.length === 0)).toBe(true);
  });
});
