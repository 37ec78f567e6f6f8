import { describe, expect, it } from 'vitest';
import { draftToForm, emptyDraft, looksLikeOtpauth, normalizeSecret, validateDraft, type AccountDraft } from './validate';

const valid = (): AccountDraft => ({
  ...emptyDraft(),
  issuer: 'GitHub',
  name: 'alice',
  secret: 'jbsw y3dp ehpk 3pxp',
});

describe('validateDraft', () => {
  it('accepts a typical TOTP account, spaces and lower case included', () => {
    expect(validateDraft(valid())).toEqual({});
  });

  it.each([
    ['empty secret', { secret: '' }, 'secret', 'form.error.secretRequired'],
    ['not base32 (1, 8, 0)', { secret: 'JBSWY3DPEHPK3PX1' }, 'secret', 'form.error.secretAlphabet'],
    ['too short', { secret: 'JBSW' }, 'secret', 'form.error.secretShort'],
    ['no issuer nor name', { issuer: ' ', name: '' }, 'name', 'form.error.nameRequired'],
    ['4 digits', { digits: '4' }, 'digits', 'form.error.digits'],
    ['11 digits', { digits: '11' }, 'digits', 'form.error.digits'],
    ['digits not a number', { digits: '6a' }, 'digits', 'form.error.digits'],
    ['period 0', { period: '0' }, 'period', 'form.error.period'],
    ['negative period', { period: '-30' }, 'period', 'form.error.period'],
    ['negative counter', { kind: 'hotp', counter: '-1' }, 'counter', 'form.error.counter'],
    ['fractional counter', { kind: 'hotp', counter: '1.5' }, 'counter', 'form.error.counter'],
  ] as const)('%s', (_, change, field, key) => {
    const errors = validateDraft({ ...valid(), ...change });
    expect(errors).toEqual({ [field]: key });
  });

  it('checks only the fields of the chosen kind', () => {
    expect(validateDraft({ ...valid(), kind: 'hotp', period: '0', counter: '5' })).toEqual({});
    expect(validateDraft({ ...valid(), kind: 'totp', counter: 'x' })).toEqual({});
    expect(validateDraft({ ...valid(), kind: 'steam', digits: '' })).toEqual({});
  });

  it('accepts the limits 5 and 10 digits, counter 0', () => {
    expect(validateDraft({ ...valid(), digits: '5' })).toEqual({});
    expect(validateDraft({ ...valid(), digits: '10' })).toEqual({});
    expect(validateDraft({ ...valid(), kind: 'hotp', counter: '0' })).toEqual({});
  });
});

describe('draftToForm', () => {
  it('normalizes the secret and converts numbers', () => {
    expect(draftToForm({ ...valid(), kind: 'hotp', counter: '7', digits: '8' })).toEqual({
      issuer: 'GitHub',
      name: 'alice',
      secret: 'JBSWY3DPEHPK3PXP',
      kind: 'hotp',
      algorithm: 'SHA1',
      digits: 8,
      period: 30,
      counter: 7,
    });
  });

  it('gives Steam its fixed parameters', () => {
    const form = draftToForm({ ...valid(), kind: 'steam', algorithm: 'SHA512', digits: '8' });
    expect(form.digits).toBe(5);
    expect(form.algorithm).toBe('SHA1');
  });
});

describe('helpers', () => {
  it('normalizes secrets and recognizes otpauth links', () => {
    expect(normalizeSecret('ab-cd ef==')).toBe('ABCDEF');
    expect(looksLikeOtpauth('  OTPAUTH://totp/x?secret=A')).toBe(true);
    expect(looksLikeOtpauth('https://example.com')).toBe(false);
  });
});
