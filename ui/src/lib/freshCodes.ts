// Fresh codes onto the list already shown. At each period Rust sends the whole list again, but
// usually only the codes differ: writing just those keeps every row's other derived state (labels,
// menu, filter, order) as it is, so a new period costs the code texts, not a rebuild of every row.

import type { AccountView, Accounts } from './ipc';

/** The fields that change with time alone. */
const CODE_FIELDS = ['code', 'nextCode', 'secondsLeft', 'counter'] as const;

/** Whether `a` and `b` are the same account with the same everything but their codes. */
function sameButCodes(a: AccountView, b: AccountView): boolean {
  return (
    a.id === b.id &&
    a.issuer === b.issuer &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.algorithm === b.algorithm &&
    a.digits === b.digits &&
    a.period === b.period &&
    a.icon === b.icon &&
    a.favorite === b.favorite &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
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
