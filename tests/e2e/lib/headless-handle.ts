// The headless inspector, loaded at run time by path. Its Node modules are type-checked by
// tsconfig.node.json; tsconfig.e2e.json (DOM lib, for code run in the page) would re-check them
// through a static import and clash with Node's WebCrypto types (electron/emulator/certs).
import type { OperationName, OperationResponse } from '../../../shared/api/contract.ts';

/** The part of electron/headless/headless.ts's `Headless` the tests use. */
export interface HeadlessHandle {
  readonly addresses: {
    gateway: { host: string; port: number; url: string };
    inspector: { host: string; port: number; url: string; token: string };
    passport: { url: string } | null;
  };
  readonly api: { call<N extends OperationName>(op: N, request: unknown): Promise<OperationResponse<N>> };
  close(): Promise<void>;
}

/** A subset of `HeadlessOptions`. */
export interface HeadlessStart {
  dataDir: string;
  gatewayPort: number;
  nsPort: number;
  sbPort: number;
  capture: false | string;
  warn: (message: string) => void;
  emulator?: Record<string, unknown>;
}

const HEADLESS_MODULE = new URL('../../../electron/headless/headless.ts', import.meta.url).href;

export async function startHeadless(options: HeadlessStart): Promise<HeadlessHandle> {
  const module = (await import(HEADLESS_MODULE)) as { startHeadless(options: HeadlessStart): Promise<HeadlessHandle> };
  return module.startHeadless(options);
}
