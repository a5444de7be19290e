// Public surface of the Passport emulation (nexus, login2.srf, RST.srf) and its listeners.
export { createPassportHandler, passportEndpointFor, DEFAULT_MAX_BODY_BYTES } from './handler.ts';
export type { PassportEvent, PassportHandler, PassportHandlerOptions } from './handler.ts';
export { createPassportServers } from './servers.ts';
export type { ListenerAddress, PassportServers, PassportServersOptions } from './servers.ts';
export { passportIds } from './rst-response.ts';
export { parsePassportAuthorization, passportUrlsHeader } from './tweener.ts';
export { computeMbiResponse, verifyMbiResponse } from './mbi.ts';
