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
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
