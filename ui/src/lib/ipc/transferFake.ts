// The import and export half of the in-memory fake backend (vitest and `npm run dev`): files
// by path, a password step for encrypted ones, a preview with duplicates and problems, commit in
// one step, and exports written to `exports`. Calls are recorded on the shared recorder
// (fakeRecorder.ts); passwords are not.

import type {
  AccountForm,
  ExportRequest,
  Exported,
  ImportItem,
  ImportOpened,
  ImportPreview,
  ImportProgress,
  ImportSummary,
  IpcError,
  MigrationQr,
} from './contract';
import { fail, type CallRecorder } from './fakeRecorder';
import type { FakeVault } from './vaultFake';

/** An export file of another app, as the fake's importer sees it. */
export interface FakeImportFile {
  format: string;
  /** Encrypted files ask for it. */
  password: string | null;
  entries: AccountForm[];
  problems: { label: string; status: 'unsupported' | 'rejected'; reason: string }[];
  /** Codes of a Google Authenticator export the file lacks (as the importer names them). */
  missing?: ImportPreview['missing'];
}

export class FakeTransfer {
  /** Files the fake importer can open, by path. */
  importFiles = new Map<string, FakeImportFile>();
  /** The path the native picker "chooses" next; null: the user closes it. */
  nextPick: string | null = null;
  /** The path the native save dialog "chooses" next; null: the user closes it. */
  nextSave: string | null = '/home/user/tessera-export';
  /** Files written by `exportSave`. */
  exports: { format: string; path: string }[] = [];
  #imports = new Map<string, { file: FakeImportFile; read: boolean }>();
  #next = 1;

  constructor(
    private readonly recorder: CallRecorder,
    private readonly vault: FakeVault,
  ) {}

  #open(path: string): ImportOpened {
    this.vault.unlocked();
    const file = this.importFiles.get(path);
    if (file === undefined) throw fail('unknown_format', 'not an export Tessera recognises');
    const importId = `import-${this.#next++}`;
    this.#imports.set(importId, { file, read: file.password === null });
    if (file.password !== null) return { step: 'needsPassword', importId, format: file.format };
    return { step: 'preview', preview: this.#preview(importId, file) };
  }

  #preview(importId: string, file: FakeImportFile): ImportPreview {
    const items: ImportItem[] = file.entries.map((form, entry) => ({
      entry,
      issuer: form.issuer,
      name: form.name,
      kind: form.kind,
      status: this.vault.has(form) ? 'duplicate' : 'new',
      reason: null,
    }));
    for (const problem of file.problems)
      items.push({ entry: null, issuer: problem.label, name: '', kind: null, status: problem.status, reason: problem.reason });
    return { importId, format: file.format, items, missing: file.missing ?? [] };
  }

  #held(importId: string) {
    const held = this.#imports.get(importId);
    if (held === undefined) throw fail('import_gone', 'this import was cancelled or has expired');
    return held;
  }

  async importPick(): Promise<ImportOpened | null> {
    this.recorder.record('importPick');
    return this.nextPick === null ? null : this.#open(this.nextPick);
  }

  async importOpenPaths(paths: string[]): Promise<ImportOpened> {
    this.recorder.record('importOpenPaths', [paths]);
    try {
      const opened = this.#open(paths[0] ?? '');
      this.vault.emit({ type: 'importOpened', opened });
      return opened;
    } catch (error) {
      this.vault.emit({ type: 'importFailed', error: error as IpcError });
      throw error;
    }
  }

  async importUnlock(
    importId: string,
    password: string,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<ImportPreview> {
    this.recorder.record('importUnlock', [importId, '<password>']);
    const held = this.#held(importId);
    onProgress({ stage: 'deriving', elapsedMs: 0 });
    if (password !== held.file.password) throw fail('wrong_password', 'wrong password for the file');
    onProgress({ stage: 'done', elapsedMs: 1 });
    held.read = true;
    return this.#preview(importId, held.file);
  }

  async importCommit(importId: string, selected: number[]): Promise<ImportSummary> {
    this.recorder.record('importCommit', [importId, selected]);
    this.vault.unlocked();
    const held = this.#held(importId);
    if (!held.read) throw fail('invalid_input', 'this import needs its password first');
    const items = this.#preview(importId, held.file).items.filter((item) => item.entry !== null);
    const chosen = new Set(selected);
    for (const entry of chosen) this.vault.store(held.file.entries[entry] as AccountForm);
    this.#imports.delete(importId);
    this.vault.emit({ type: 'vaultChanged' });
    const duplicates = items.filter((item) => !chosen.has(item.entry as number) && item.status === 'duplicate').length;
    return {
      added: chosen.size,
      skippedDuplicates: duplicates,
      notSelected: items.length - chosen.size - duplicates,
      unsupported: held.file.problems.filter((p) => p.status === 'unsupported').length,
      rejected: held.file.problems.filter((p) => p.status === 'rejected').length,
    };
  }

  async importCancel(importId: string): Promise<void> {
    this.recorder.record('importCancel', [importId]);
    this.#imports.delete(importId);
  }

  /** Imports Rust would still hold (for assertions that the wizard lets go). */
  get heldImports(): number {
    return this.#imports.size;
  }

  async exportSave(request: ExportRequest, path?: string): Promise<Exported | null> {
    this.recorder.record('exportSave', [{ ...request, password: '<password>', confirm: '<confirm>' }, path]);
    this.vault.unlocked();
    const encrypted = request.format === 'tessera_backup' || request.format === 'aegis_encrypted';
    if (encrypted && !request.password) throw fail('empty_password', 'the export password is empty');
    if (encrypted && request.password !== request.confirm) throw fail('password_mismatch', 'different');
    if (!encrypted && !request.plainConfirmed) throw fail('plain_not_confirmed', 'not confirmed');
    const target = path ?? this.nextSave;
    if (target === null) return null;
    this.exports.push({ format: request.format, path: target });
    return { path: target, accounts: this.vault.accounts.length };
  }

  async exportMigrationQr(index: number): Promise<MigrationQr> {
    this.recorder.record('exportMigrationQr', [index]);
    this.vault.unlocked();
    const portable = this.vault.accounts.filter((stored) => stored.view.kind !== 'steam');
    const total = Math.max(1, Math.ceil(portable.length / 10));
    if (index < 0 || index >= total) throw fail('not_found', 'no such QR code');
    return {
      index,
      total,
      svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" data-batch="${index}"><rect width="8" height="8" /></svg>`,
      skipped: this.vault.accounts
        .filter((stored) => stored.view.kind === 'steam')
        .map((stored) => ({ label: stored.view.issuer, reason: 'unsupported_steam' })),
    };
  }
}
