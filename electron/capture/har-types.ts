// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as this exporter writes it, plus the
// custom `_msn*` fields (custom fields must start with an underscore).
import type { ExchangeKind, HttpResponseEvent } from '../../shared/api/gateway-events.ts';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: { mimeType: string; text: string; _encoding?: 'base64' };
  headersSize: number;
  bodySize: number;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: { size: number; mimeType: string; text?: string; encoding?: 'base64' };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

export interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  send: number;
  wait: number;
  receive: number;
}

/** What a HAR cannot say by itself but the inspector needs to rebuild the events exactly. */
export interface HarMsnEntry {
  sessionId: string | null;
  exchangeId: number;
  kind: ExchangeKind;
  /** The request target exactly as received (origin- or absolute-form). */
  target: string;
  clientAddress: string;
  clientPort: number;
  requestSeq: number;
  requestTime: number;
  responseSeq?: number;
  responseTime?: number;
  timings?: HttpResponseEvent['timings'];
  reason?: string;
  /** The gateway never answered (the capture ended first). */
  unanswered?: true;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  connection?: string;
  comment?: string;
  /** Chromium DevTools' resource type (its Type column and filters). */
  _resourceType?: 'other';
  _msnSessionId?: string | null;
  _msn?: HarMsnEntry;
}

export interface HarLog {
  version: '1.2';
  creator: { name: string; version: string };
  entries: HarEntry[];
  comment?: string;
  /** Every non-HTTP gateway event (sessions, relayed bytes, notices), bytes as {"$b64": ...}. */
  _msnEvents?: unknown[];
  _msnRedacted?: boolean;
}

export interface Har {
  log: HarLog;
}
