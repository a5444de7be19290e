import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../lib/base64.ts';
import { compose } from './compose.ts';

const base = { sessionId: 's2', server: 'SB' as const, version: 8, to: 'server' as const, trid: 'auto', payload: null };

describe('compose', () => {
  it('fills the payload length in bytes, not characters (multi-byte UTF-8)', () => {
    const out = compose({ ...base, line: 'MSG N', payload: 'MIME-Version: 1.0\r\n\r\nhé😀' });
    if (!out.ok) throw new Error(out.error);
    expect(out.payloadBytes).toBe(28);
    expect(out.preview.startsWith('MSG <TrID> N 28\r\n')).toBe(true);
    expect(out.request).toMatchObject({ sessionId: 's2', to: 'server', verb: 'MSG', args: ['N'], trid: 'auto' });
    expect(base64ToBytes(out.request.payload!).length).toBe(28);
  });

  it('uses the given TrID, or none', () => {
    const a = compose({ ...base, server: 'NS', line: 'CHG NLN 0', trid: '42' });
    expect(a.ok && a.preview).toBe('CHG 42 NLN 0\r\n');
    const b = compose({ ...base, server: 'NS', line: 'PNG', trid: '' });
    expect(b.ok && b.preview).toBe('PNG\r\n');
  });

  it('refuses what the codec would not frame, saying why', () => {
    const noPayload = compose({ ...base, line: 'MSG N' });
    expect(noPayload.ok).toBe(false);
    expect(!noPayload.ok && noPayload.error).toMatch(/carries a payload/);
    expect(compose({ ...base, line: 'msg N', payload: '' }).ok).toBe(false);
    expect(compose({ ...base, line: 'CAL bob', trid: 'x' })).toEqual({ ok: false, error: 'TrID must be a number, "auto" or empty, not "x"' });
    expect(compose({ ...base, line: '  ' }).ok).toBe(false);
  });

  it('has a payload limit', () => {
    const out = compose({ ...base, line: 'MSG N', payload: 'x'.repeat(1024 * 1024 + 1) });
    expect(!out.ok && out.error).toMatch(/at most 1048576/);
  });
});
