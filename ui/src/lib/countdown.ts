// Countdown math. Rust sends each code with the instant it was computed at (`now`) and the
// seconds it stays valid (`secondsLeft`); the UI counts down from that on the same system clock
// and asks Rust again when a code expires. No per-frame loop: one tick per wall-clock second.

import type { AccountView, Accounts } from './ipc';

/** The fields the countdown needs (an `AccountView` has them). */
type AccountCode = Pick<AccountView, 'secondsLeft' | 'period'>;
type Codes = Pick<Accounts, 'now'> & { accounts: readonly AccountCode[] };

/** Unix seconds at which an account's code stops being valid; null when it never expires. */
export function expiresAt(codes: Codes, account: AccountCode): number | null {
  return account.secondsLeft === null ? null : codes.now + account.secondsLeft;
}

/** Whole seconds left at `nowMs` (clamped to 0..period), null for codes that never expire. */
export function secondsRemaining(
  codes: Codes,
  account: AccountCode,
  nowMs: number,
): number | null {
  const end = expiresAt(codes, account);
  if (end === null) return null;
  const left = end - Math.floor(nowMs / 1000);
  return Math.min(Math.max(left, 0), account.period ?? left);
}

/** Whether any code shown has expired at `nowMs`, so fresh codes must be fetched from Rust. */
export function isStale(codes: Codes, nowMs: number): boolean {
  const nowSeconds = Math.floor(nowMs / 1000);
  // A clock set backwards (before the instant the codes were made) also makes them stale.
  if (nowSeconds < codes.now) return true;
  return codes.accounts.some((account) => {
    const end = expiresAt(codes, account);
    return end !== null && nowSeconds >= end;
  });
}

/**
 * Delay until just after the next wall-clock second, so the displayed seconds change exactly
 * when the real ones do. The small margin keeps a timer that fires a hair early from landing
 * in the old second.
 */
export function msUntilNextSecond(nowMs: number, marginMs = 15): number {
  return 1000 - (((nowMs % 1000) + 1000) % 1000) + marginMs;
}

/** Seconds left from which a countdown is "ending": drawn every second, its seconds written out. */
export const ENDING_SECONDS = 5;
/** While a code has more than `ENDING_SECONDS` left, the ring moves in steps of this many seconds. */
export const RING_STEP_SECONDS = 5;

/**
 * The seconds a countdown ring draws for `remaining`: every second once the code is ending,
 * else rounded up to a multiple of `RING_STEP_SECONDS` (so the ring never looks emptier than
 * the time really left). Why coarse: under WebKitGTK every visible change of a ring costs a
 * repaint round trip between the web and the app process (a few ms of CPU each, times every
 * row), which made an idle window with 50 accounts use ~2.7 % of a core; while more than five
 * seconds are left, a step every five seconds tells the user as much as one every second.
 */
export function ringSeconds(remaining: number): number {
  if (remaining <= ENDING_SECONDS) return Math.max(remaining, 0);
  return Math.ceil(remaining / RING_STEP_SECONDS) * RING_STEP_SECONDS;
}

/** Seconds left from which a row shows the next code (when that setting is on). */
export const NEXT_CODE_FROM = 7;

/**
 * What a countdown shows at `remaining` seconds left, as one number: the ring's seconds
 * (`ringSeconds`, which its accessible label follows too) and whether the next code is due.
 * Equal keys draw the same row.
 */
export function shownKey(remaining: number | null): number {
  if (remaining === null) return -1;
  return ringSeconds(remaining) * 2 + (remaining <= NEXT_CODE_FROM ? 1 : 0);
}

/**
 * Whether any countdown shows something else at `nextMs` than at `nowMs`. The rows' clock moves
 * only then: a few moments per period instead of every second, since each change costs the
 * whole list's JavaScript update and a WebKit repaint, even where nothing visible changed.
 */
export function shownChanged(codes: Codes, nowMs: number, nextMs: number): boolean {
  return codes.accounts.some(
    (account) =>
      shownKey(secondsRemaining(codes, account, nowMs)) !== shownKey(secondsRemaining(codes, account, nextMs)),
  );
}
