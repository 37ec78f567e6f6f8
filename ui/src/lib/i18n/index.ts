import { en, type Catalogue, type MessageKey } from './en';
import { fr } from './fr';

export const CATALOGUES = { en, fr } satisfies Record<string, Catalogue>;
export type Locale = keyof typeof CATALOGUES;
export type { Catalogue, MessageKey };

type Params = Record<string, string | number>;
/** Keys with `.one`/`.other` forms, named without the suffix. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];

/** The first supported language among the user's preferred ones (the system locale in Tauri). */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split(/[-_]/)[0];
    if (language === 'fr' || language === 'en') return language;
  }
  return 'en';
}

export function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export interface Translator {
  locale: Locale;
  t(key: MessageKey, params?: Params): string;
  /** Plural message: picks `<key>.one` or `<key>.other` for `count`, which is also a param. */
  plural(key: PluralKey, count: number, params?: Params): string;
  /** Text for a core `UriError` code: `uri.<code>` if translated, else Rust's English message. */
  uriError(code: string, fallback: string): string;
  /**
   * Text for any IPC error code: `error.<context>.<code>` when a context is given and has one
   * (the same code can need other words: a refused verification approves nothing in a prompt
   * and keeps the vault locked on the lock screen), else `error.<code>`, else the URI parser's
   * text, else generic.
   */
  errorText(code: string, context?: string): string;
}

export function translator(locale: Locale): Translator {
  const catalogue: Catalogue = CATALOGUES[locale];
  const rules = new Intl.PluralRules(locale);
  const t = (key: MessageKey, params?: Params) => interpolate(catalogue[key], params);
  return {
    locale,
    t,
    plural(key, count, params = {}) {
      const form = rules.select(count) === 'one' ? 'one' : 'other';
      return t(`${key}.${form}` as MessageKey, { ...params, count });
    },
    uriError(code, fallback) {
      const key = `uri.${code}`;
      return isMessageKey(key) ? t(key) : fallback;
    },
    errorText(code, context) {
      const specific = `error.${context}.${code}`;
      if (context !== undefined && isMessageKey(specific)) return t(specific);
      const own = `error.${code}`;
      if (isMessageKey(own)) return t(own);
      const uri = `uri.${code}`;
      if (isMessageKey(uri)) {
        const text = t(uri);
        return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1) + '.';
      }
      return t('error.unknown');
    },
  };
}
