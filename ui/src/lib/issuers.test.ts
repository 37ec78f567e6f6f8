import { describe, expect, it } from 'vitest';
import { ISSUER_ICONS, contrast, iconFor } from './issuers';

describe('issuer icons', () => {
  it('recognizes common issuers by name, whatever the case and decoration', () => {
    expect(iconFor(null, 'GitHub')?.key).toBe('github');
    expect(iconFor(null, 'google')?.key).toBe('google');
    expect(iconFor(null, 'Microsoft Account')?.key).toBe('microsoft');
    expect(iconFor(null, 'Amazon Web Services')?.key).toBe('amazon');
    expect(iconFor(null, 'Steam')?.key).toBe('steam');
    expect(iconFor(null, 'X')?.key).toBe('x');
  });

  it('does not guess from fragments', () => {
    expect(iconFor(null, 'Example')).toBeNull();
    expect(iconFor(null, 'Xavier Bank')).toBeNull();
    expect(iconFor(null, 'Steamboat Inc')).toBeNull();
    expect(iconFor(null, '')).toBeNull();
  });

  it('honours a chosen icon, and ignores unknown keys', () => {
    expect(iconFor('proton', 'My mail')?.key).toBe('proton');
    expect(iconFor('not-an-icon', 'GitHub')).toBeNull();
  });

  it('keys are unique and every badge passes WCAG AA with white text', () => {
    expect(new Set(ISSUER_ICONS.map((icon) => icon.key)).size).toBe(ISSUER_ICONS.length);
    for (const icon of ISSUER_ICONS) {
      expect(contrast('#ffffff', icon.colour), icon.key).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
  });
});
