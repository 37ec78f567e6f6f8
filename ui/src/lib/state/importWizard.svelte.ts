// The import wizard's steps: pick (or drop) a file, its password if it is encrypted (retried on
// a wrong one, with progress while the key is derived, cancellable), a preview with checkboxes,
// then the summary. The entries' secrets stay in Rust: this only holds labels, statuses and the
// import id. Whatever ends the wizard early tells Rust to drop the held import.

import type { Backend, ImportItem, ImportOpened, ImportPreview, ImportSummary, IpcError } from '../ipc';

export type ImportStep = 'pick' | 'password' | 'deriving' | 'preview' | 'committing' | 'done';

/** Entries checked at first: only the new ones (duplicates and look-alikes stay unchecked). */
export function defaultSelection(items: readonly ImportItem[]): Set<number> {
  return new Set(items.flatMap((item) => (item.entry !== null && item.status === 'new' ? [item.entry] : [])));
}

/** How many entries of each kind the preview holds, for its headline. */
export function countItems(items: readonly ImportItem[]) {
  const count = (test: (item: ImportItem) => boolean) => items.filter(test).length;
  return {
    importable: count((item) => item.entry !== null),
    new: count((item) => item.status === 'new'),
    duplicates: count((item) => item.status === 'duplicate' || item.status === 'repeated'),
    conflicts: count((item) => item.status === 'conflict'),
    unsupported: count((item) => item.status === 'unsupported'),
    rejected: count((item) => item.status === 'rejected'),
  };
}

export class ImportWizard {
  step = $state<ImportStep>('pick');
  /** `Format::code()` of the file once recognised. */
  format = $state<string | null>(null);
  preview = $state<ImportPreview | null>(null);
  selected = $state<Set<number>>(new Set());
  summary = $state<ImportSummary | null>(null);
  error = $state<IpcError | null>(null);
  /** While the key is derived: milliseconds since the password was sent. */
  elapsedMs = $state(0);

  counts = $derived(countItems(this.preview?.items ?? []));

  #backend: Backend;
  #importId: string | null = null;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** The native picker; nothing changes if the user closes it. */
  async pick(): Promise<void> {
    this.error = null;
    try {
      const opened = await this.#backend.importPick();
      if (opened !== null) await this.accept(opened);
    } catch (error) {
      this.error = error as IpcError;
    }
  }

  /** A file was opened (picked, or dropped on the window): a new file replaces the previous one. */
  async accept(opened: ImportOpened): Promise<void> {
    await this.#forget();
    this.error = null;
    if (opened.step === 'needsPassword') {
      this.#importId = opened.importId;
      this.format = opened.format;
      this.step = 'password';
    } else {
      this.#show(opened.preview);
    }
  }

  /** A dropped file that could not be opened. */
  refuse(error: IpcError): void {
    this.error = error;
  }

  async submitPassword(password: string): Promise<void> {
    const importId = this.#importId;
    if (importId === null || password === '') return;
    this.error = null;
    this.elapsedMs = 0;
    this.step = 'deriving';
    try {
      const preview = await this.#backend.importUnlock(importId, password, (progress) => {
        if (this.#importId === importId) this.elapsedMs = progress.elapsedMs;
      });
      // Cancelled meanwhile: the result is not wanted (Rust dropped it too).
      if (this.#importId !== importId) return;
      this.#show(preview);
    } catch (error) {
      if (this.#importId !== importId) return;
      const failure = error as IpcError;
      this.error = failure;
      if (failure.code === 'import_gone') {
        this.#importId = null;
        this.step = 'pick';
      } else {
        this.step = 'password';
      }
    }
  }

  /** Stops a running key derivation: back to the password, or to picking another file. */
  async cancelDerivation(): Promise<void> {
    await this.#forget();
    this.step = 'pick';
    this.format = null;
  }

  toggle(entry: number): void {
    const next = new Set(this.selected);
    if (next.has(entry)) next.delete(entry);
    else next.add(entry);
    this.selected = next;
  }

  setAll(checked: boolean): void {
    const items = this.preview?.items ?? [];
    this.selected = checked ? new Set(items.flatMap((item) => (item.entry === null ? [] : [item.entry]))) : new Set();
  }

  async commit(): Promise<void> {
    const importId = this.#importId;
    if (importId === null || this.step !== 'preview') return;
    this.step = 'committing';
    this.error = null;
    try {
      this.summary = await this.#backend.importCommit(importId, [...this.selected].sort((a, b) => a - b));
      this.#importId = null;
      this.step = 'done';
    } catch (error) {
      this.error = error as IpcError;
      // Nothing was written (one write, all or nothing): the preview stays for another try,
      // unless Rust no longer holds the import.
      this.step = (error as IpcError).code === 'import_gone' ? 'pick' : 'preview';
    }
  }

  /** The wizard closes: Rust drops whatever it still holds. */
  async close(): Promise<void> {
    await this.#forget();
  }

  #show(preview: ImportPreview): void {
    this.#importId = preview.importId;
    this.format = preview.format;
    this.preview = preview;
    this.selected = defaultSelection(preview.items);
    this.step = 'preview';
  }

  async #forget(): Promise<void> {
    const importId = this.#importId;
    this.#importId = null;
    this.preview = null;
    this.selected = new Set();
    if (importId !== null) {
      try {
        await this.#backend.importCancel(importId);
      } catch {
        // Rust drops held imports on its own after a timeout or a lock.
      }
    }
  }
}
