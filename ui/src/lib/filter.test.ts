import { describe, expect, it } from 'vitest';
import { allTags, dropAccount, fold, matchesQuery, moveAccount, visibleAccounts, type Listable } from './filter';

const account = (id: string, issuer: string, name: string, tags: string[] = [], favorite = false): Listable => ({
  id,
  issuer,
  name,
  tags,
  favorite,
});

const list = [
  account('a', 'GitHub', 'alice@example.com', ['work']),
  account('b', 'Société Générale', 'bob', ['banque']),
  account('c', 'Google', 'carol@gmail.com', ['perso'], true),
  account('d', 'Proton', 'dave', ['perso', 'work']),
  account('e', 'Amazon', 'eve', [], true),
];
const ids = (accounts: Listable[]) => accounts.map((a) => a.id);

describe('search', () => {
  it('folds case and accents', () => {
    expect(fold('Société ÉCOLE')).toBe('societe ecole');
    expect(matchesQuery(list[1]!, 'societe')).toBe(true);
  });

  it('looks at issuer, name and tags, every word must match', () => {
    expect(ids(visibleAccounts(list, 'git', null))).toEqual(['a']);
    expect(ids(visibleAccounts(list, 'gmail', null))).toEqual(['c']);
    expect(ids(visibleAccounts(list, 'BANQUE', null))).toEqual(['b']);
    expect(ids(visibleAccounts(list, 'perso dave', null))).toEqual(['d']);
    expect(ids(visibleAccounts(list, 'nothing-like-this', null))).toEqual([]);
    expect(ids(visibleAccounts(list, '   ', null))).toHaveLength(5);
  });

  it('filters by tag and combines with the query', () => {
    expect(ids(visibleAccounts(list, '', 'work'))).toEqual(['a', 'd']);
    expect(ids(visibleAccounts(list, 'pro', 'work'))).toEqual(['d']);
  });
});

describe('order', () => {
  it('pins favourites on top, each group in manual order', () => {
    expect(ids(visibleAccounts(list, '', null))).toEqual(['c', 'e', 'a', 'b', 'd']);
  });

  it('lists tags sorted for the language', () => {
    expect(allTags(list, 'fr')).toEqual(['banque', 'perso', 'work']);
  });

  it('moves an account past its visible neighbour only', () => {
    const visible = visibleAccounts(list, '', null);
    expect(moveAccount(list, visible, 'b', 1)).toEqual(['a', 'd', 'c', 'b', 'e']);
    expect(moveAccount(list, visible, 'b', -1)).toEqual(['b', 'a', 'c', 'd', 'e']);
    // First of the non-favourites cannot jump above the pinned ones; last cannot go further.
    expect(moveAccount(list, visible, 'a', -1)).toBeNull();
    expect(moveAccount(list, visible, 'd', 1)).toBeNull();
    expect(moveAccount(list, visible, 'e', -1)).toEqual(['a', 'b', 'e', 'd', 'c']);
    // While filtered, swaps with the neighbour the user sees.
    const work = visibleAccounts(list, '', 'work');
    expect(moveAccount(list, work, 'd', -1)).toEqual(['d', 'b', 'c', 'a', 'e']);
  });

  it('drops an account at another one’s place', () => {
    expect(dropAccount(list, 'a', 'c')).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(dropAccount(list, 'd', 'a')).toEqual(['d', 'a', 'b', 'c', 'e']);
    expect(dropAccount(list, 'a', 'a')).toBeNull();
    expect(dropAccount(list, 'zz', 'a')).toBeNull();
  });
});
