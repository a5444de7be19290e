import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PAYLOAD_ERROR_CODES, describeError } from './errors.ts';

describe('describeError', () => {
  it('describes a plain error with every name', () => {
    expect(describeError(201)).toEqual({
      code: 201,
      name: 'ERR_INVALID_PARAMETER',
      names: ['ERR_INVALID_PARAMETER', 'MSGR_E_MSNP_INVALID_PARAMETER', 'InvalidParameter'],
      meaning: expect.stringContaining('Invalid parameter'),
      fatal: null,
      payloadCapable: true,
      known: true,
    });
  });

  it('marks session-fatal and switchboard-fatal codes', () => {
    expect(describeError(540)).toMatchObject({ name: 'MSGR_E_LOCKANDKEY_FAILED', fatal: 'session' });
    expect(describeError(280).fatal).toBe('switchboard');
    expect(describeError(911).fatal).toBe('session');
    expect(describeError(911, 'SB').fatal).toBe('switchboard');
    expect(describeError(911, 'NS').fatal).toBe('session');
    expect(describeError(217).fatal).toBeNull();
  });

  it('covers the expanded ranges of the table', () => {
    for (const code of [413, 414, 415, 416, 417, 418, 419, 420]) expect(describeError(code).known).toBe(true);
    for (const code of [550, 551, 552, 580, 590, 591, 592, 593, 594, 595, 596, 597, 598]) {
      expect(describeError(code).meaning).toBe('SMS gateway error');
    }
    for (const code of [912, 914, 915, 916, 918, 919, 921, 922]) expect(describeError(code).fatal).toBe('session');
    expect(describeError(420).names).toEqual(['MSGR_E_INVITE_REQUIRED', 'InvalidAccountPermissions']);
    expect(describeError(921).names).toContain('TimedOut');
  });

  it('names codes that have no source name', () => {
    expect(describeError(231)).toMatchObject({ name: 'error 231', names: [], known: true });
  });

  it('lists the payload-capable codes', () => {
    expect(PAYLOAD_ERROR_CODES).toEqual([201, 203, 204, 205, 210, 234, 241, 508, 509, 511, 591, 731, 801, 933]);
  });

  it('has the whole table (every documented code, ascending, no duplicates)', () => {
    expect(ERROR_CODES.length).toBe(new Set(ERROR_CODES).size);
    expect(ERROR_CODES.length).toBeGreaterThanOrEqual(110);
    expect(ERROR_CODES[0]).toBe(200);
    expect(ERROR_CODES.at(-1)).toBe(935);
    for (const code of ERROR_CODES) {
      const info = describeError(code);
      expect(info.meaning.length).toBeGreaterThan(0);
      expect(info.name.length).toBeGreaterThan(0);
    }
  });

  it('answers unknown and odd codes clearly', () => {
    expect(describeError(999)).toEqual({
      code: 999, name: 'error 999', names: [], meaning: 'unknown error code 999',
      fatal: null, payloadCapable: false, known: false,
    });
    expect(describeError(-1).meaning).toBe('unknown error code -1');
    expect(describeError(Number.NaN).known).toBe(false);
    expect(describeError(200.5).known).toBe(false);
  });

  it('hands out copies, so callers cannot corrupt the table', () => {
    describeError(200).names.push('junk');
    expect(describeError(200).names).toEqual(['ERR_SYNTAX_ERROR', 'SyntaxError']);
  });
});
