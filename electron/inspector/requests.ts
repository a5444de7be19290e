// One runtime check per operation: the request shapes of shared/api/contract.ts, with limits.
import type { OperationName, OperationRequest } from '../../shared/api/contract.ts';
import { MAX_PAGE } from './query.ts';
import { checkSettingsPatch } from './settings.ts';
import { bool, either, empty, int, list, obj, objWith, oneOf, str } from './validate.ts';
import type { Check } from './validate.ts';

const MAX_ID = Number.MAX_SAFE_INTEGER;
const id = int(0, MAX_ID);
const sessionId = str({ min: 1, max: 64 });
const offset = int(0, MAX_ID);
const limit = int(1, MAX_PAGE);
const path = str({ min: 1, max: 4096, pattern: /^[^\0]+$/, what: 'a file path' });
const base64 = str({ max: 8 * 1024 * 1024, pattern: /^[A-Za-z0-9+/]*={0,2}$/, what: 'base64' });
const filter = str({ max: 2000 });
const direction = oneOf('client', 'server');
const page = objWith({ sessionId, offset, limit }, ['sessionId', 'offset', 'limit']);
const arg = str({ min: 1, max: 4096 });

type Checks = { [N in OperationName]: Check<OperationRequest<N>> };

export const REQUEST_CHECKS: Checks = {
  'status.get': empty,
  'sessions.list': empty,
  'sessions.get': obj({ id: sessionId }),
  'commands.query': objWith({ filter, sessionId, offset, limit }, ['filter', 'sessionId', 'offset', 'limit']),
  'commands.get': obj({ id }),
  'exchanges.list': page,
  'exchanges.get': obj({ id }),
  'findings.list': page,
  'inject.send': objWith(
    {
      sessionId,
      to: oneOf('server', 'client'),
      verb: str({ min: 3, max: 3, pattern: /^(?:[A-Z]{3}|[0-9]{3})$/, what: 'three upper-case letters or three digits' }),
      args: list(arg, 64),
      payload: base64,
      trid: either(int(0, 0xffffffff), oneOf('auto')),
    },
    ['payload', 'trid'],
  ),
  'inject.resend': obj({ commandId: id }),
  'capture.pause': empty,
  'capture.resume': empty,
  'capture.clear': empty,
  'capture.open': obj({ path }),
  'capture.save': obj({ path }),
  'capture.export': objWith({ path, format: oneOf('har', 'pcapng', 'transcript', 'ndjson'), unredacted: bool }, ['unredacted']),
  'capture.import': obj({ path }),
  'breakpoints.list': empty,
  'breakpoints.set': objWith({ id, filter, direction: either(direction, oneOf('both')), enabled: bool }, ['id']),
  'breakpoints.remove': obj({ id }),
  'held.forward': objWith({ id, raw: base64 }, ['raw']),
  'held.drop': obj({ id }),
  'settings.get': empty,
  'settings.set': checkSettingsPatch,
  'accounts.list': empty,
  'accounts.create': objWith({ handle: str({ min: 3, max: 129 }), password: str({ min: 1, max: 256 }), friendlyName: str({ max: 387 }) }, ['friendlyName']),
  'accounts.remove': obj({ handle: str({ min: 3, max: 129 }) }),
};
