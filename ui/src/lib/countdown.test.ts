import { describe, expect, it } from 'vitest';
import {
  RING_CIRCUMFERENCE,
  isStale,
  IDLE_TICK_MS,
  RING_STEP_SECONDS,
  msUntilNextChange,
  msUntilNextSecond,
  nextCodeVisibility,
  paintCountdowns,
  periodCountdowns,
  ringSeconds,
  ringStyle,
  secondsRemaining,
  shownChanged,
  shownKey,
} from './countdown';
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
  it('moves in five-second steps, rounded up', () => {
    expect([30, 26, 25, 21, 20, 11, 10, 6, 5, 4, 1, 0].map(ringSeconds)).toEqual([30, 30, 25, 25, 20, 15, 10, 10, 5, 5, 5, 0]);
  });

  it('never draws less time than is left, nor less than nothing', () => {
    for (let s = 0; s <= 90; s++) expect(ringSeconds(s)).toBeGreaterThanOrEqual(s);
    expect(ringSeconds(-3)).toBe(0);
  });
});

describe('shownKey and shownChanged', () => {
  it('change only at a ring step (the next code appearing with one) and at expiry', () => {
    const moments: number[] = [];
    for (let left = 29; left >= 0; left -= 1) if (shownKey(left) !== shownKey(left + 1)) moments.push(left);
    expect(moments).toEqual([25, 20, 15, 10, 5, 0]);
    expect(shownKey(null)).toBe(shownKey(null));
  });

  it('compare every account at two instants', () => {
    // 10 s left at 1_700_000_000; a 60 s account then has 40 s left.
    const both: Accounts = { now: 1_700_000_000, accounts: [totp, { ...totp, id: 'b', secondsLeft: 40, period: 60 }, hotp] };
    expect(shownChanged(both, at(1_700_000_000), at(1_700_000_000, 900))).toBe(false);
    expect(shownChanged(both, at(1_700_000_000), at(1_700_000_004))).toBe(false);
    // 5 s left for the first: its last step.
    expect(shownChanged(both, at(1_700_000_004), at(1_700_000_005))).toBe(true);
    // The 60 s account crosses its 35 s step alone.
    const second: Accounts = { ...both, accounts: [both.accounts[1]!] };
    expect(shownChanged(second, at(1_700_000_004), at(1_700_000_005))).toBe(true);
    expect(shownChanged(second, at(1_700_000_005), at(1_700_000_009))).toBe(false);
  });
});

describe('msUntilNextChange', () => {
  it('sleeps until just after the next step or expiry of any countdown', () => {
    // 10 s left: the next step (5 s left) is in 5 s.
    expect(msUntilNextChange(codes, at(1_700_000_000, 200))).toBe(4_815);
    // 3 s left: next is the expiry.
    expect(msUntilNextChange(codes, at(1_700_000_007, 0))).toBe(3_015);
    // A 60 s account at 40 s left steps at 35 s, before the 30 s account's 5 s step.
    const both: Accounts = { now: 1_700_000_000, accounts: [totp, { ...totp, id: 'b', secondsLeft: 43, period: 60 }] };
    expect(msUntilNextChange(both, at(1_700_000_000))).toBe(3_015);
  });

  it('waits at most IDLE_TICK_MS when nothing counts down', () => {
    expect(msUntilNextChange({ now: 1_700_000_000, accounts: [hotp] }, at(1_700_000_000))).toBe(IDLE_TICK_MS);
  });

  it('wakes within a step and a second whatever the time, and never at once', () => {
    for (let ms = 0; ms < 40_000; ms += 333) {
      const delay = msUntilNextChange(codes, at(1_699_999_990) + ms);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(RING_STEP_SECONDS * 1000 + 15);
    }
  });
});

describe('periodCountdowns', () => {
  it('keeps one countdown per period, in period order, and none for HOTP', () => {
    const minute: AccountView = { ...totp, id: 'm', period: 60, secondsLeft: 40 };
    const twin: AccountView = { ...totp, id: 'b' };
    const all: Accounts = { now: 1_700_000_000, accounts: [minute, hotp, totp, twin] };
    expect(periodCountdowns(all, at(1_700_000_003))).toEqual([
      { period: 30, remaining: 7 },
      { period: 60, remaining: 37 },
    ]);
    expect(periodCountdowns({ now: 1_700_000_000, accounts: [hotp] }, at(1_700_000_000))).toEqual([]);
  });
});

describe('ringStyle', () => {
  const style = (remaining: number, period = 30) => Object.fromEntries(ringStyle({ period, remaining }));

  it('draws the ring step, in the ending colour for the last one', () => {
    // 17 s left: the 20 s step, two thirds of the ring drawn.
    expect(style(17)).toEqual({
      '--countdown-offset': (RING_CIRCUMFERENCE / 3).toFixed(2),
      '--countdown-color': 'var(--accent)',
    });
    expect(style(6)['--countdown-color']).toBe('var(--accent)');
    expect(style(5)).toEqual({
      '--countdown-offset': (RING_CIRCUMFERENCE * (25 / 30)).toFixed(2),
      '--countdown-color': 'var(--ending)',
    });
    expect(style(1)).toEqual(style(5));
    expect(style(30)['--countdown-offset']).toBe('0.00');
    expect(style(0)['--countdown-offset']).toBe(RING_CIRCUMFERENCE.toFixed(2));
  });

  it('never draws outside the ring, whatever the seconds', () => {
    for (const [remaining, period] of [[90, 30], [-3, 30], [5, 0]] as const) {
      const offset = Number(style(remaining, period)['--countdown-offset']);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThanOrEqual(Number(RING_CIRCUMFERENCE.toFixed(2)));
    }
  });
});

describe('nextCodeVisibility', () => {
  it('shows the next code from NEXT_CODE_FROM seconds left', () => {
    expect(nextCodeVisibility({ period: 30, remaining: 11 })).toBe('hidden');
    expect(nextCodeVisibility({ period: 30, remaining: 10 })).toBe('visible');
    expect(nextCodeVisibility({ period: 30, remaining: 0 })).toBe('visible');
  });
});

describe('paintCountdowns', () => {
  it('writes each period on its own rings and next codes only', () => {
    const root = document.createElement('ul');
    root.innerHTML = `
      <li><span class="countdown" data-period="30"></span><span class="next-code" data-period="30"></span></li>
      <li><span class="countdown" data-period="60"></span><span class="next-code" data-period="60"></span></li>
      <li><span class="countdown" data-period="30"></span><span class="other" data-period="30"></span></li>`;
    paintCountdowns(root, [
      { period: 30, remaining: 4 },
      { period: 60, remaining: 45 },
    ]);
    const rings = [...root.querySelectorAll<HTMLElement>('.countdown')];
    expect(rings.map((r) => r.style.getPropertyValue('--countdown-color'))).toEqual(['var(--ending)', 'var(--accent)', 'var(--ending)']);
    expect([...root.querySelectorAll<HTMLElement>('.next-code')].map((n) => n.style.visibility)).toEqual(['visible', 'hidden']);
    expect(root.querySelector<HTMLElement>('.other')?.getAttribute('style')).toBeNull();
  });
});
