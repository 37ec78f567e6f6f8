// Validation of the manual Add form, as the user types. Rust validates again (it is the
// authority); this only gives early, precise feedback. Messages are i18n keys.

import type { MessageKey } from './i18n';
import type { AccountForm, Algorithm, FormField, OtpKind } from './ipc';

/** The form as typed: numbers stay text until they validate. */
export interface AccountDraft {
  issuer: string;
  name: string;
  secret: string;
  kind: OtpKind;
  algorithm: Algorithm;
  digits: string;
  period: string;
  counter: string;
}

export type DraftErrors = Partial<Record<FormField, MessageKey>>;

export function emptyDraft(): AccountDraft {
  return {
    issuer: '',
    name: '',
    secret: '',
    kind: 'totp',
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
    counter: '0',
  };
}

/** The secret as base32 letters only: spaces and dashes dropped, upper case, padding removed. */
export function normalizeSecret(secret: string): string {
  return secret.replace(/[\s-]+/g, '').toUpperCase().replace(/=+$/, '');
}

const WHOLE = /^\d+$/;

export function validateDraft(draft: AccountDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.issuer.trim() === '' && draft.name.trim() === '') errors.name = 'form.error.nameRequired';

  const secret = normalizeSecret(draft.secret);
  if (secret === '') errors.secret = 'form.error.secretRequired';
  else if (!/^[A-Z2-7]+$/.test(secret)) errors.secret = 'form.error.secretAlphabet';
  // 8 symbols are 40 bits: anything shorter is a typo or a truncated paste, never a real key.
  else if (secret.length < 8) errors.secret = 'form.error.secretShort';

  if (draft.kind !== 'steam') {
    const digits = Number(draft.digits);
    if (!WHOLE.test(draft.digits.trim()) || digits < 5 || digits > 10)
      errors.digits = 'form.error.digits';
  }
  if (draft.kind !== 'hotp') {
    if (!WHOLE.test(draft.period.trim()) || Number(draft.period) <= 0 || Number(draft.period) > 86400)
      errors.period = 'form.error.period';
  }
  if (draft.kind === 'hotp') {
    if (!WHOLE.test(draft.counter.trim()) || !Number.isSafeInteger(Number(draft.counter)))
      errors.counter = 'form.error.counter';
  }
  return errors;
}

/** A draft that passed `validateDraft`, as the IPC form (Steam: 5 characters, 30 s). */
export function draftToForm(draft: AccountDraft): AccountForm {
  return {
    issuer: draft.issuer.trim(),
    name: draft.name.trim(),
    secret: normalizeSecret(draft.secret),
    kind: draft.kind,
    algorithm: draft.kind === 'steam' ? 'SHA1' : draft.algorithm,
    digits: draft.kind === 'steam' ? 5 : Number(draft.digits),
    period: Number(draft.period) || 30,
    counter: Number(draft.counter) || 0,
  };
}

export function looksLikeOtpauth(text: string): boolean {
  return /^otpauth:\/\//i.test(text.trim());
}
