import { describe, expect, it } from 'vitest';
import { CATALOGUES, interpolate, pickLocale, translator } from '.';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  const en = CATALOGUES.en as Record<string, string>;
  const fr = CATALOGUES.fr as Record<string, string>;

  it('have the same keys in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('have the same placeholders and no empty text', () => {
    for (const key of Object.keys(en)) {
      expect(placeholders(fr[key] ?? ''), key).toEqual(placeholders(en[key] ?? ''));
      expect(en[key]?.trim(), key).not.toBe('');
      expect(fr[key]?.trim(), key).not.toBe('');
    }
  });

  it('define both plural forms for every plural key', () => {
    for (const catalogue of [en, fr]) {
      for (const key of Object.keys(catalogue).filter((k) => /\.(one|other)$/.test(k))) {
        const base = key.replace(/\.(one|other)$/, '');
        expect(catalogue, key).toHaveProperty([`${base}.one`]);
        expect(catalogue, key).toHaveProperty([`${base}.other`]);
      }
    }
  });
});

describe('pickLocale', () => {
  it('takes the first supported language of the system list', () => {
    expect(pickLocale(['fr-FR', 'en-US'])).toBe('fr');
    expect(pickLocale(['fr_CA'])).toBe('fr');
    expect(pickLocale(['de-DE', 'en-GB', 'fr'])).toBe('en');
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});

describe('translator', () => {
  it('interpolates and keeps unknown placeholders visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('uses each language’s plural rules (French 0 and 1 are singular)', () => {
    const en = translator('en');
    const fr = translator('fr');
    expect(en.plural('account.secondsLeftAtMost', 1)).toBe('at most 1 second left');
    expect(en.plural('account.secondsLeftAtMost', 0)).toBe('at most 0 seconds left');
    expect(fr.plural('account.secondsLeftAtMost', 0)).toBe('encore 0 seconde au plus');
    expect(fr.plural('account.secondsLeftAtMost', 12)).toBe('encore 12 secondes au plus');
  });

  it('translates known URI error codes and falls back to Rust’s message', () => {
    expect(translator('fr').uriError('missing_secret', 'the URI has no secret')).toBe(
      'le lien ne contient pas de secret',
    );
    expect(translator('en').uriError('invalid_digits', 'x')).toBe(
      'the number of digits must be from 5 to 10',
    );
    expect(translator('fr').uriError('not-a-known-code', 'raw message')).toBe('raw message');
    // Only `uri.*` keys are looked up, so a code cannot pull an unrelated message.
    expect(translator('en').uriError('..app.name', 'raw')).toBe('raw');
  });

  it('words every error code, URI codes as sentences, others generically', () => {
    const fr = translator('fr');
    expect(fr.errorText('wrong_passphrase')).toBe('Cette phrase secrète n’ouvre pas le coffre.');
    expect(fr.errorText('missing_secret')).toBe('Le lien ne contient pas de secret.');
    expect(fr.errorText('not_a_code')).toBe('Un problème est survenu. Veuillez réessayer.');
    expect(translator('en').errorText('__proto__')).toBe('Something went wrong. Please try again.');
  });
});
