// The export dialog's form: which format, its password twice or the "unencrypted" consent, and
// what keeps the Save button from doing anything yet. Rust checks the same again.

import type { MessageKey } from './i18n';
import type { ExportFileFormat, ExportRequest } from './ipc';

export type ExportChoice = ExportFileFormat | 'google_migration';

/** Encrypted formats first, as the picker offers them (`ExportFormat::ALL` in Rust). */
export const EXPORT_CHOICES: readonly ExportChoice[] = [
  'tessera_backup',
  'aegis_encrypted',
  'aegis_json',
  'otpauth_list',
  'google_migration',
];

export interface ExportDraft {
  format: ExportChoice;
  password: string;
  confirm: string;
  /** "I understand this file is unencrypted" (plain files), or "show the codes" (QR codes). */
  plainConfirmed: boolean;
}

export const emptyExportDraft = (): ExportDraft => ({
  format: 'tessera_backup',
  password: '',
  confirm: '',
  plainConfirmed: false,
});

export const isEncrypted = (format: ExportChoice) => format === 'tessera_backup' || format === 'aegis_encrypted';

/** Why the draft cannot be sent yet; `null` when it can. */
export function exportProblem(draft: ExportDraft): MessageKey | null {
  if (isEncrypted(draft.format)) {
    if (draft.password === '') return 'export.passwordEmpty';
    if (draft.password !== draft.confirm) return 'export.passwordMismatch';
    return null;
  }
  return draft.plainConfirmed ? null : 'error.plain_not_confirmed';
}

/** The request for `exportSave` (file formats only); passwords go only with encrypted ones. */
export function toExportRequest(draft: ExportDraft & { format: ExportFileFormat }, fileKind: string): ExportRequest {
  const encrypted = isEncrypted(draft.format);
  return {
    format: draft.format,
    password: encrypted ? draft.password : null,
    confirm: encrypted ? draft.confirm : null,
    plainConfirmed: !encrypted && draft.plainConfirmed,
    fileKind,
  };
}
