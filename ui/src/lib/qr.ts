// The scan result list's logic, apart from the markup so vitest covers it: what can be picked,
// what is picked at first, and how each line and source is worded. No function here sees a
// secret: the list carries labels and statuses only.

import type { Translator } from './i18n';
import type { QrItem, QrScan } from './ipc';

/**
 * Only new accounts can be added (not the ones Tessera has). The accounts of an export with codes
 * not scanned yet are new too: as an import does, they can be added now and the other codes later.
 */
export const selectable = (item: QrItem): boolean => item.kind === 'account' && item.status === 'new';

/** Every new account is picked at first: scanning a code means wanting it. */
export const initialSelection = (scan: QrScan): number[] => scan.items.filter(selectable).map((item) => item.id);

/**
 * The picks after a rescan: what the user unticked stays unticked; what could not be picked
 * before (the accounts of codes just scanned) is picked.
 */
export function mergeSelection(before: QrScan | null, picked: number[], after: QrScan): number[] {
  const offered = new Set(before?.items.filter(selectable).map((item) => item.id) ?? []);
  return after.items
    .filter(selectable)
    .filter((item) => !offered.has(item.id) || picked.includes(item.id))
    .map((item) => item.id);
}

/** `issuer (name)`, or whichever one there is. */
export function accountLabel(item: Pick<QrItem, 'issuer' | 'name'>): string {
  if (item.issuer !== '' && item.name !== '') return `${item.issuer} (${item.name})`;
  return item.issuer || item.name;
}

/** Where a code was found, in words: `Screen DP-1`, `Clipboard`, or the file name. */
export function sourceText(source: string, i18n: Translator): string {
  if (source.startsWith('screen:')) {
    const monitor = source.slice('screen:'.length);
    // `screen`: one image of the whole desktop (the Wayland portal, X11 without RandR).
    return monitor === 'screen' ? i18n.t('qr.source.desktop') : i18n.t('qr.source.screen', { monitor });
  }
  if (source === 'clipboard') return i18n.t('qr.source.clipboard');
  return source;
}

/** The line under an item's label: its status, its export code, or what it is. */
export function itemText(item: QrItem, i18n: Translator): string {
  switch (item.kind) {
    case 'account': {
      const parts: string[] = [];
      // A one-code export is just a code: its number would only be noise.
      if (item.batch !== null && item.batch.size > 1) parts.push(i18n.t('qr.batch', { number: item.batch.number, size: item.batch.size }));
      if (item.status === 'duplicate') parts.push(i18n.t('qr.status.duplicate'));
      return parts.join(' · ');
    }
    case 'push':
      return i18n.t('qr.push');
    case 'other':
      return i18n.t('qr.notAccount', { detail: item.detail });
    case 'invalid':
      return i18n.t('qr.invalid', { reason: i18n.errorText(item.detail) });
  }
}

/** "codes 2, 3 of 4 were not scanned; scan them too, now or later" for each incomplete export. */
export const missingTexts = (scan: QrScan, i18n: Translator): string[] =>
  scan.missing.map((m) => i18n.plural('qr.missing', m.numbers.length, { numbers: m.numbers.join(', '), size: m.size }));
