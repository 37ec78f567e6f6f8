// Built-in icons for common issuers: coloured monograms in each brand's colour, darkened where
// needed so the white letter keeps at least 4.5:1 contrast. No images, no remote content.
// `AccountView.icon` stores the key; null means "automatic": a known issuer's icon, else the
// generated initial.

export interface IssuerIcon {
  key: string;
  /** The name shown in the icon picker. */
  label: string;
  /** One or two characters drawn in the badge. */
  mark: string;
  /** Badge background (white text on it is ≥ 4.5:1). */
  colour: string;
  /** Lower-case words that identify the issuer. */
  aliases: string[];
}

export const ISSUER_ICONS: readonly IssuerIcon[] = [
  { key: 'amazon', label: 'Amazon', mark: 'a', colour: '#232f3e', aliases: ['amazon', 'aws'] },
  { key: 'apple', label: 'Apple', mark: 'A', colour: '#1d1d1f', aliases: ['apple', 'icloud'] },
  { key: 'bitwarden', label: 'Bitwarden', mark: 'B', colour: '#175ddc', aliases: ['bitwarden'] },
  { key: 'cloudflare', label: 'Cloudflare', mark: 'C', colour: '#a34b00', aliases: ['cloudflare'] },
  { key: 'discord', label: 'Discord', mark: 'D', colour: '#4752c4', aliases: ['discord'] },
  { key: 'dropbox', label: 'Dropbox', mark: 'D', colour: '#0057e0', aliases: ['dropbox'] },
  { key: 'facebook', label: 'Facebook', mark: 'f', colour: '#0f5fcc', aliases: ['facebook', 'meta'] },
  { key: 'github', label: 'GitHub', mark: 'GH', colour: '#24292f', aliases: ['github'] },
  { key: 'gitlab', label: 'GitLab', mark: 'GL', colour: '#a8401a', aliases: ['gitlab'] },
  { key: 'google', label: 'Google', mark: 'G', colour: '#1a66d1', aliases: ['google', 'gmail'] },
  { key: 'linkedin', label: 'LinkedIn', mark: 'in', colour: '#0a66c2', aliases: ['linkedin'] },
  { key: 'microsoft', label: 'Microsoft', mark: 'M', colour: '#0f6cbd', aliases: ['microsoft', 'outlook', 'azure'] },
  { key: 'nextcloud', label: 'Nextcloud', mark: 'N', colour: '#0062a3', aliases: ['nextcloud'] },
  { key: 'ovh', label: 'OVHcloud', mark: 'OVH', colour: '#123f6d', aliases: ['ovh', 'ovhcloud'] },
  { key: 'paypal', label: 'PayPal', mark: 'P', colour: '#003087', aliases: ['paypal'] },
  { key: 'proton', label: 'Proton', mark: 'P', colour: '#5b3fd9', aliases: ['proton', 'protonmail'] },
  { key: 'reddit', label: 'Reddit', mark: 'r', colour: '#b83200', aliases: ['reddit'] },
  { key: 'slack', label: 'Slack', mark: 'S', colour: '#4a154b', aliases: ['slack'] },
  { key: 'steam', label: 'Steam', mark: 'S', colour: '#171a21', aliases: ['steam', 'valve'] },
  { key: 'x', label: 'X (Twitter)', mark: 'X', colour: '#000000', aliases: ['x', 'twitter'] },
];

const BY_KEY = new Map(ISSUER_ICONS.map((icon) => [icon.key, icon]));

/** The icon for an account: its chosen one, else the one its issuer is known by, else null. */
export function iconFor(icon: string | null, issuer: string): IssuerIcon | null {
  if (icon !== null) return BY_KEY.get(icon) ?? null;
  const words = issuer
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const joined = words.join('');
  return (
    ISSUER_ICONS.find((candidate) =>
      candidate.aliases.some((alias) => joined === alias || (alias.length > 2 && words.includes(alias))),
    ) ?? null
  );
}

/** Relative luminance and contrast ratio (WCAG 2.x), for the palette test. */
export function contrast(hexA: string, hexB: string): number {
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(hexA), lum(hexB)].sort((a, b) => b - a) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
