import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { descendants, parseXml, path, xmlEscape, XmlError } from './xml.ts';
import { parseRstRequest, RstRequestError } from './rst-request.ts';
import { authenticationInfoHeader, parsePassportAuthorization, passportUrlsHeader } from './tweener.ts';

const fixture = readFileSync(new URL('./__fixtures__/rst-msnp15.xml', import.meta.url), 'utf8');
const rst = (user: string, pass: string) => fixture.replace('{{USERNAME}}', xmlEscape(user)).replace('{{PASSWORD}}', xmlEscape(pass));

describe('parseXml', () => {
  it('matches by local name and decodes entities, character references and CDATA', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><a:Root xmlns:a="u"><b:X k=\'v&amp;w\' z="1">1 &lt; 2 &#x41;&#66;<![CDATA[<raw>&amp;]]></b:X><Y/></a:Root>');
    expect(root.name).toBe('Root');
    expect(path(root, 'X')?.attrs).toEqual({ k: 'v&w', z: '1' });
    expect(path(root, 'X')?.text).toBe('1 < 2 AB<raw>&amp;');
    expect(descendants(root, 'Y')).toHaveLength(1);
  });

  it('refuses malformed documents, DOCTYPE and oversized trees with XmlError', () => {
    const bad = [
      '', 'text', '<a>', '<a></b>', '<a><b></a></b>', '<a x="1"y="2"/>', '<a>&bogus;</a>', '<a>&</a>', '<a>&#0;</a>',
      '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', '<a/><b/>', '<a><!-- unterminated</a>', '<a x=1/>', '<a/>trailing',
    ];
    for (const text of bad) expect(() => parseXml(text), text).toThrow(XmlError);
    expect(() => parseXml('<a>'.repeat(65) + '</a>'.repeat(65))).toThrow(/nesting deeper than 64/);
    expect(() => parseXml(`<a>${'<b/>'.repeat(5000)}</a>`)).toThrow(/more than 4096 elements/);
  });

  it('never throws anything but XmlError on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      try {
        parseXml(text);
      } catch (error) {
        return error instanceof XmlError;
      }
      return true;
    }), { numRuns: 500 });
  });
});

describe('parseRstRequest', () => {
  it('reads credentials and each token request in order with its RST number', () => {
    const request = parseRstRequest(rst('alice@example.com', 'p<&>"\'w'));
    expect(request.username).toBe('alice@example.com');
    expect(request.password).toBe('p<&>"\'w');
    expect(request.tokens).toEqual([
      { index: 0, id: 'RST0', address: 'http://Passport.NET/tb', policy: null },
      { index: 1, id: 'RST1', address: 'messengerclear.live.com', policy: 'MBI_KEY_OLD' },
      { index: 2, id: 'RST2', address: 'messenger.msn.com', policy: '?id=507' },
      { index: 3, id: 'RST3', address: 'contacts.msn.com', policy: 'MBI' },
    ]);
  });

  it('explains what is missing', () => {
    expect(() => parseRstRequest('<x/>')).toThrow(/not a SOAP Envelope/);
    expect(() => parseRstRequest('<Envelope><Body/></Envelope>')).toThrow(/UsernameToken/);
    expect(() => parseRstRequest(rst('a@b.c', 'p').replace(/<wst:RequestSecurityToken [\s\S]*<\/ps:Request/, '</ps:Request'))).toThrow(/no RequestSecurityToken/);
    expect(() => parseRstRequest('<Envelope')).toThrow(RstRequestError);
    const many = rst('a@b.c', 'p').replace('</ps:RequestMultipleSecurityTokens>', '<wst:RequestSecurityToken><wsp:AppliesTo><wsa:EndpointReference><wsa:Address>x</wsa:Address></wsa:EndpointReference></wsp:AppliesTo></wst:RequestSecurityToken>'.repeat(40) + '</ps:RequestMultipleSecurityTokens>');
    expect(() => parseRstRequest(many)).toThrow(/more than 32/);
  });
});

describe('Passport 1.4 headers', () => {
  it('nexus DALogin is host:port/path without a scheme', () => {
    const header = passportUrlsHeader({ loginHostPort: 'login.passport.com' });
    expect(header.split(',')[0]).toBe('DARealm=Passport.Net');
    expect(header.split(',')[1]).toBe('DALogin=login.passport.com/login2.srf');
    expect(header).toMatch(/,ConfigVersion=\d+$/);
  });

  it('parses the Authorization header, URL-decoding sign-in and pwd', () => {
    const creds = parsePassportAuthorization(
      'Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=alice%40example.com,pwd=p%2Cw%25d,lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=abc',
    );
    expect(creds).toMatchObject({ signIn: 'alice@example.com', password: 'p,w%d' });
    expect(creds?.fields.ru).toBe('http://messenger.msn.com');
    // A raw comma in an unencoded password survives; a stray '%' is kept as is.
    expect(parsePassportAuthorization('Passport1.4 sign-in=a@b.c,pwd=x,y%zz,lc=1033')?.password).toBe('x,y%zz');
    for (const bad of [undefined, '', 'Basic YWxpY2U6YWxpY2U=', 'Passport1.4', 'Passport1.4 garbage', 'Passport1.4 pwd=x', `Passport1.4 sign-in=a@b.c,pwd=${'x'.repeat(9000)}`]) {
      expect(parsePassportAuthorization(bad)).toBeNull();
    }
  });

  it('puts the ticket in from-PP and only echoes a tame ru', () => {
    expect(authenticationInfoHeader('t=A&p=B', 'http://messenger.msn.com')).toBe(
      "Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,from-PP='t=A&p=B',ru=http://messenger.msn.com",
    );
    expect(authenticationInfoHeader('t=A&p=B', "http://x',evil=1")).toMatch(/,ru=http:\/\/messenger\.msn\.com$/);
  });
});
