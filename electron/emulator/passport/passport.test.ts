// The Passport endpoints over real HTTP and HTTPS sockets on 127.0.0.1, trusting the generated CA.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../accounts.ts';
import { TicketStore } from '../tickets.ts';
import { createPassportServers } from './servers.ts';
import type { PassportServers } from './servers.ts';
import type { PassportEvent } from './handler.ts';
import { descendants, parseXml, path, xmlEscape } from './xml.ts';

const fixture = readFileSync(new URL('./__fixtures__/rst-msnp15.xml', import.meta.url), 'utf8');
const rstBody = (user: string, pass: string) => fixture.replace('{{USERNAME}}', xmlEscape(user)).replace('{{PASSWORD}}', xmlEscape(pass));

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Call {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  chunked?: boolean;
  tls?: { servername?: string; minVersion?: 'TLSv1'; maxVersion?: 'TLSv1'; ciphers?: string };
}

let dir: string;
let servers: PassportServers;
let accounts: AccountStore;
let tickets: TicketStore;
const events: PassportEvent[] = [];

function call(over: 'http' | 'https', c: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const listener = over === 'http' ? servers.http : servers.https;
    const options = {
      host: '127.0.0.1',
      port: listener.port,
      method: c.method ?? 'GET',
      path: c.path,
      headers: c.headers,
      agent: false as const,
      ...(over === 'https' ? { ca: servers.certificates.caCertPem, ...c.tls } : {}),
    };
    const req = (over === 'http' ? httpRequest : httpsRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (c.body !== undefined && c.chunked) {
      const body = Buffer.from(c.body);
      for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
    } else if (c.body !== undefined) {
      req.setHeader('Content-Length', Buffer.byteLength(c.body));
      req.write(c.body);
    }
    req.end();
  });
}

const login2 = (signIn: string, pwd: string) => ({
  path: '/login2.srf',
  headers: {
    Authorization: `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=${encodeURIComponent(signIn)},pwd=${encodeURIComponent(pwd)},lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=0123456789abcdef`,
  },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'h6-passport-'));
  accounts = new AccountStore({ dataDir: null });
  tickets = new TicketStore();
  servers = await createPassportServers({ dataDir: dir, accounts, tickets, onEvent: (e) => events.push(e) });
});

afterAll(async () => {
  await servers?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('nexus /rdr/pprdr.asp', () => {
  it('answers PassportURLs with DALogin as host:port/login2.srf, no scheme, pointing at the HTTPS listener', async () => {
    const reply = await call('https', { path: '/rdr/pprdr.asp' });
    expect(reply.status).toBe(200);
    const fields = String(reply.headers.passporturls).split(',');
    expect(fields[0]).toBe('DARealm=Passport.Net');
    expect(fields[1]).toBe(`DALogin=127.0.0.1:${servers.https.port}/login2.srf`);
    expect(fields.map((f) => f.split('=')[0])).toEqual(['DARealm', 'DALogin', 'DAReg', 'Properties', 'Privacy', 'GeneralRedir', 'Help', 'ConfigVersion']);
    expect(servers.loginHostPort).toBe(`127.0.0.1:${servers.https.port}`);
    // The same answer over plain HTTP.
    expect((await call('http', { path: '/rdr/pprdr.asp' })).headers.passporturls).toBe(reply.headers.passporturls);
  });

  it('is served under the Passport host names in the certificate', async () => {
    const reply = await call('https', { path: '/rdr/pprdr.asp', tls: { servername: 'nexus.passport.com' } });
    expect(reply.status).toBe(200);
  });
});

describe('login2.srf', () => {
  it('returns the ticket in Authentication-Info on success, redeemable by the notification server', async () => {
    const reply = await call('https', login2('alice@example.com', 'alice'));
    expect(reply.status).toBe(200);
    const info = String(reply.headers['authentication-info']);
    const m = /^Passport1\.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,from-PP='(t=[^'&]+&p=[^']+)',ru=http:\/\/messenger\.msn\.com$/.exec(info);
    expect(m, info).not.toBeNull();
    expect(tickets.redeem(m![1])).toBe('alice@example.com');
    expect(events.at(-1)).toEqual({ endpoint: 'login2', status: 200, handle: 'alice@example.com', outcome: 'ok' });
  });

  it('answers wrong credentials with 401 and da-status=failed', async () => {
    for (const [user, pwd] of [['alice@example.com', 'wrong'], ['nobody@example.com', 'x'], ['not an email', 'x'], ['alice@example.com', '%ZZ']]) {
      const reply = await call('https', login2(user, pwd));
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Passport1\.4 da-status=failed,/);
      expect(reply.headers['authentication-info']).toBeUndefined();
    }
    expect(JSON.stringify(events)).not.toContain('wrong');
  });

  it('answers a missing header with 401 and a garbled one with 400, and keeps serving', async () => {
    expect((await call('http', { path: '/login2.srf' })).status).toBe(401);
    for (const auth of ['Basic YWxpY2U6YWxpY2U=', 'Passport1.4', 'Passport1.4 ,,,,===,', 'Passport1.4 pwd=alice']) {
      const reply = await call('http', { path: '/login2.srf', headers: { Authorization: auth } });
      expect(reply.status, auth).toBe(400);
    }
    expect((await call('http', login2('bob@example.com', 'bob'))).status).toBe(200);
  });

  it('answers a POST with 405', async () => {
    const reply = await call('http', { ...login2('alice@example.com', 'alice'), method: 'POST', body: '' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });
});

/** Finds tokens the way libpurple does: skip the first response, Id number minus one indexes RST1.. */
function clientTokens(xml: string): Map<string, { ticket: string; secret: string | null; wsId: string }> {
  const collection = descendants(parseXml(xml), 'RequestSecurityTokenResponseCollection')[0];
  const asked = ['messengerclear.live.com', 'messenger.msn.com', 'contacts.msn.com'];
  const found = new Map<string, { ticket: string; secret: string | null; wsId: string }>();
  for (const response of collection.children.slice(1)) {
    const token = path(response, 'RequestedSecurityToken', 'BinarySecurityToken');
    if (token === null) continue;
    const index = Number(token.attrs.Id.slice(7)) - 1;
    found.set(asked[index], { ticket: token.text, secret: path(response, 'RequestedProofToken', 'BinarySecret')?.text ?? null, wsId: token.attrs.Id });
  }
  return found;
}

describe('RST.srf', () => {
  it('numbers tokens by the request\'s RST Id, as clients look them up', async () => {
    const reply = await call('https', { method: 'POST', path: '/RST.srf', body: rstBody('alice@example.com', 'alice'), headers: { 'Content-Type': 'text/xml' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/xml/);
    const root = parseXml(reply.body);
    const responses = descendants(root, 'RequestSecurityTokenResponse');
    expect(responses.map((r) => path(r, 'AppliesTo', 'EndpointReference', 'Address')?.text)).toEqual([
      'http://Passport.NET/tb', 'messengerclear.live.com', 'messenger.msn.com', 'contacts.msn.com',
    ]);
    expect(path(responses[0], 'RequestedSecurityToken', 'EncryptedData')?.attrs.Id).toBe('BinaryDAToken0');

    const tokens = clientTokens(reply.body);
    const clear = tokens.get('messengerclear.live.com')!;
    expect(clear.wsId).toBe('Compact1');
    expect(clear.ticket).toMatch(/^t=[A-Za-z0-9_-]+&p=[A-Za-z0-9_-]+$/);
    expect(Buffer.from(clear.secret!, 'base64')).toHaveLength(24);
    expect(tickets.redeem(clear.ticket)).toBe('alice@example.com');
    expect(tickets.lookup(clear.ticket)?.binarySecret).toBe(clear.secret);
    expect(tokens.get('messenger.msn.com')!.wsId).toBe('PPToken2');
    expect(tokens.get('contacts.msn.com')!.wsId).toBe('Compact3');
    expect(events.at(-1)?.tokens).toEqual(['BinaryDAToken0', 'Compact1', 'PPToken2', 'Compact3']);
  });

  it('numbers by Id even when the client starts elsewhere or skips numbers', async () => {
    const body = rstBody('bob@example.com', 'bob').replace('Id="RST1"', 'Id="RST5"');
    const reply = await call('http', { method: 'POST', path: '/rst.srf', body });
    expect(reply.body).toContain('<wsse:BinarySecurityToken Id="Compact5">');
  });

  it('answers bad credentials with a wsse:FailedAuthentication fault (HTTP 200) and no token', async () => {
    const reply = await call('https', { method: 'POST', path: '/RST.srf', body: rstBody('alice@example.com', 'nope') });
    expect(reply.status).toBe(200);
    const fault = descendants(parseXml(reply.body), 'Fault')[0];
    expect(path(fault, 'faultcode')?.text).toBe('wsse:FailedAuthentication');
    expect(reply.body).not.toContain('BinarySecurityToken');
  });

  it('answers unusable requests with 400 and a SOAP fault', async () => {
    for (const body of ['', '<not xml', '<Envelope><Body/></Envelope>', '<!DOCTYPE x [<!ENTITY a "b">]><x/>']) {
      const reply = await call('http', { method: 'POST', path: '/RST.srf', body });
      expect(reply.status, body).toBe(400);
      expect(reply.body).toContain('<faultcode>S:Client</faultcode>');
    }
    expect((await call('http', { path: '/RST.srf' })).status).toBe(405);
  });

  it('caps the body at 64 KiB with 413, declared or streamed', async () => {
    const big = rstBody('alice@example.com', 'alice').replace('<ps:Cookies></ps:Cookies>', `<ps:Cookies>${'x'.repeat(70 * 1024)}</ps:Cookies>`);
    expect((await call('http', { method: 'POST', path: '/RST.srf', body: big })).status).toBe(413);
    const streamed = await call('https', { method: 'POST', path: '/RST.srf', body: big, chunked: true });
    expect(streamed.status).toBe(413);
    expect(events.filter((e) => e.outcome === 'too-large')).toHaveLength(2);
    // Just under the cap is still read.
    const fits = rstBody('alice@example.com', 'alice').replace('<ps:Cookies></ps:Cookies>', `<ps:Cookies>${'x'.repeat(60 * 1024)}</ps:Cookies>`);
    expect((await call('http', { method: 'POST', path: '/RST.srf', body: fits })).status).toBe(200);
  });

  it('creates the account on first login in open mode', async () => {
    accounts.open = true;
    try {
      const reply = await call('https', { method: 'POST', path: '/RST.srf', body: rstBody('newcomer@example.com', 'whatever') });
      expect(tickets.redeem(clientTokens(reply.body).get('messengerclear.live.com')!.ticket)).toBe('newcomer@example.com');
      expect(accounts.has('newcomer@example.com')).toBe(true);
    } finally {
      accounts.open = false;
    }
  });
});

describe('listeners', () => {
  it('answers other paths with 404 and still accepts TLS 1.0 for old Windows clients', async () => {
    expect((await call('http', { path: '/gateway/gateway.dll' })).status).toBe(404);
    const old = await call('https', { path: '/rdr/pprdr.asp', tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } });
    expect(old.status).toBe(200);
  });

  it('handler returns false for paths it does not own, so another server can mount it', () => {
    const fakeReq = { url: '/gateway/gateway.dll?Action=open', method: 'POST' } as never;
    expect(servers.handler(fakeReq, {} as never)).toBe(false);
  });
});
