import { describe, expect, it } from 'vitest';
import { isStale, msUntilNextSecond, ringSeconds, secondsRemaining, shownChanged, shownKey } from './countdown';
import type { AccountView, Accounts } from './ipc';

const totp: AccountView = {
  id: 'a',
  issuer: 'Example',
  name: 'alice',
  kind: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  counter: null,
  tags: [],
  icon: null,
  favorite: false,
  code: '123456',
  nextCode: '654321',
  secondsLeft: 10,
  period: 30,
};
const hotp: AccountView = { ...totp, id: 'h', kind: 'hotp', secondsLeft: null, period: null, counter: 1, nextCode: null };
// Computed by Rust at t = 1_700_000_000 s, which is 20 s into a 30 s step (10 s left).
const codes: Accounts = { now: 1_700_000_000, accounts: [totp, hotp] };
const at = (seconds: number, ms = 0) => seconds * 1000 + ms;

describe('secondsRemaining', () => {
  it('counts down on the wall clock from what Rust sent', () => {
    expect(secondsRemaining(codes, totp, at(1_700_000_000))).toBe(10);
    expect(secondsRemaining(codes, totp, at(1_700_000_000, 999))).toBe(10);
    expect(secondsRemaining(codes, totp, at(1_700_000_001))).toBe(9);
    expect(secondsRemaining(codes, totp, at(1_700_000_009, 500))).toBe(1);
  });

  it('clamps to 0..period', () => {
    expect(secondsRemaining(codes, totp, at(1_700_000_010))).toBe(0);
    expect(secondsRemaining(codes, totp, at(1_700_000_100))).toBe(0);
    // A clock that went back an hour must not show "3610 seconds".
    expect(secondsRemaining(codes, totp, at(1_699_996_400))).toBe(30);
  });

  it('is null for HOTP', () => {
    expect(secondsRemaining(codes, hotp, at(1_700_000_005))).toBeNull();
  });
});

describe('isStale', () => {
  it('turns true exactly when a code expires', () => {
    expect(isStale(codes, at(1_700_000_009, 999))).toBe(false);
    expect(isStale(codes, at(1_700_000_010))).toBe(true);
  });

  it('ignores HOTP and treats a clock set backwards as stale', () => {
    expect(isStale({ now: 5, accounts: [hotp] }, at(1_000_000))).toBe(false);
    expect(isStale(codes, at(1_699_999_999))).toBe(true);
    expect(isStale({ now: 5, accounts: [] }, at(5))).toBe(false);
  });
});

describe('msUntilNextSecond', () => {
  it('lands just after the next whole second', () => {
    expect(msUntilNextSecond(at(10, 0), 15)).toBe(1015);
    expect(msUntilNextSecond(at(10, 999), 15)).toBe(16);
    expect(msUntilNextSecond(at(10, 400), 0)).toBe(600);
  });

  it('never waits more than a second and a margin', () => {
    for (let ms = 0; ms < 1000; ms += 37) {
      const delay = msUntilNextSecond(at(42, ms));
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(1015);
      expect((at(42, ms) + delay) % 1000).toBe(15);
    }
  });
});

describe('ringSeconds', () => {
  it('moves every second once the code is ending, in five-second steps before', () => {
    expect([5, 4, 1, 0].map(ringSeconds)).toEqual([5, 4, 1, 0]);
    expect([30, 26, 25, 21, 20, 11, 10, 6].map(ringSeconds)).toEqual([30, 30, 25, 25, 20, 15, 10, 10]);
  });

  it('never draws less time than is left, nor less than nothing', () => {
    for (let s = 0; s <= 90; s++) expect(ringSeconds(s)).toBeGreaterThanOrEqual(s);
    expect(ringSeconds(-3)).toBe(0);
  });
});

describe('shownKey and shownChanged', () => {
  it('change only at a ring step, when the next code is due, every second at the end, and at expiry', () => {
    const moments: number[] = [];
    for (let left = 29; left >= 0; left -= 1) if (shownKey(left) !== shownKey(left + 1)) moments.push(left);
    expect(moments).toEqual([25, 20, 15, 10, 7, 5, 4, 3, 2, 1, 0]);
    expect(shownKey(null)).toBe(shownKey(null));
  });

  it('compare every account at two instants', () => {
    // 10 s left at 1_700_000_000; a 60 s account then has 40 s left.
    const both: Accounts = { now: 1_700_000_000, accounts: [totp, { ...totp, id: 'b', secondsLeft: 40, period: 60 }, hotp] };
    expect(shownChanged(both, at(1_700_000_000), at(1_700_000_000, 900))).toBe(false);
    expect(shownChanged(both, at(1_700_000_000), at(1_700_000_002))).toBe(false);
    // 7 s left for the first: the next code is due.
    expect(shownChanged(both, at(1_700_000_002), at(1_700_000_003))).toBe(true);
    // The 60 s account crosses its 35 s step alone.
    const second: Accounts = { ...both, accounts: [both.accounts[1]!] };
    expect(shownChanged(second, at(1_700_000_004), at(1_700_000_005))).toBe(true);
    expect(shownChanged(second, at(1_700_000_005), at(1_700_000_009))).toBe(false);
  });
});
