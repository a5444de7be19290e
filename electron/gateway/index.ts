// Public entry of the gateway room.
export { createGateway } from './gateway.ts';
export { DEFAULTS as GATEWAY_DEFAULTS } from './options.ts';
export type {
  Gateway,
  GatewayBindError,
  GatewayOptions,
  GatewayProfile,
  InProcessConnect,
  InProcessConnection,
  UpstreamConfig,
} from './types.ts';
