import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, avatarColour, groupCode, initial, spellCode } from './format';

describe('groupCode', () => {
  it.each([
    ['12345', ['12345']],
    ['ABCDE', ['ABCDE']],
    ['123456', ['123', '456']],
    ['1234567', ['123', '4567']],
    ['12345678', ['1234', '5678']],
    ['123456789', ['123', '456', '789']],
    ['1234567890', ['12345', '67890']],
  ])('%s → %j', (code, groups) => {
    expect(groupCode(code)).toEqual(groups);
  });

  it('never loses or reorders characters', () => {
    for (let n = 1; n <= 12; n++) {
      const code = '0123456789AB'.slice(0, n);
      expect(groupCode(code).join('')).toBe(code);
    }
  });
});

describe('spellCode', () => {
  it('separates every character for screen readers', () => {
    expect(spellCode('123456')).toBe('1 2 3 4 5 6');
  });
});

describe('initial', () => {
  it('prefers the issuer, then the name, upper-cased', () => {
    expect(initial('github', 'alice', 'en')).toBe('G');
    expect(initial('', 'alice', 'en')).toBe('A');
    expect(initial('  (ex)ample', '', 'en')).toBe('E');
    expect(initial('été', '', 'fr')).toBe('É');
  });

  it('keeps astral characters whole and falls back to #', () => {
    expect(initial('𝒳yz', '', 'en')).toBe('𝒳');
    expect(initial('', '', 'en')).toBe('#');
    expect(initial('***', '---', 'en')).toBe('#');
  });
});

describe('avatarColour', () => {
  it('is stable and within the palette', () => {
    expect(avatarColour('GitHub')).toBe(avatarColour('GitHub'));
    const slots = new Set(['GitHub', 'Google', 'Proton', 'Mastodon', 'Ovh', 'Gandi', 'a', 'b'].map(avatarColour));
    for (const slot of slots) expect(slot).toBeGreaterThanOrEqual(0);
    for (const slot of slots) expect(slot).toBeLessThan(AVATAR_COLOURS);
    expect(slots.size).toBeGreaterThan(1);
  });
});
