import { describe, expect, it } from 'vitest';
import { groupMatches, normalizeRecoveryText, pickGroupIndex, recoveryGroups } from './recovery';

const KEY = '7Q2M-K9XA-1BCD-EF0G-HJKM-NPQR-STVW-XYZ3';

describe('recovery key', () => {
  it('splits the display text into its eight groups', () => {
    expect(recoveryGroups(KEY)).toHaveLength(8);
    expect(recoveryGroups(KEY)[1]).toBe('K9XA');
    expect(recoveryGroups(' 7Q2M K9XA\n1BCD ')).toEqual(['7Q2M', 'K9XA', '1BCD']);
  });

  it('accepts the group typed in any case, with Crockford look-alikes', () => {
    expect(groupMatches(KEY, 1, 'k9xa')).toBe(true);
    expect(groupMatches(KEY, 2, 'lbcd')).toBe(true);
    expect(groupMatches(KEY, 3, ' ef-og ')).toBe(true);
  });

  it('rejects another group, a partial group and an index out of range', () => {
    expect(groupMatches(KEY, 1, '7Q2M')).toBe(false);
    expect(groupMatches(KEY, 1, 'K9X')).toBe(false);
    expect(groupMatches(KEY, 1, '')).toBe(false);
    expect(groupMatches(KEY, 8, '')).toBe(false);
  });

  it('normalizes like the core', () => {
    expect(normalizeRecoveryText('io-l o')).toBe('1010');
  });

  it('picks every group index, never one out of range', () => {
    expect(pickGroupIndex(8, () => 0)).toBe(0);
    expect(pickGroupIndex(8, () => 0.999999)).toBe(7);
    expect(pickGroupIndex(0)).toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) seen.add(pickGroupIndex(8));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
