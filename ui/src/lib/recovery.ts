// The recovery key as the user sees it once at first run, and the "retype one group" check.
// Rust sends the display text (`7Q2M-K9XA-…`, eight groups of four Crockford base32 symbols);
// the UI only splits, compares and forgets it.

/** The key's groups, in order, whatever separators Rust used. */
export function recoveryGroups(key: string): string[] {
  return key
    .split(/[\s-]+/)
    .map((group) => group.trim())
    .filter((group) => group.length > 0);
}

/**
 * Typed text normalized the way the core reads recovery keys (Crockford): any case, spaces and
 * dashes ignored, I and L read as 1, O as 0.
 */
export function normalizeRecoveryText(text: string): string {
  return text
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

/** Whether `typed` is the group at `index` (0-based) of `key`. */
export function groupMatches(key: string, index: number, typed: string): boolean {
  const group = recoveryGroups(key)[index];
  return group !== undefined && normalizeRecoveryText(typed) === normalizeRecoveryText(group);
}

/** A uniformly chosen group index in 0..count, from the platform's CSPRNG. */
export function pickGroupIndex(count: number, random: () => number = cryptoRandom): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.floor(random() * count));
}

function cryptoRandom(): number {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return (buffer[0] ?? 0) / 2 ** 32;
}
