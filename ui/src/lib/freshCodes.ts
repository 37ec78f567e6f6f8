// Fresh codes onto the list already shown. At each period Rust sends the whole list again, but
// usually only the codes differ: writing just those keeps every row's other derived state (labels,
// menu, filter, order) as it is, so a new period costs the code texts, not a rebuild of every row.

import type { AccountView, Accounts } from './ipc';

/** The fields that change with time alone. */
const CODE_FIELDS = ['code', 'nextCode', 'secondsLeft', 'counter'] as const;

/**
 * Whether `a` and `b` are the same account with the same everything but their codes: every field
 * is compared (tags element by element), so a field added to `AccountView` is covered too.
 */
function sameButCodes(a: AccountView, b: AccountView): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof AccountView>;
  for (const field of fields) {
    if ((CODE_FIELDS as readonly string[]).includes(field)) continue;
    const [x, y] = [a[field], b[field]];
    const same =
      Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.every((item, i) => item === y[i]) : x === y;
    if (!same) return false;
  }
  return true;
}

/**
 * Applies `fresh` onto `shown` in place when the accounts are the same, in the same order, and
 * only their codes changed; returns false (nothing written) otherwise, and the caller replaces
 * the list.
 */
export function applyFreshCodes(shown: Accounts, fresh: Accounts): boolean {
  if (shown.accounts.length !== fresh.accounts.length) return false;
  if (!shown.accounts.every((account, i) => sameButCodes(account, fresh.accounts[i]!))) return false;
  shown.accounts.forEach((account, i) => {
    const next = fresh.accounts[i]!;
    for (const field of CODE_FIELDS) {
      // Written only when different: each write of a reactive field redraws what reads it.
      if (account[field] !== next[field]) (account[field] as unknown) = next[field];
    }
  });
  shown.now = fresh.now;
  return true;
}
