import { describe, expect, it } from 'vitest';
import { translator } from './i18n';
import type { QrItem, QrScan } from './ipc';
import { accountLabel, initialSelection, itemText, mergeSelection, missingTexts, selectable, sourceText } from './qr';

const item = (id: number, over: Partial<QrItem> = {}): QrItem => ({
  id,
  source: 'screen:DP-1',
  kind: 'account',
  issuer: 'ACME',
  name: 'bob',
  otpKind: 'totp',
  status: 'new',
  batch: null,
  detail: '',
  ...over,
});

const scan = (items: QrItem[], missing: QrScan['missing'] = []): QrScan => ({
  scanId: 's',
  items,
  found: items.length,
  missing,
  failures: [],
});

const en = translator('en');
const fr = translator('fr');

describe('selection', () => {
  it('picks new accounts only, those of an export with codes missing too', () => {
    const items = [
      item(0),
      item(1, { status: 'duplicate' }),
      item(2, { batch: { id: 7, number: 1, size: 2 } }),
      item(3, { kind: 'push', status: '' }),
      item(4, { kind: 'other', status: '', detail: 'https://example.com' }),
    ];
    expect(items.map(selectable)).toEqual([true, false, true, false, false]);
    expect(initialSelection(scan(items, [{ batchId: 7, size: 2, numbers: [2] }]))).toEqual([0, 2]);
  });

  it('keeps the user’s choices across a rescan and picks what is new', () => {
    const first = scan([item(0), item(1), item(2, { batch: { id: 7, number: 1, size: 2 } })]);
    // The user unticked 1; the rescan read the export's second code (3) and found 4.
    const second = scan([item(0), item(1), item(2), item(3, { batch: { id: 7, number: 2, size: 2 } }), item(4, { status: 'duplicate' })]);
    expect(mergeSelection(first, [0, 2], second)).toEqual([0, 2, 3]);
    expect(mergeSelection(null, [], second)).toEqual([0, 1, 2, 3]);
  });
});

describe('wording', () => {
  it('labels accounts and sources', () => {
    expect(accountLabel({ issuer: 'ACME', name: 'bob' })).toBe('ACME (bob)');
    expect(accountLabel({ issuer: '', name: 'bob' })).toBe('bob');
    expect(sourceText('screen:HDMI-1', en)).toBe('Screen HDMI-1');
    expect(sourceText('clipboard', fr)).toBe('Presse-papiers');
    expect(sourceText('screen:screen', en)).toBe('Screen');
    expect(sourceText('Screenshot.png', en)).toBe('Screenshot.png');
  });

  it('says what each item is, with the export code and status', () => {
    expect(itemText(item(0, { batch: { id: 7, number: 1, size: 4 } }), en)).toBe('Export code 1 of 4');
    expect(itemText(item(6, { status: 'duplicate', batch: { id: 7, number: 2, size: 4 } }), en)).toBe(
      'Export code 2 of 4 · Already in Tessera',
    );
    expect(itemText(item(1, { status: 'duplicate' }), en)).toBe('Already in Tessera');
    expect(itemText(item(5, { batch: { id: 1, number: 1, size: 1 } }), en)).toBe('');
    expect(itemText(item(2, { kind: 'other', status: '', detail: 'https://example.com' }), en)).toBe(
      'Not an account: https://example.com',
    );
    expect(itemText(item(3, { kind: 'invalid', status: '', detail: 'qr_invalid_otpauth' }), en)).toBe(
      'Damaged code: This account code cannot be read.',
    );
    expect(itemText(item(4, { kind: 'push', status: '' }), fr)).toBe('Jeton de connexion push');
  });

  it('names the export codes not scanned, as the import does', () => {
    const texts = missingTexts(scan([], [{ batchId: 7, size: 4, numbers: [2, 3, 4] }]), en);
    expect(texts).toEqual([
      'Google Authenticator export: codes 2, 3, 4 of 4 were not scanned. Their accounts are not listed here; scan them too, now or later.',
    ]);
    expect(missingTexts(scan([], [{ batchId: 7, size: 2, numbers: [1] }]), fr)).toEqual([
      'Export Google Authenticator : le code 1 sur 2 n’a pas été scanné. Ses comptes ne sont pas dans cette liste ; scannez-le aussi, maintenant ou plus tard.',
    ]);
  });
});
