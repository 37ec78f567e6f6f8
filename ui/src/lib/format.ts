// Pure presentation helpers: how codes and accounts are shown.

/**
 * Splits a code into groups that are easy to read and type: 6 → 3+3, 8 → 4+4, 9 → 3+3+3,
 * other lengths in two halves (7 → 3+4, 10 → 5+5). Codes of 5 characters or fewer (Steam) stay
 * whole.
 */
export function groupCode(code: string): string[] {
  const n = code.length;
  if (n <= 5) return [code];
  const size = n % 3 === 0 ? 3 : n % 4 === 0 ? 4 : 0;
  if (size > 0) {
    const groups: string[] = [];
    for (let i = 0; i < n; i += size) groups.push(code.slice(i, i + size));
    return groups;
  }
  const half = Math.floor(n / 2);
  return [code.slice(0, half), code.slice(half)];
}

/** The code spelled character by character, so screen readers read "1 2 3", not "one hundred…". */
export function spellCode(code: string): string {
  return Array.from(code).join(' ');
}

/** The first letter of the issuer, else of the name; "#" when neither has a letter or digit. */
export function initial(issuer: string, name: string, locale: string): string {
  for (const text of [issuer, name]) {
    const first = Array.from(text.trim()).find((char) => /[\p{L}\p{N}]/u.test(char));
    if (first !== undefined) return first.toLocaleUpperCase(locale);
  }
  return '#';
}

/** Number of avatar colours defined in app.css (`.avatar-0` …). */
export const AVATAR_COLOURS = 6;

/** A stable colour slot per label (FNV-1a), so an account keeps its colour between runs. */
export function avatarColour(label: string): number {
  let hash = 0x811c9dc5;
  for (const char of label) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % AVATAR_COLOURS;
}
