// Gateway notices become findings: the ones the issue names keep their own code, limits are
// grouped, and everything else is kept as a generic `notice` so nothing the gateway says is lost.
import type { FindingCode } from '../../../shared/api/contract.ts';
import type { GatewayNoticeEvent } from '../../../shared/api/gateway-events.ts';
import type { NewFinding } from './findings.ts';

const NAMED: Record<string, FindingCode> = {
  'overlap-rejected': 'overlap-rejected',
  'png-over-http': 'png-over-http',
  'relay-refused': 'relay-refused',
};

export function findingForNotice(e: GatewayNoticeEvent): NewFinding {
  const code: FindingCode = NAMED[e.code] ?? (e.code.startsWith('limit-') ? 'limit' : 'notice');
  const message = code === 'notice' || code === 'limit' ? `${e.code}: ${e.message}` : e.message;
  return { time: e.time, severity: e.severity, code, message, sessionId: e.sessionId };
}
