import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts.ts';

const key = (k: string, over = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...over });

describe('shortcutFor', () => {
  it('maps keys to actions', () => {
    expect(shortcutFor(key('/'), false)).toBe('focus-filter');
    expect(shortcutFor(key(' '), false)).toBe('pause');
    expect(shortcutFor(key('l', { ctrlKey: true }), false)).toBe('clear');
    expect(shortcutFor(key('x'), false)).toBeNull();
  });

  it('leaves single keys alone while the user types, but not Escape or Ctrl combinations', () => {
    expect(shortcutFor(key('i'), true)).toBeNull();
    expect(shortcutFor(key('Escape'), true)).toBe('close');
    expect(shortcutFor(key('l', { metaKey: true }), true)).toBe('clear');
  });
});
