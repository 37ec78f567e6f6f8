// English: the reference catalogue. Every key here must exist in fr.ts (the type and a test
// check it). `{name}` marks a parameter; `.one`/`.other` suffixes are plural forms chosen by
// Intl.PluralRules.
export const en = {
  'app.name': 'Tessera',
  'accounts.heading': 'Accounts',
  'accounts.loading': 'Loading codes…',
  'accounts.empty.title': 'No accounts yet',
  'accounts.empty.body':
    'Start Tessera with --uri followed by an otpauth:// link, or put links in TESSERA_URIS, one per line.',
  'account.unnamed': 'Unnamed account',
  'account.code': 'Code {digits}',
  'account.hotp': 'Counter-based code',
  'account.secondsLeft.one': '{count} second left',
  'account.secondsLeft.other': '{count} seconds left',
  'error.clock': 'Your system clock is set before 1970, so codes would be wrong. Fix the date and time, then retry.',
  'error.unknown': 'Codes could not be loaded.',
  'error.retry': 'Retry',
  'launch.heading.one': '{count} link was not added',
  'launch.heading.other': '{count} links were not added',
  'launch.source.argument': '--uri argument {position}',
  'launch.source.environment': 'Line {position} of TESSERA_URIS',
  // One per core `UriError::code()` (crates/core/src/uri.rs); unknown codes show Rust's message.
  'uri.invalid_algorithm': 'unsupported algorithm (use SHA1, SHA256 or SHA512)',
  'uri.invalid_counter': 'the counter is not a valid whole number',
  'uri.invalid_digits': 'the number of digits must be from 5 to 10',
  'uri.invalid_label': 'the account name is not valid text',
  'uri.invalid_period': 'the period must be a whole number of seconds above zero',
  'uri.invalid_secret': 'the secret is not valid base32',
  'uri.missing_secret': 'the link has no secret',
  'uri.not_otpauth': 'not an otpauth:// link',
  'uri.unknown_type': 'unknown code type (expected totp, hotp or steam)',
  'uri.unsupported_type': 'this code type (Yandex) is not supported',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
