// What the accounts list shows: search, tag filter, favourites first, manual order otherwise.

export interface Listable {
  id: string;
  issuer: string;
  name: string;
  tags: string[];
  favorite: boolean;
}

/** Lower case without accents, so "societe" finds "Société" and "ECOLE" finds "école". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** Every word of the query must appear in the issuer, the name or a tag. */
export function matchesQuery(account: Listable, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold([account.issuer, account.name, ...account.tags].join('\n'));
  return words.every((word) => haystack.includes(word));
}

/**
 * The visible accounts: those matching the query and carrying `tag` (if any), favourites first,
 * each group in the user's manual order (the order Rust sent them in; the sort is stable).
 */
export function visibleAccounts<T extends Listable>(
  accounts: readonly T[],
  query: string,
  tag: string | null,
): T[] {
  return accounts
    .filter((account) => (tag === null || account.tags.includes(tag)) && matchesQuery(account, query))
    .sort((a, b) => Number(b.favorite) - Number(a.favorite));
}

/** All tags in use, sorted for the user's language. */
export function allTags(accounts: readonly Listable[], locale: string): string[] {
  const tags = new Set(accounts.flatMap((account) => account.tags));
  return [...tags].sort((a, b) => a.localeCompare(b, locale));
}

/**
 * The full manual order after moving `id` one place up or down among the accounts the user
 * sees (`visibleIds`, e.g. while filtered): it swaps with its visible neighbour, others keep
 * their places. Null when it cannot move (already first/last, or pinned group boundary).
 */
export function moveAccount<T extends Listable>(
  order: readonly T[],
  visible: readonly T[],
  id: string,
  direction: -1 | 1,
): string[] | null {
  const at = visible.findIndex((account) => account.id === id);
  const neighbour = visible[at + direction];
  const self = visible[at];
  if (at < 0 || neighbour === undefined || self === undefined) return null;
  // Favourites stay pinned: moving across the boundary would not change what the user sees.
  if (neighbour.favorite !== self.favorite) return null;
  const ids = order.map((account) => account.id);
  const i = ids.indexOf(id);
  const j = ids.indexOf(neighbour.id);
  ids[i] = neighbour.id;
  ids[j] = id;
  return ids;
}

/** The full manual order after dropping `id` at `targetId`'s place (drag and drop). */
export function dropAccount(order: readonly Listable[], id: string, targetId: string): string[] | null {
  if (id === targetId) return null;
  const ids = order.map((account) => account.id).filter((other) => other !== id);
  const from = order.findIndex((account) => account.id === id);
  const to = order.findIndex((account) => account.id === targetId);
  if (from < 0 || to < 0) return null;
  ids.splice(ids.indexOf(targetId) + (from < to ? 1 : 0), 0, id);
  return ids;
}
