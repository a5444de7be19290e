import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateNames, DEFAULT_CERT_NAMES, ensureCertificates } from './certificates.ts';
import type { PassportCertificates } from './certificates.ts';

let dir: string;
let first: PassportCertificates;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'h6-certs-'));
  first = await ensureCertificates({ dataDir: dir, extraNames: ['192.168.1.20', 'msn.lan'] });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ensureCertificates', () => {
  it('generates a CA and a server certificate with the Passport names', () => {
    expect(first.generated).toEqual({ ca: true, server: true });
    const ca = new X509Certificate(first.caCertPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('CN=MSN Gateway Inspector Local CA');
    const server = new X509Certificate(readFileSync(first.paths.serverCert));
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.publicKey.asymmetricKeyType).toBe('rsa');
    expect(server.subjectAltName).toContain('DNS:login.live.com');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    for (const name of [...DEFAULT_CERT_NAMES, '192.168.1.20', 'msn.lan']) {
      expect(certificateNames(server)).toContain(name);
      expect(server.checkHost(name) ?? server.checkIP(name)).toBeDefined();
    }
    expect(first.names).toEqual(certificateNames(server));
    expect(statSync(join(first.paths.dir, 'ca.key')).mode & 0o077).toBe(0);
  });

  it('exports the CA as PEM and DER with the same fingerprint', () => {
    const der = readFileSync(first.paths.caDer);
    expect(new Uint8Array(der)).toEqual(first.caCertDer);
    expect(new X509Certificate(der).fingerprint256).toBe(first.caFingerprint256);
    expect(new X509Certificate(readFileSync(first.paths.caCert)).fingerprint256).toBe(first.caFingerprint256);
    expect(readFileSync(first.paths.caCert, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('reuses both on the next start (same fingerprints)', async () => {
    const again = await ensureCertificates({ dataDir: dir, extraNames: ['msn.lan'] });
    expect(again.generated).toEqual({ ca: false, server: false });
    expect(again.caFingerprint256).toBe(first.caFingerprint256);
    expect(again.serverFingerprint256).toBe(first.serverFingerprint256);
  });

  it('re-issues only the server certificate, from the same CA, for a new name or a damaged file', async () => {
    const wider = await ensureCertificates({ dataDir: dir, extraNames: ['10.0.0.7'] });
    expect(wider.generated).toEqual({ ca: false, server: true });
    expect(wider.caFingerprint256).toBe(first.caFingerprint256);
    expect(wider.names).toContain('10.0.0.7');
    writeFileSync(join(dir, 'certs', 'server.key'), 'garbage');
    const repaired = await ensureCertificates({ dataDir: dir, extraNames: ['10.0.0.7'] });
    expect(repaired.generated).toEqual({ ca: false, server: true });
    expect(repaired.caFingerprint256).toBe(first.caFingerprint256);
  });

  it('starts over with a new CA when the CA files are damaged', async () => {
    const other = mkdtempSync(join(tmpdir(), 'h6-certs-bad-'));
    try {
      const a = await ensureCertificates({ dataDir: other });
      writeFileSync(join(other, 'certs', 'ca.pem'), 'not a certificate');
      const b = await ensureCertificates({ dataDir: other });
      expect(b.generated).toEqual({ ca: true, server: true });
      expect(b.caFingerprint256).not.toBe(a.caFingerprint256);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses names that cannot be in a certificate', async () => {
    await expect(ensureCertificates({ dataDir: dir, extraNames: ['bad name'] })).rejects.toThrow(/not a host name/);
  });

  it('serves TLS that a client trusting only the CA accepts for login.passport.com', async () => {
    const server = createServer({ key: first.key, cert: first.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'login.passport.com', ca: first.caCertPem }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(authorized).toBe(true);
      const rejected = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'example.org', ca: first.caCertPem }, () => resolve('connected'));
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(rejected).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
