// The QR half of the in-memory fake backend (vitest and `npm run dev`). It behaves like Rust
// where the UI can tell: scans add to one held list until add or dismiss, the same account is
// listed once, an export's codes not scanned are named (the accounts of those scanned can be
// added), duplicates are marked and skipped.
// What the "screen", files and clipboard hold is set by the test (`screen`, `files`, `clipboard`).
// Calls are recorded on the shared recorder (fakeRecorder.ts).

import type { AccountForm, BackendEvent, IpcError } from './contract';
import { fail, type CallRecorder } from './fakeRecorder';
import type { EnrollStep, PushToken } from './pushContract';
import type { QrAdded, QrBackend, QrItem, QrScan } from './qrContract';

/** What a fake QR code holds. */
export type FakeQrCode =
  | { kind: 'account'; form: AccountForm; batch?: { id: number; number: number; size: number } }
  | { kind: 'push'; link: string }
  | { kind: 'other'; detail: string }
  | { kind: 'invalid'; code: string };

/** What the fake needs from the rest of the backend. */
export interface FakeQrHost {
  unlocked(): void;
  /** Whether the vault has an account with this secret and kind. */
  has(form: AccountForm): boolean;
  add(form: AccountForm): Promise<unknown>;
  enrollPush(link: string, allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken>;
  /** Sends an event on the app's events channel. */
  emit(event: BackendEvent): void;
}

interface Held {
  id: string;
  entries: { item: QrItem; code: FakeQrCode }[];
}

export class FakeQr implements QrBackend {
  /** What "Scan screen" finds, per monitor. */
  screen: Record<string, FakeQrCode[]> = {};
  /** Image files by path; a path not here is "not an image". */
  files = new Map<string, FakeQrCode[]>();
  /** The clipboard image's codes; null: the clipboard holds no image. */
  clipboard: FakeQrCode[] | null = null;
  /** The path the native picker "chooses" next; null: the user closes it. */
  nextPick: string | null = null;
  /** What the next screen capture fails with (a refused portal, say). */
  screenFailure: IpcError | null = null;
  #held: Held | null = null;
  #next = 1;

  constructor(
    private readonly recorder: CallRecorder,
    private readonly host: FakeQrHost,
  ) {}

  #same(a: FakeQrCode, b: FakeQrCode): boolean {
    if (a.kind === 'account' && b.kind === 'account')
      return a.form.secret.toUpperCase() === b.form.secret.toUpperCase() && a.form.kind === b.form.kind;
    if (a.kind === 'push' && b.kind === 'push') return a.link === b.link;
    return false;
  }

  #scan(sources: [string, FakeQrCode[] | IpcError][]): QrScan {
    this.host.unlocked();
    const held = (this.#held ??= { id: `scan-${this.#next++}`, entries: [] });
    let found = 0;
    const failures: QrScan['failures'] = [];
    for (const [source, codes] of sources) {
      if (!Array.isArray(codes)) {
        failures.push({ source, error: { code: codes.code, message: codes.message } });
        continue;
      }
      found += codes.length;
      for (const code of codes) {
        if (held.entries.some((entry) => this.#same(entry.code, code))) continue;
        const account = code.kind === 'account' ? code.form : null;
        held.entries.push({
          code,
          item: {
            id: held.entries.length,
            source,
            kind: code.kind,
            issuer: account?.issuer ?? '',
            name: account?.name ?? '',
            otpKind: account?.kind ?? '',
            status: '',
            batch: code.kind === 'account' ? (code.batch ?? null) : null,
            detail: code.kind === 'other' ? code.detail : code.kind === 'invalid' ? code.code : '',
          },
        });
      }
    }
    for (const { item, code } of held.entries) {
      if (code.kind !== 'account') continue;
      item.status = this.host.has(code.form) ? 'duplicate' : 'new';
    }
    return { scanId: held.id, items: held.entries.map((e) => ({ ...e.item })), found, missing: this.#missing(held), failures };
  }

  #missing(held: Held): QrScan['missing'] {
    const batches = new Map<number, { size: number; seen: Set<number> }>();
    for (const { item } of held.entries) {
      if (item.batch === null) continue;
      const batch = batches.get(item.batch.id) ?? { size: item.batch.size, seen: new Set<number>() };
      batch.seen.add(item.batch.number);
      batches.set(item.batch.id, batch);
    }
    return [...batches]
      .map(([batchId, { size, seen }]) => ({
        batchId,
        size,
        numbers: Array.from({ length: size }, (_, i) => i + 1).filter((n) => !seen.has(n)),
      }))
      .filter((m) => m.numbers.length > 0);
  }

  #entry(scanId: string, id: number) {
    if (this.#held === null || this.#held.id !== scanId) throw fail('not_found', 'no such scan');
    const entry = this.#held.entries[id];
    if (entry === undefined) throw fail('invalid_input', `no item ${id}`);
    return entry;
  }

  async qrScanScreen(): Promise<QrScan> {
    this.recorder.record('qrScanScreen');
    this.host.unlocked();
    if (this.screenFailure !== null) {
      const failure = this.screenFailure;
      this.screenFailure = null;
      throw failure;
    }
    return this.#scan(Object.entries(this.screen).map(([monitor, codes]) => [`screen:${monitor}`, codes]));
  }

  async qrScanPick(filterName: string): Promise<QrScan | null> {
    this.recorder.record('qrScanPick', [filterName]);
    return this.nextPick === null ? null : this.#paths([this.nextPick]);
  }

  /** Like Rust, also tells the UI on the events channel, as a drop does. */
  async qrScanPaths(paths: string[]): Promise<QrScan> {
    this.recorder.record('qrScanPaths', [paths]);
    try {
      const scan = this.#paths(paths);
      this.host.emit({ type: 'qrScanned', scan });
      return scan;
    } catch (error) {
      this.host.emit({ type: 'qrScanFailed', error: error as IpcError });
      throw error;
    }
  }

  #paths(paths: string[]): QrScan {
    if (paths.length === 0) throw fail('invalid_input', 'no file was given');
    return this.#scan(
      paths.map((path) => [
        path.split('/').pop() ?? path,
        this.files.get(path) ?? fail('image_format_unsupported', 'not an image'),
      ]),
    );
  }

  async qrScanClipboard(): Promise<QrScan> {
    this.recorder.record('qrScanClipboard');
    this.host.unlocked();
    if (this.clipboard === null) throw fail('clipboard', 'the clipboard holds no image');
    return this.#scan([['clipboard', this.clipboard]]);
  }

  async qrAdd(scanId: string, ids: number[]): Promise<QrAdded> {
    this.recorder.record('qrAdd', [scanId, ids]);
    this.host.unlocked();
    const forms: AccountForm[] = [];
    for (const id of ids) {
      const { code } = this.#entry(scanId, id);
      if (code.kind !== 'account') throw fail('invalid_input', `item ${id} is not an account`);
      forms.push(code.form);
    }
    let added = 0;
    let skipped = 0;
    for (const form of forms) {
      if (this.host.has(form)) skipped += 1;
      else {
        await this.host.add(form);
        added += 1;
      }
    }
    this.#held = null;
    return { added, skipped };
  }

  async qrDismiss(scanId: string): Promise<void> {
    this.recorder.record('qrDismiss', [scanId]);
    if (this.#held?.id === scanId) this.#held = null;
  }

  async qrEnrollPush(
    scanId: string,
    id: number,
    allowUnverifiedTls: boolean,
    onProgress: (step: EnrollStep) => void,
  ): Promise<PushToken> {
    this.recorder.record('qrEnrollPush', [scanId, id, allowUnverifiedTls]);
    const { code } = this.#entry(scanId, id);
    if (code.kind !== 'push') throw fail('invalid_input', `item ${id} is not a push enrollment`);
    return this.host.enrollPush(code.link, allowUnverifiedTls, onProgress);
  }

  async accountQrSvg(id: string): Promise<{ svg: string }> {
    this.recorder.record('accountQrSvg', [id]);
    this.host.unlocked();
    // A fixed pattern: the fake has no QR encoder, and the UI only shows what Rust draws.
    return {
      svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" data-account="${id.replace(/[^\w-]/g, '')}"><rect width="8" height="8" fill="#fff"/><rect x="1" y="1" width="2" height="2"/></svg>`,
    };
  }
}
