// The local CA and the Passport server certificate, generated once and kept in <dataDir>/certs/.
// The CA is reused as long as it is intact and valid, so a user installs it once; the server
// certificate is re-issued (by the same CA) when it is missing, damaged, expiring, or lacks a name
// that is now wanted.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCa, generateServer } from './generate.ts';
import type { PemPair } from './generate.ts';

/** Names every server certificate carries: loopback and the hosts clients have hard-coded. */
export const DEFAULT_CERT_NAMES: readonly string[] = [
  'localhost', '127.0.0.1', 'login.live.com', 'login.passport.com', 'nexus.passport.com', 'loginnet.passport.com',
];
export const CA_COMMON_NAME = 'MSN Gateway Inspector Local CA';

export const CERT_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca.key',
  /** The CA in DER, the form Windows' certificate import wizard expects for .cer files. */
  caDer: 'ca.cer',
  serverCert: 'server.pem',
  serverKey: 'server.key',
} as const;

const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export interface CertificateOptions {
  dataDir: string;
  /** Extra DNS names or IP addresses for the server certificate (e.g. a LAN address). */
  extraNames?: readonly string[];
}

export interface PassportCertificates {
  /** For https.createServer({ key, cert }): the server certificate followed by the CA. */
  key: string;
  cert: string;
  caCertPem: string;
  caCertDer: Uint8Array;
  /** SHA-256 fingerprints as node:crypto prints them (AA:BB:...). */
  caFingerprint256: string;
  serverFingerprint256: string;
  /** Names in the server certificate's subjectAltName. */
  names: string[];
  /** Absolute paths of the files, for "install this CA" instructions. */
  paths: { dir: string; caCert: string; caDer: string; serverCert: string };
  /** What this call generated (both false on a plain reuse). */
  generated: { ca: boolean; server: boolean };
}

function readPair(dir: string, certFile: string, keyFile: string): PemPair | null {
  try {
    return { certPem: readFileSync(join(dir, certFile), 'utf8'), keyPem: readFileSync(join(dir, keyFile), 'utf8') };
  } catch {
    return null;
  }
}

function parse(pem: string): X509Certificate | null {
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

function stillValid(cert: X509Certificate): boolean {
  const now = Date.now();
  return new Date(cert.validFrom).getTime() <= now && new Date(cert.validTo).getTime() - now > RENEW_BEFORE_MS;
}

/** DNS and IP entries of a certificate's subjectAltName, lower-case. */
export function certificateNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1]?.toLowerCase())
    .filter((name): name is string => name !== undefined);
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function writeAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode });
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function wantedNames(extra: readonly string[] = []): string[] {
  const names: string[] = [];
  for (const name of [...DEFAULT_CERT_NAMES, ...extra]) {
    const clean = name.trim().toLowerCase();
    if (!/^[a-z0-9.:*-]{1,253}$/.test(clean)) throw new Error(`not a host name or IP address for the certificate: ${JSON.stringify(name)}`);
    if (!names.includes(clean)) names.push(clean);
  }
  return names;
}

export async function ensureCertificates(options: CertificateOptions): Promise<PassportCertificates> {
  const dir = join(options.dataDir, 'certs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const names = wantedNames(options.extraNames);
  const generated = { ca: false, server: false };

  let ca = readPair(dir, CERT_FILES.caCert, CERT_FILES.caKey);
  let caCert = ca === null ? null : parse(ca.certPem);
  if (ca === null || caCert === null || !caCert.ca || !stillValid(caCert) || !keyMatches(caCert, ca.keyPem)) {
    ca = await generateCa(CA_COMMON_NAME);
    caCert = new X509Certificate(ca.certPem);
    writeAtomic(join(dir, CERT_FILES.caKey), ca.keyPem, 0o600);
    writeAtomic(join(dir, CERT_FILES.caCert), ca.certPem, 0o644);
    generated.ca = true;
  }
  const caDer = new Uint8Array(caCert.raw);
  if (generated.ca || !existsSync(join(dir, CERT_FILES.caDer))) writeAtomic(join(dir, CERT_FILES.caDer), caDer, 0o644);

  let server = generated.ca ? null : readPair(dir, CERT_FILES.serverCert, CERT_FILES.serverKey);
  let serverCert = server === null ? null : parse(server.certPem);
  const usable = server !== null && serverCert !== null
    && serverCert.checkIssued(caCert) && serverCert.verify(caCert.publicKey)
    && stillValid(serverCert) && keyMatches(serverCert, server.keyPem)
    && names.every((name) => certificateNames(serverCert as X509Certificate).includes(name));
  if (!usable) {
    server = await generateServer(ca, names);
    serverCert = new X509Certificate(server.certPem);
    writeAtomic(join(dir, CERT_FILES.serverKey), server.keyPem, 0o600);
    writeAtomic(join(dir, CERT_FILES.serverCert), server.certPem, 0o644);
    generated.server = true;
  }

  return {
    key: (server as PemPair).keyPem,
    cert: (server as PemPair).certPem.trimEnd() + '\n' + ca.certPem.trimEnd() + '\n',
    caCertPem: ca.certPem,
    caCertDer: caDer,
    caFingerprint256: caCert.fingerprint256,
    serverFingerprint256: (serverCert as X509Certificate).fingerprint256,
    names: certificateNames(serverCert as X509Certificate),
    paths: {
      dir,
      caCert: join(dir, CERT_FILES.caCert),
      caDer: join(dir, CERT_FILES.caDer),
      serverCert: join(dir, CERT_FILES.serverCert),
    },
    generated,
  };
}
