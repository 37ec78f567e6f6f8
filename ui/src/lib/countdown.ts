// Countdown math. Rust sends each code with the instant it was computed at (`now`) and the
// seconds it stays valid (`secondsLeft`); the UI counts down from that on the same system clock
// and asks Rust again when a code expires. No per-frame loop: a tick only at the wall-clock
// seconds where something shown changes (msUntilNextChange), drawn by CSS (paintCountdowns).

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

/** The ring moves in steps of this many seconds (it never looks emptier than the time left). */
export const RING_STEP_SECONDS = 5;
/** Seconds left from which a countdown is "ending": its last step, drawn in the ending colour. */
export const ENDING_SECONDS = RING_STEP_SECONDS;

/**
 * The seconds a countdown ring draws for `remaining`: rounded up to a multiple of
 * `RING_STEP_SECONDS`, so the ring never looks emptier than the time really left. Why steps,
 * and no second-by-second end: under WebKitGTK each visible change costs the web process 10-20
 * ms of CPU (style, paint, compositing, the frame handed to the app process), however small it
 * is. Six changes per 30 s period (five steps and the fresh codes; the next code appears with a
 * step) keep an idle window with 50 accounts under 0.5 % of a core; drawing each of the last
 * five seconds too cost 0.65-0.70 %. The last step is drawn in the ending colour, and the next
 * code is on screen from 10 s, so the user still sees when to take the next one.
 */
export function ringSeconds(remaining: number): number {
  if (remaining <= 0) return 0;
  return Math.ceil(remaining / RING_STEP_SECONDS) * RING_STEP_SECONDS;
}

/**
 * Seconds left from which a row shows the next code (when that setting is on): a ring step, so
 * the next code appears in the same redraw as the ring.
 */
export const NEXT_CODE_FROM = 10;

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
 * only then: a few moments per period instead of every second, since each change costs a
 * WebKit redraw, even where nothing visible changed.
 */
export function shownChanged(codes: Codes, nowMs: number, nextMs: number): boolean {
  return codes.accounts.some(
    (account) =>
      shownKey(secondsRemaining(codes, account, nowMs)) !== shownKey(secondsRemaining(codes, account, nextMs)),
  );
}

/** The longest the rows' clock sleeps when nothing shown will change (only HOTP accounts). */
export const IDLE_TICK_MS = 60_000;

/**
 * Delay from `nowMs` until just after the next wall-clock second at which a countdown shows
 * something else or a code expires: the rows' clock sleeps between those moments instead of
 * waking every second for nothing (six wakes per 30 s period instead of thirty).
 */
export function msUntilNextChange(codes: Codes, nowMs: number, marginMs = 15): number {
  const first = nowMs + msUntilNextSecond(nowMs, marginMs);
  for (let at = first; at - nowMs < IDLE_TICK_MS; at += 1000) {
    if (isStale(codes, at) || shownChanged(codes, nowMs, at)) return at - nowMs;
  }
  return IDLE_TICK_MS;
}

/** The ring's radius in its 36 x 36 box; the progress dash is measured along its circumference. */
export const RING_RADIUS = 15;
export const RING_CIRCUMFERENCE = 2 * Math.PI * RING_RADIUS;

/**
 * The countdown of one period. Every time-based code of a period ends at the same instant (RFC
 * 6238 counts steps from T0 = 0, the only origin an otpauth link can give), so the rows share
 * their period's countdown instead of each keeping its own.
 */
export interface PeriodCountdown {
  period: number;
  remaining: number;
}

/** One countdown per period among `codes`' time-based accounts, by period. */
export function periodCountdowns(codes: Codes, nowMs: number): PeriodCountdown[] {
  const byPeriod = new Map<number, number>();
  for (const account of codes.accounts) {
    if (account.period === null || byPeriod.has(account.period)) continue;
    const remaining = secondsRemaining(codes, account, nowMs);
    if (remaining !== null) byPeriod.set(account.period, remaining);
  }
  return [...byPeriod]
    .sort(([a], [b]) => a - b)
    .map(([period, remaining]) => ({ period, remaining }));
}

/**
 * What a ring of `period` draws at `remaining` seconds left, as its custom properties (read by
 * app.css): the dash offset of the ring's step and its colour.
 */
export function ringStyle({ period, remaining }: PeriodCountdown): [string, string][] {
  const ending = remaining <= ENDING_SECONDS;
  const fraction = period > 0 ? Math.min(Math.max(ringSeconds(remaining) / period, 0), 1) : 0;
  return [
    ['--countdown-offset', (RING_CIRCUMFERENCE * (1 - fraction)).toFixed(2)],
    ['--countdown-color', ending ? 'var(--ending)' : 'var(--accent)'],
  ];
}

/** Whether the next codes of a period are shown (CSS visibility: they are laid out all along). */
export function nextCodeVisibility({ remaining }: PeriodCountdown): 'visible' | 'hidden' {
  return remaining <= NEXT_CODE_FROM ? 'visible' : 'hidden';
}

/**
 * Draws the countdowns on the rings and next codes under `root` (each marked with its
 * `data-period`): inline style writes on those elements alone, the rows' JavaScript untouched.
 * Why not through each row's props: under WebKitGTK most of an idle window's CPU was that
 * JavaScript, every row re-deriving its seconds, label and ring at each step. Why not custom
 * properties on the list, inherited by the rows: every element of every row then has a changed
 * style at each step, and WebKit restyles and repaints them all (twice the CPU of per-row props).
 */
export function paintCountdowns(root: ParentNode, countdowns: readonly PeriodCountdown[]): void {
  for (const countdown of countdowns) {
    const ring = ringStyle(countdown);
    for (const element of root.querySelectorAll<HTMLElement>(`.countdown[data-period="${countdown.period}"]`)) {
      for (const [name, value] of ring) element.style.setProperty(name, value);
    }
    const visibility = nextCodeVisibility(countdown);
    for (const element of root.querySelectorAll<HTMLElement>(`.next-code[data-period="${countdown.period}"]`)) {
      element.style.setProperty('visibility', visibility);
    }
  }
}

/** The id of the hidden element whose text labels every countdown ring of `period`. */
export function countdownLabelId(period: number): string {
  return `countdown-label-${period}`;
}
