// A checker for the HAR 1.2 structure, written from the spec
// (http://www.softwareishard.com/blog/har-12-spec/): required fields and their types, the optional
// ones typed when present, non-negative send/wait/receive, `time` equal to the sum of the known
// timings, ISO 8601 dates, and only `_`-prefixed custom fields besides the spec's own.
type Shape = Record<string, { type: 'string' | 'number' | 'object' | 'array'; required: boolean; check?: (v: unknown, path: string, out: string[]) => void }>;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function checkObject(value: unknown, shape: Shape, path: string, out: string[]): void {
  if (typeOf(value) !== 'object') {
    out.push(`${path}: expected an object, got ${typeOf(value)}`);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const [key, rule] of Object.entries(shape)) {
    if (!(key in obj)) {
      if (rule.required) out.push(`${path}.${key}: required`);
      continue;
    }
    if (typeOf(obj[key]) !== rule.type) out.push(`${path}.${key}: expected ${rule.type}, got ${typeOf(obj[key])}`);
    else rule.check?.(obj[key], `${path}.${key}`, out);
  }
  for (const key of Object.keys(obj)) if (!(key in shape) && !key.startsWith('_')) out.push(`${path}.${key}: not in HAR 1.2 (custom fields start with "_")`);
}

const req = (type: Shape[string]['type'], check?: Shape[string]['check']) => ({ type, required: true, check });
const opt = (type: Shape[string]['type'], check?: Shape[string]['check']) => ({ type, required: false, check });
const each = (shape: Shape) => (v: unknown, path: string, out: string[]) => (v as unknown[]).forEach((item, i) => checkObject(item, shape, `${path}[${i}]`, out));
const nested = (shape: Shape) => (v: unknown, path: string, out: string[]) => checkObject(v, shape, path, out);

const nameValue: Shape = { name: req('string'), value: req('string'), comment: opt('string') };
const cookie: Shape = {
  name: req('string'), value: req('string'), path: opt('string'), domain: opt('string'), expires: opt('string'),
  httpOnly: { type: 'object', required: false }, secure: { type: 'object', required: false }, comment: opt('string'),
};
const postData: Shape = { mimeType: req('string'), params: opt('array', each({ name: req('string'), value: opt('string'), fileName: opt('string'), contentType: opt('string'), comment: opt('string') })), text: opt('string'), comment: opt('string') };
const content: Shape = { size: req('number'), compression: opt('number'), mimeType: req('string'), text: opt('string'), encoding: opt('string'), comment: opt('string') };
const absoluteUrl = (v: unknown, path: string, out: string[]) => {
  try {
    new URL(v as string);
  } catch {
    out.push(`${path}: not an absolute URL`);
  }
};
const request: Shape = {
  method: req('string'), url: req('string', absoluteUrl), httpVersion: req('string'), cookies: req('array', each(cookie)), headers: req('array', each(nameValue)),
  queryString: req('array', each(nameValue)), postData: opt('object', nested(postData)), headersSize: req('number'), bodySize: req('number'), comment: opt('string'),
};
const response: Shape = {
  status: req('number'), statusText: req('string'), httpVersion: req('string'), cookies: req('array', each(cookie)), headers: req('array', each(nameValue)),
  content: req('object', nested(content)), redirectURL: req('string'), headersSize: req('number'), bodySize: req('number'), comment: opt('string'),
};
const nonNegative = (v: unknown, path: string, out: string[]) => (v as number) < 0 && out.push(`${path}: must be >= 0`);
const minusOneOrMore = (v: unknown, path: string, out: string[]) => (v as number) < 0 && v !== -1 && out.push(`${path}: must be -1 or >= 0`);
const timings: Shape = {
  blocked: opt('number', minusOneOrMore), dns: opt('number', minusOneOrMore), connect: opt('number', minusOneOrMore), ssl: opt('number', minusOneOrMore),
  send: req('number', nonNegative), wait: req('number', nonNegative), receive: req('number', nonNegative), comment: opt('string'),
};
const cacheEntry: Shape = { expires: opt('string'), lastAccess: req('string'), eTag: req('string'), hitCount: req('number'), comment: opt('string') };
const entry: Shape = {
  pageref: opt('string'), startedDateTime: req('string', (v, p, out) => !ISO_8601.test(v as string) && out.push(`${p}: not ISO 8601`)),
  time: req('number', nonNegative), request: req('object', nested(request)), response: req('object', nested(response)),
  cache: req('object', nested({ beforeRequest: opt('object', nested(cacheEntry)), afterRequest: opt('object', nested(cacheEntry)), comment: opt('string') })),
  timings: req('object', nested(timings)), serverIPAddress: opt('string'), connection: opt('string'), comment: opt('string'),
};
const creator: Shape = { name: req('string'), version: req('string'), comment: opt('string') };
const page: Shape = { startedDateTime: req('string'), id: req('string'), title: req('string'), pageTimings: req('object'), comment: opt('string') };
const log: Shape = {
  version: req('string', (v, p, out) => v !== '1.2' && out.push(`${p}: expected "1.2"`)), creator: req('object', nested(creator)), browser: opt('object', nested(creator)),
  pages: opt('array', each(page)), entries: req('array', each(entry)), comment: opt('string'),
};

/** Problems with `har` as a HAR 1.2 document (empty when it conforms). */
export function harProblems(har: unknown): string[] {
  const out: string[] = [];
  checkObject(har, { log: req('object', nested(log)) }, 'har', out);
  const entries = (har as { log?: { entries?: Array<{ time: number; timings: Record<string, number> }> } })?.log?.entries ?? [];
  entries.forEach((e, i) => {
    const sum = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive'].reduce((s, k) => s + (e.timings?.[k] > 0 ? e.timings[k] : 0), 0);
    if (Math.abs(sum - e.time) > 0.01) out.push(`har.log.entries[${i}].time: ${e.time} is not the sum of its timings (${sum})`);
  });
  return out;
}
