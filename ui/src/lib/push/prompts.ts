// Pure logic behind the push prompt and the Activity view: ordering and grouping of open
// prompts, prompt-bombing detection, the expiry countdown, number matching, and how an answer
// or an activity entry is worded (as a message key). Tested in prompts.test.ts.

import type { PushActivityEntry, PushAnswer, PushDecision, PushPrompt } from '../ipc';
import type { MessageKey } from '../i18n';

/** Prompts arriving within this span of each other count as one burst. */
export const BURST_WINDOW_MS = 60_000;
/** This many in one burst is flagged as a possible prompt-bombing attack (MFA fatigue). */
export const BOMBING_THRESHOLD = 3;

/** Open prompts, oldest first (the one to answer first). */
export function ordered(prompts: readonly PushPrompt[]): PushPrompt[] {
  return [...prompts].sort((a, b) => a.received - b.received || a.nonce.localeCompare(b.nonce));
}

/** The most prompts received within any `BURST_WINDOW_MS`. */
export function largestBurst(prompts: readonly PushPrompt[]): number {
  const times = prompts.map((prompt) => prompt.received).sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= BURST_WINDOW_MS) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export interface PromptGroup {
  /** The prompt shown in full (the oldest still open). */
  current: PushPrompt;
  /** The others, oldest first: listed under it, answered with "Deny all". */
  others: PushPrompt[];
  /** Many requests in a short time: a possible attack. */
  suspicious: boolean;
}

/** How the open prompts are shown: one in full, the rest grouped; `null` when none is open. */
export function group(prompts: readonly PushPrompt[], now: number): PromptGroup | null {
  const open = ordered(prompts.filter((prompt) => prompt.expires > now));
  const [current, ...others] = open;
  if (current === undefined) return null;
  return { current, others, suspicious: largestBurst(open) >= BOMBING_THRESHOLD };
}

/** Whole seconds left to answer (0 once expired). */
export function secondsLeft(prompt: PushPrompt, now: number): number {
  return Math.max(0, Math.ceil((prompt.expires - now) / 1000));
}

/** Fraction of the answer time left, 1 → 0, for the countdown bar. */
export function fractionLeft(prompt: PushPrompt, now: number): number {
  const total = prompt.expires - prompt.received;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (prompt.expires - now) / total));
}

/**
 * The approve decision, or `null` when it cannot be sent yet: with number matching the user must
 * first pick one of the offered numbers (never a number typed or guessed elsewhere).
 */
export function approval(prompt: PushPrompt, pick: string | null): PushDecision | null {
  if (prompt.options === null) return { kind: 'approve' };
  if (pick === null || !prompt.options.includes(pick)) return null;
  return { kind: 'approve', number: pick };
}

/** What to tell the user after an answer. */
export function answerMessage(answer: PushAnswer, decision: PushDecision): MessageKey {
  switch (answer.outcome) {
    case 'accepted':
      if (answer.displayCode !== null) return 'push.result.code';
      if (decision.kind === 'approve') return 'push.result.approved';
      return decision.reason === 'notMe' ? 'push.result.reported' : 'push.result.denied';
    case 'refused':
      return answer.retry ? 'push.result.wrongNumber' : 'push.result.refused';
    case 'expired':
      return 'push.result.expired';
    default:
      return 'push.result.failed';
  }
}

export type ActivityKind = 'approved' | 'denied' | 'reported' | 'refused' | 'expired' | 'withdrawn' | 'dropped' | 'failed';

/** One word for an activity entry (also its filter). */
export function activityKind(entry: PushActivityEntry): ActivityKind {
  switch (entry.outcome.kind) {
    case 'dropped':
      return 'dropped';
    case 'expired':
      return 'expired';
    case 'withdrawn':
      return 'withdrawn';
    case 'failed':
      return 'failed';
    case 'refused':
      return 'refused';
    default:
      if (entry.decision.kind === 'declined')
        return entry.decision.reason === 'unknown_trigger' ? 'reported' : 'denied';
      return 'approved';
  }
}

export type ActivityFilter = 'all' | 'approved' | 'denied' | 'problems';

const FILTERS: Record<ActivityFilter, readonly ActivityKind[] | null> = {
  all: null,
  approved: ['approved'],
  denied: ['denied', 'reported'],
  problems: ['refused', 'expired', 'withdrawn', 'dropped', 'failed'],
};

/** Entries matching the filter and the search text (server, serial, title, question). */
export function filterActivity(
  entries: readonly PushActivityEntry[],
  filter: ActivityFilter,
  query: string,
): PushActivityEntry[] {
  const kinds = FILTERS[filter];
  const needle = query.trim().toLocaleLowerCase();
  return entries.filter(
    (entry) =>
      (kinds === null || kinds.includes(activityKind(entry))) &&
      (needle === '' ||
        [entry.server, entry.serial, entry.title, entry.question].some((text) =>
          text.toLocaleLowerCase().includes(needle),
        )),
  );
}
