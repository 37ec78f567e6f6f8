import { describe, expect, it } from 'vitest';
import { applyFreshCodes } from './freshCodes';
import type { AccountView, Accounts } from './ipc';

const view = (id: string, code: string): AccountView => ({
  id,
  issuer: 'Example',
  name: id,
  kind: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  counter: null,
  tags: ['work'],
  icon: null,
  favorite: false,
  code,
  nextCode: '000000',
  secondsLeft: 30,
  period: 30,
});
const list = (...accounts: AccountView[]): Accounts => ({ now: 1_700_000_000, accounts });

describe('applyFreshCodes', () => {
  it('writes only the codes onto the accounts shown when nothing else changed', () => {
    const shown = list(view('a', '111111'), view('b', '222222'));
    const first = shown.accounts[0];
    const fresh = { ...list(view('a', '333333'), { ...view('b', '444444'), nextCode: '555555', secondsLeft: 12 }), now: 1_700_000_030 };
    expect(applyFreshCodes(shown, fresh)).toBe(true);
    expect(shown.accounts[0]).toBe(first);
    expect(shown).toEqual(fresh);
  });

  it('refuses (and writes nothing) when an account was added, removed, moved or edited', () => {
    const edits: Array<(a: AccountView) => AccountView> = [
      (a) => ({ ...a, issuer: 'Renamed' }),
      (a) => ({ ...a, name: 'other' }),
      (a) => ({ ...a, tags: ['home'] }),
      (a) => ({ ...a, tags: [...a.tags, 'more'] }),
      (a) => ({ ...a, favorite: true }),
      (a) => ({ ...a, icon: 'github' }),
      (a) => ({ ...a, period: 60 }),
      (a) => ({ ...a, digits: 8 }),
      (a) => ({ ...a, algorithm: 'SHA256' }),
      (a) => ({ ...a, kind: 'steam' }),
    ];
    for (const edit of edits) {
      const shown = list(view('a', '111111'));
      expect(applyFreshCodes(shown, list(edit(view('a', '999999'))))).toBe(false);
      expect(shown).toEqual(list(view('a', '111111')));
    }
    const two = list(view('a', '111111'), view('b', '222222'));
    expect(applyFreshCodes(two, list(view('b', '222222'), view('a', '111111')))).toBe(false);
    expect(applyFreshCodes(two, list(view('a', '111111')))).toBe(false);
    expect(applyFreshCodes(two, list(view('a', '1'), view('b', '2'), view('c', '3')))).toBe(false);
    expect(two).toEqual(list(view('a', '111111'), view('b', '222222')));
  });
});
