import { describe, expect, it } from 'vitest';
import { IPC_ERROR_CODES } from '../ipc/generated';
import { CATALOGUES, translator, type Locale } from '.';

// `IPC_ERROR_CODES` is generated from every Rust error type that reaches the UI: a new code in
// Rust fails here until both languages word it.
describe('error texts', () => {
  for (const locale of Object.keys(CATALOGUES) as Locale[]) {
    it(`word every code the backend can send in ${locale}`, () => {
      const tr = translator(locale);
      const generic = tr.t('error.unknown');
      const missing = IPC_ERROR_CODES.filter((code) => code !== 'unknown' && tr.errorText(code) === generic);
      expect(missing).toEqual([]);
    });
  }
});
