// A small runtime validator for API requests: every request crosses a process or network boundary
// as untrusted JSON, so each operation checks its shape and answers a clear error, never a throw.
export type Check<T> = (value: unknown, path: string) => { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = (path: string, what: string) => ({ ok: false as const, error: `${path || 'request'} ${what}` });

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}` : `${typeof value} ${String(value).slice(0, 40)}`;
}

export function str(opts: { max?: number; min?: number; pattern?: RegExp; what?: string } = {}): Check<string> {
  const max = opts.max ?? 4096;
  return (v, path) => {
    if (typeof v !== 'string') return fail(path, `must be a string, not ${describe(v)}`);
    if (v.length > max) return fail(path, `is longer than ${max} characters`);
    if (v.length < (opts.min ?? 0)) return fail(path, opts.min === 1 ? 'must not be empty' : `needs at least ${opts.min} characters`);
    if (opts.pattern && !opts.pattern.test(v)) return fail(path, `must be ${opts.what ?? `like ${opts.pattern}`}, not ${describe(v)}`);
    return ok(v);
  };
}

export function int(min: number, max: number): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail(path, `must be an integer, not ${describe(v)}`);
    if (v < min || v > max) return fail(path, `must be from ${min} to ${max}, not ${v}`);
    return ok(v);
  };
}

export const bool: Check<boolean> = (v, path) => (typeof v === 'boolean' ? ok(v) : fail(path, `must be true or false, not ${describe(v)}`));

export function oneOf<T extends string | number>(...values: T[]): Check<T> {
  return (v, path) => ((values as unknown[]).includes(v) ? ok(v as T) : fail(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}, not ${describe(v)}`));
}

export function either<A, B>(a: Check<A>, b: Check<B>): Check<A | B> {
  return (v, path) => {
    const ra = a(v, path);
    if (ra.ok) return ra;
    const rb = b(v, path);
    return rb.ok ? rb : fail(path, `${ra.error.slice(path.length + 1)}; or ${rb.error.slice(path.length + 1)}`);
  };
}

export function nullable<T>(c: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? ok(null) : c(v, path));
}

export function list<T>(item: Check<T>, maxItems: number): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) return fail(path, `must be an array, not ${describe(v)}`);
    if (v.length > maxItems) return fail(path, `has more than ${maxItems} items`);
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = item(v[i], `${path}[${i}]`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  };
}

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape, O extends keyof S> = { [K in Exclude<keyof S, O>]: S[K] extends Check<infer T> ? T : never } & {
  [K in O]?: S[K] extends Check<infer T> ? T : never;
};

/** An object with exactly these keys, all required; unknown keys are errors. */
export function obj<S extends Shape>(shape: S): Check<Out<S, never>> {
  return objWith(shape, [] as never[]);
}

/** An object with these keys (those in `optional` may be absent); unknown keys are errors. */
export function objWith<S extends Shape, O extends keyof S>(shape: S, optional: readonly O[]): Check<Out<S, O>> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, `must be an object, not ${describe(v)}`);
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!Object.hasOwn(shape, key)) return fail(path ? `${path}.${key}` : key, `is not a known field (known: ${Object.keys(shape).join(', ') || 'none'})`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const p = path ? `${path}.${key}` : key;
      if (record[key] === undefined) {
        if ((optional as readonly string[]).includes(key)) continue;
        return fail(p, 'is required');
      }
      const r = check(record[key], p);
      if (!r.ok) return r;
      out[key] = r.value;
    }
    return ok(out as Out<S, O>);
  };
}

export const empty = obj({});
