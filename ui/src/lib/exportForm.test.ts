import { describe, expect, it } from 'vitest';
import { emptyExportDraft, exportProblem, toExportRequest } from './exportForm';

describe('export form', () => {
  it('encrypted formats need the password twice, the same', () => {
    const draft = emptyExportDraft();
    expect(exportProblem(draft)).toBe('export.passwordEmpty');
    expect(exportProblem({ ...draft, password: 'a', confirm: 'b' })).toBe('export.passwordMismatch');
    expect(exportProblem({ ...draft, password: 'a', confirm: 'a' })).toBeNull();
  });

  it('plain formats and QR codes need the explicit consent', () => {
    for (const format of ['aegis_json', 'otpauth_list', 'google_migration'] as const) {
      expect(exportProblem({ ...emptyExportDraft(), format })).toBe('error.plain_not_confirmed');
      expect(exportProblem({ ...emptyExportDraft(), format, plainConfirmed: true })).toBeNull();
    }
  });

  it('sends a password only with encrypted formats', () => {
    const typed = { ...emptyExportDraft(), password: 'p', confirm: 'p', plainConfirmed: true };
    expect(toExportRequest({ ...typed, format: 'aegis_encrypted' }, 'Aegis, chiffré')).toEqual({
      format: 'aegis_encrypted',
      password: 'p',
      confirm: 'p',
      plainConfirmed: false,
      fileKind: 'Aegis, chiffré',
    });
    expect(toExportRequest({ ...typed, format: 'otpauth_list' }, 'otpauth')).toEqual({
      format: 'otpauth_list',
      password: null,
      confirm: null,
      plainConfirmed: true,
      fileKind: 'otpauth',
    });
  });
});
