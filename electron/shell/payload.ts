// Structural check of an IPC request before it reaches the inspector API (which validates each
// operation's fields itself): a plain JSON-like object within size and depth limits. It stops
// prototype tricks, huge or deeply nested values and non-data values at the process boundary.

export const PAYLOAD_LIMITS = { maxDepth: 16, maxBytes: 4 * 1024 * 1024, maxKeys: 10_000 };

export type PayloadCheck = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function checkPayload(value: unknown, limits = PAYLOAD_LIMITS): PayloadCheck {
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (typeof value !== 'object' || Array.isArray(value) || !isPlainObject(value)) {
    return { ok: false, error: 'the request must be a plain object' };
  }
  let bytes = 0;
  let keys = 0;
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number, path: string): string | null => {
    if (depth > limits.maxDepth) return `${path || 'request'} is nested deeper than ${limits.maxDepth} levels`;
    switch (typeof v) {
      case 'string':
        // UTF-16 length * 3 bounds the UTF-8 size; cheap and conservative.
        bytes += v.length * 3;
        break;
      case 'number':
        if (!Number.isFinite(v)) return `${path} must be a finite number`;
        bytes += 8;
        break;
      case 'boolean':
        bytes += 5;
        break;
      case 'object': {
        if (v === null) break;
        if (seen.has(v)) return `${path} refers to itself`;
        seen.add(v);
        if (Array.isArray(v)) {
          keys += v.length;
          if (keys > limits.maxKeys) return `the request has more than ${limits.maxKeys} entries`;
          for (let i = 0; i < v.length; i++) {
            const err = walk(v[i], depth + 1, `${path}[${i}]`);
            if (err) return err;
          }
        } else {
          if (!isPlainObject(v)) return `${path || 'request'} must be plain data`;
          for (const key of Object.keys(v)) {
            if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `${path ? `${path}.` : ''}${key} is not an allowed field name`;
            if (++keys > limits.maxKeys) return `the request has more than ${limits.maxKeys} entries`;
            bytes += key.length * 3;
            const err = walk((v as Record<string, unknown>)[key], depth + 1, path ? `${path}.${key}` : key);
            if (err) return err;
          }
        }
        seen.delete(v);
        break;
      }
      case 'undefined':
        break;
      default:
        return `${path} must be data, not a ${typeof v}`;
    }
    if (bytes > limits.maxBytes) return `the request is larger than ${limits.maxBytes} bytes`;
    return null;
  };
  const err = walk(value, 0, '');
  return err ? { ok: false, error: err } : { ok: true, value: value as Record<string, unknown> };
}
