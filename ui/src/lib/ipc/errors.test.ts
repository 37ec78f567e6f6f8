import { describe, expect, it } from 'vitest';
import { call, normalizeEvent, toIpcError } from './errors';

describe('toIpcError', () => {
  it('keeps known codes from our commands', () => {
    expect(toIpcError({ code: 'clock', message: 'the system clock is set before 1970' })).toEqual({
      code: 'clock',
      message: 'the system clock is set before 1970',
    });
  });

  it('keeps the form field of invalid_input, and only a known one', () => {
    expect(toIpcError({ code: 'invalid_input', message: 'm', field: 'digits' })).toEqual({
      code: 'invalid_input',
      message: 'm',
      field: 'digits',
    });
    expect(toIpcError({ code: 'invalid_input', message: 'm', field: 'constructor' })).toEqual({
      code: 'invalid_input',
      message: 'm',
    });
  });

  it('maps unknown codes, Tauri strings and exceptions to unknown', () => {
    expect(toIpcError({ code: 'vault_is_a_teapot', message: 'm' })).toEqual({
      code: 'unknown',
      message: 'm',
    });
    expect(toIpcError('Command get_secret not allowed by ACL')).toEqual({
      code: 'unknown',
      message: 'Command get_secret not allowed by ACL',
    });
    expect(toIpcError(new TypeError('boom'))).toEqual({ code: 'unknown', message: 'boom' });
    expect(toIpcError(undefined)).toEqual({ code: 'unknown', message: 'unexpected error' });
    expect(toIpcError({ code: 42 })).toEqual({ code: 'unknown', message: '42' });
  });
});

describe('call', () => {
  it('passes results through and normalizes rejections', async () => {
    await expect(call(async () => 7)).resolves.toBe(7);
    await expect(call(() => Promise.reject({ code: 'clock', message: 'x' }))).rejects.toEqual({
      code: 'clock',
      message: 'x',
    });
    await expect(call(() => Promise.reject('denied'))).rejects.toEqual({
      code: 'unknown',
      message: 'denied',
    });
  });
});

describe('normalizeEvent', () => {
  it("normalizes an event's error as a rejected command's, and leaves other events alone", () => {
    expect(normalizeEvent({ type: 'importFailed', error: { code: 'no_such_code', message: 'm' } })).toEqual({
      type: 'importFailed',
      error: { code: 'unknown', message: 'm' },
    });
    expect(normalizeEvent({ type: 'qrScanFailed', error: { code: 'locked', message: 'm' } })).toEqual({
      type: 'qrScanFailed',
      error: { code: 'locked', message: 'm' },
    });
    expect(normalizeEvent({ type: 'vaultLocked' })).toEqual({ type: 'vaultLocked' });
  });
});
