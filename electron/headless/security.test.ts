import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createToken, hostAllowed, originAllowed, parseHostHeader, tokenMatches } from './security.ts';

describe('token', () => {
  it('is 32 random bytes in base64url, different every run', () => {
    const a = createToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(createToken()).not.toBe(a);
  });

  it('matches only the exact token', () => {
    const t = createToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, null)).toBe(false);
    expect(tokenMatches(t, undefined)).toBe(false);
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, t.slice(0, -1))).toBe(false);
    expect(tokenMatches(t, `${t}x`)).toBe(false);
    expect(tokenMatches(t, t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A'))).toBe(false);
    // Same length in characters, different in bytes: still no match and no throw.
    expect(tokenMatches('ab', 'é')).toBe(false);
    expect(tokenMatches('abc', 'éa')).toBe(false);
  });
});

describe('Host', () => {
  it('parses name and port', () => {
    expect(parseHostHeader('LocalHost:80')).toEqual({ name: 'localhost', port: 80 });
    expect(parseHostHeader('[::1]:8080')).toEqual({ name: '::1', port: 8080 });
    expect(parseHostHeader('example.com')).toBeNull();
    expect(parseHostHeader('a:b:1')).toBeNull();
    expect(parseHostHeader('a b:1')).toBeNull();
  });

  it('accepts only our address or localhost, on our port', () => {
    expect(hostAllowed('127.0.0.1:5000', '127.0.0.1', 5000)).toBe(true);
    expect(hostAllowed('localhost:5000', '127.0.0.1', 5000)).toBe(true);
    expect(hostAllowed('127.0.0.1:5001', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('127.0.0.2:5000', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('rebind.example:5000', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('127.0.0.1', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed(undefined, '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('[::1]:5000', '::1', 5000)).toBe(true);
  });

  it('on a wildcard bind accepts IP literals but still no names', () => {
    expect(hostAllowed('192.168.1.20:5000', '0.0.0.0', 5000)).toBe(true);
    expect(hostAllowed('[fe80::1]:5000', '::', 5000)).toBe(true);
    expect(hostAllowed('my-pc.lan:5000', '0.0.0.0', 5000)).toBe(false);
  });
});

describe('Origin', () => {
  it('must be our own http origin when present', () => {
    expect(originAllowed(undefined, '127.0.0.1', 5000)).toBe(true);
    expect(originAllowed('http://127.0.0.1:5000', '127.0.0.1', 5000)).toBe(true);
    expect(originAllowed('http://localhost:5000', '127.0.0.1', 5000)).toBe(true);
    for (const bad of ['null', '', 'https://127.0.0.1:5000', 'http://127.0.0.1:5001', 'http://evil.example:5000', 'http://127.0.0.1:5000/', 'file://']) {
      expect(originAllowed(bad, '127.0.0.1', 5000), bad).toBe(false);
    }
  });
});

describe('Content-Security-Policy', () => {
  it('allows our scripts and our socket only', () => {
    const csp = contentSecurityPolicy('127.0.0.1:5000');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000");
    expect(csp).not.toContain('unsafe-eval');
  });
});
