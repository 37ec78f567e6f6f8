// An in-memory `Backend` for vitest and for `npm run dev` previews (see main.ts). It behaves like
// the Rust side where the UI can tell: vault states and their errors, codes that change with each
// time step, manual order, undo tokens, settings, deep links and events. Codes are a hash of the
// secret and the step, not real OTPs (the end-to-end tests check real codes against oathtool).

import type {
  DenyReason,
  EnrollStep,
  PushAnswer,
  PushDecision,
  PushEvent,
  PushStatus,
  PushToken,
} from './pushContract';
import { FakePush } from './pushFake';
import { FakeQr } from './qrFake';
import { FakeSelfService } from './selfserviceFake';
import type {
  ConnectForm,
  EnrollKind,
  ResyncCodes,
  SelfServiceAnswer,
  TokenAction,
} from './selfserviceContract';
import type {
  AccountForm,
  AccountPatch,
  AccountView,
  Accounts,
  Backend,
  BackendEvent,
  ExportRequest,
  Exported,
  ImportItem,
  ImportOpened,
  ImportPreview,
  ImportProgress,
  ImportSummary,
  IpcError,
  IpcErrorCode,
  MigrationQr,
  SettingsView,
  UnlockMethod,
  UriPreview,
  VaultStatus,
} from './contract';

interface Stored {
  view: Omit<AccountView, 'code' | 'nextCode' | 'secondsLeft'>;
  secret: string;
}

export const FAKE_RECOVERY_KEY = '7Q2M-K9XA-1BCD-EF0G-HJKM-NPQR-STVW-XYZ3';

export const DEFAULT_SETTINGS: SettingsView = {
  language: 'system',
  theme: 'system',
  clipboardClearSecs: 30,
  autoLockSecs: 300,
  showNextCode: true,
  startMinimized: false,
  startAtLogin: false,
  lockOnSleep: true,
  lockOnScreenLock: true,
  verifyEveryApproval: false,
  verifyKeychainUnlock: true,
};

const fail = (code: IpcErrorCode, message: string, field?: IpcError['field']): IpcError =>
  field === undefined ? { code, message } : { code, message, field };

function fakeCode(secret: string, counter: number, digits: number): string {
  let hash = 0x811c9dc5;
  for (const char of `${secret}:${counter}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  const value = (hash >>> 0) * 7919 + counter;
  return String(value % 10 ** Math.min(digits, 9))
    .padStart(digits, '0')
    .slice(-digits);
}

function parseUri(uri: string): AccountForm {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw fail('not_otpauth', 'not an otpauth:// URI');
  }
  if (url.protocol !== 'otpauth:') throw fail('not_otpauth', 'not an otpauth:// URI');
  const kind = url.hostname.toLowerCase();
  if (kind !== 'totp' && kind !== 'hotp' && kind !== 'steam') throw fail('unknown_type', 'unknown type');
  const secret = url.searchParams.get('secret');
  if (secret === null || secret === '') throw fail('missing_secret', 'the URI has no secret');
  if (!/^[A-Z2-7]+=*$/i.test(secret)) throw fail('invalid_secret', 'invalid base32');
  const label = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const [first, rest] = label.includes(':') ? label.split(/:(.*)/s) : ['', label];
  return {
    issuer: url.searchParams.get('issuer') ?? first ?? '',
    name: (rest ?? '').trim(),
    secret,
    kind,
    algorithm: 'SHA1',
    digits: Number(url.searchParams.get('digits') ?? (kind === 'steam' ? 5 : 6)),
    period: Number(url.searchParams.get('period') ?? 30),
    counter: Number(url.searchParams.get('counter') ?? 0),
  };
}

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

export interface FakeOptions {
  /** Milliseconds since the epoch; defaults to Date.now. */
  clock?: () => number;
  state?: 'noVault' | 'locked' | 'unlocked';
  keychainAvailable?: boolean;
  passphrase?: string | null;
  accounts?: AccountForm[];
}

export class FakeBackend implements Backend {
  clock: () => number;
  state: VaultStatus['state'];
  keychainAvailable: boolean;
  /** When false, a keychain unlock fails with `keychain_entry_missing` (entry deleted). */
  keychainEntry = true;
  /** Unlocked without the keychain because it lost the entry: the UI asks to store it again. */
  keychainLost = false;
  /** What the OS answers when asked "is it you?" before a keychain unlock. */
  verifier: 'ok' | 'refused' | 'none' = 'ok';
  passphrase: string | null;
  recoveryKey = FAKE_RECOVERY_KEY;
  settings: SettingsView = { ...DEFAULT_SETTINGS };
  accounts: Stored[] = [];
  deleted = new Map<string, { stored: Stored; index: number }>();
  pending: { preview: UriPreview; form: AccountForm } | null = null;
  /** Every call, by method name, for assertions. */
  calls: { method: string; args: unknown[] }[] = [];
  /** Fails the next call of a method once. */
  failNext = new Map<string, IpcError>();
  /** Files the fake importer can open, by path. */
  importFiles = new Map<string, FakeImportFile>();
  /** The path the native picker "chooses" next; null: the user closes it. */
  nextPick: string | null = null;
  /** The path the native save dialog "chooses" next; null: the user closes it. */
  nextSave: string | null = '/home/user/tessera-export';
  /** Files written by `exportSave`. */
  exports: { format: string; path: string }[] = [];
  #imports = new Map<string, { file: FakeImportFile; read: boolean }>();
  #handlers = new Set<(event: BackendEvent) => void>();
  #nextId = 1;

  constructor(options: FakeOptions = {}) {
    this.clock = options.clock ?? (() => Date.now());
    this.state = options.state ?? 'unlocked';
    this.keychainAvailable = options.keychainAvailable ?? true;
    this.passphrase = options.passphrase ?? null;
    for (const form of options.accounts ?? []) this.#store(form);
  }

  /** Sends an event as Rust would. */
  emit(event: BackendEvent): void {
    for (const handler of this.#handlers) handler(event);
  }

  /** A deep link arrives (an otpauth:// link opened elsewhere). */
  openLink(uri: string): void {
    const form = parseUri(uri);
    this.pending = { form, preview: { id: this.#nextId++, issuer: form.issuer, name: form.name, kind: form.kind } };
    this.emit({ type: 'deepLink', preview: this.pending.preview });
  }

  #record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failNext.get(method);
    if (failure !== undefined) {
      this.failNext.delete(method);
      throw failure;
    }
  }

  #unlocked(): void {
    if (this.state === 'noVault') throw fail('no_vault', 'no vault');
    if (this.state === 'locked') throw fail('locked', 'the vault is locked');
  }

  #status(): VaultStatus {
    return {
      state: this.state,
      keychainAvailable: this.keychainAvailable,
      hasPassphrase: this.passphrase !== null,
      hasKeychainSlot: this.keychainAvailable,
      keychainLost: this.state === 'unlocked' && this.keychainLost,
      vaultPath: '/home/user/.local/share/tessera/vault.tessera',
    };
  }

  #store(form: AccountForm): Stored {
    const stored: Stored = {
      secret: form.secret.replace(/[\s-]/g, '').toUpperCase(),
      view: {
        id: `acc-${this.#nextId++}`,
        issuer: form.issuer,
        name: form.name,
        kind: form.kind,
        algorithm: form.algorithm,
        digits: form.kind === 'steam' ? 5 : form.digits,
        period: form.kind === 'hotp' ? null : form.period,
        counter: form.kind === 'hotp' ? form.counter : null,
        tags: [],
        icon: null,
        favorite: false,
      },
    };
    this.accounts.push(stored);
    return stored;
  }

  #view(stored: Stored, nowSeconds = Math.floor(this.clock() / 1000)): AccountView {
    const { view, secret } = stored;
    if (view.period === null) {
      return { ...view, code: fakeCode(secret, view.counter ?? 0, view.digits), nextCode: null, secondsLeft: null };
    }
    const step = Math.floor(nowSeconds / view.period);
    return {
      ...view,
      tags: [...view.tags],
      code: fakeCode(secret, step, view.digits),
      nextCode: fakeCode(secret, step + 1, view.digits),
      secondsLeft: view.period - (nowSeconds % view.period),
    };
  }

  #find(id: string): Stored {
    const stored = this.accounts.find((account) => account.view.id === id);
    if (stored === undefined) throw fail('not_found', 'no such account');
    return stored;
  }

  /** The code the UI should show for `id` now (for assertions). */
  codeOf(id: string): string {
    return this.#view(this.#find(id)).code;
  }

  async vaultStatus(): Promise<VaultStatus> {
    this.#record('vaultStatus', []);
    return this.#status();
  }

  async createVault(passphrase: string | null): Promise<{ recoveryKey: string }> {
    this.#record('createVault', [passphrase === null ? null : '<passphrase>']);
    if (this.state !== 'noVault') throw fail('already_exists', 'a vault exists');
    if (passphrase !== null && passphrase === '') throw fail('empty_passphrase', 'empty passphrase');
    this.passphrase = passphrase;
    this.state = 'unlocked';
    return { recoveryKey: this.recoveryKey };
  }

  async unlockVault(how: UnlockMethod): Promise<VaultStatus> {
    this.#record('unlockVault', [how.method]);
    if (this.state === 'noVault') throw fail('no_vault', 'no vault');
    if (how.method === 'keychain') {
      if (!this.keychainAvailable) throw fail('keychain_unavailable', 'no keychain');
      if (!this.keychainEntry) throw fail('keychain_entry_missing', 'no entry');
      if (this.settings.verifyKeychainUnlock) {
        if (!how.interactive) throw fail('verify_required', 'the keychain unlocks after the OS verifies it is you');
        if (this.verifier === 'refused') throw fail('verify_refused', 'the computer could not confirm it is you');
        if (this.verifier === 'none') throw fail('verify_stand_in', 'no agent: unlock with the passphrase or recovery key');
      }
    } else if (how.method === 'passphrase') {
      if (this.passphrase === null) throw fail('no_passphrase', 'no passphrase slot');
      if (how.secret !== this.passphrase) throw fail('wrong_passphrase', 'wrong passphrase');
    } else {
      const typed = how.secret.toUpperCase().replace(/[\s-]/g, '');
      if (typed.length !== 32) throw fail('recovery_key_length', `found ${typed.length}`);
      if (typed !== this.recoveryKey.replace(/-/g, '')) throw fail('wrong_recovery_key', 'wrong key');
    }
    if (how.method !== 'keychain') this.keychainLost = this.keychainAvailable && !this.keychainEntry;
    this.state = 'unlocked';
    return this.#status();
  }

  async rebindKeychain(): Promise<VaultStatus> {
    this.#record('rebindKeychain', []);
    this.#unlocked();
    this.keychainEntry = true;
    this.keychainLost = false;
    return this.#status();
  }

  async keepKeychainOut(): Promise<VaultStatus> {
    this.#record('keepKeychainOut', []);
    this.keychainLost = false;
    return this.#status();
  }

  async lockVault(): Promise<VaultStatus> {
    this.#record('lockVault', []);
    if (this.state === 'unlocked') this.state = 'locked';
    this.keychainLost = false;
    this.selfservice.signOut();
    return this.#status();
  }

  async listAccounts(): Promise<Accounts> {
    this.#record('listAccounts', []);
    this.#unlocked();
    const now = Math.floor(this.clock() / 1000);
    return { now, accounts: this.accounts.map((stored) => this.#view(stored, now)) };
  }

  async addAccountUri(uri: string): Promise<AccountView> {
    this.#record('addAccountUri', ['<uri>']);
    this.#unlocked();
    const stored = this.#store(parseUri(uri));
    this.emit({ type: 'vaultChanged' });
    return this.#view(stored);
  }

  async addAccountForm(form: AccountForm): Promise<AccountView> {
    this.#record('addAccountForm', [{ ...form, secret: '<secret>' }]);
    this.#unlocked();
    if (!/^[A-Z2-7]+$/i.test(form.secret.replace(/[\s-]/g, '')))
      throw fail('invalid_input', 'the secret is not valid base32', 'secret');
    if (form.digits < 5 || form.digits > 10) throw fail('invalid_input', 'digits', 'digits');
    const stored = this.#store(form);
    this.emit({ type: 'vaultChanged' });
    return this.#view(stored);
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<AccountView> {
    this.#record('updateAccount', [id, patch]);
    this.#unlocked();
    const stored = this.#find(id);
    const view = stored.view;
    if (patch.issuer !== undefined) view.issuer = patch.issuer;
    if (patch.name !== undefined) view.name = patch.name;
    if (patch.tags !== undefined) view.tags = [...patch.tags];
    if (patch.icon !== undefined) view.icon = patch.icon;
    if (patch.favorite !== undefined) view.favorite = patch.favorite;
    return this.#view(stored);
  }

  async deleteAccount(id: string): Promise<{ undoToken: string }> {
    this.#record('deleteAccount', [id]);
    this.#unlocked();
    const stored = this.#find(id);
    const index = this.accounts.indexOf(stored);
    this.accounts.splice(index, 1);
    const undoToken = `undo-${id}-${this.#nextId++}`;
    this.deleted.set(undoToken, { stored, index });
    return { undoToken };
  }

  async undoDelete(undoToken: string): Promise<AccountView> {
    this.#record('undoDelete', [undoToken]);
    this.#unlocked();
    const entry = this.deleted.get(undoToken);
    if (entry === undefined) throw fail('not_found', 'nothing to undo');
    this.deleted.delete(undoToken);
    this.accounts.splice(Math.min(entry.index, this.accounts.length), 0, entry.stored);
    return this.#view(entry.stored);
  }

  async reorderAccounts(ids: string[]): Promise<void> {
    this.#record('reorderAccounts', [ids]);
    this.#unlocked();
    const byId = new Map(this.accounts.map((stored) => [stored.view.id, stored]));
    if (ids.length !== byId.size || ids.some((id) => !byId.has(id)))
      throw fail('invalid_input', 'the ids are not a permutation of the accounts');
    this.accounts = ids.map((id) => byId.get(id) as Stored);
  }

  async nextHotpCode(id: string): Promise<AccountView> {
    this.#record('nextHotpCode', [id]);
    this.#unlocked();
    const stored = this.#find(id);
    if (stored.view.counter === null) throw fail('invalid_input', 'not a HOTP account');
    stored.view.counter += 1;
    return this.#view(stored);
  }

  async copyCode(id: string): Promise<{ clearAfterSecs: number }> {
    this.#record('copyCode', [id]);
    this.#unlocked();
    this.#find(id);
    return { clearAfterSecs: this.settings.clipboardClearSecs };
  }

  async getSettings(): Promise<SettingsView> {
    this.#record('getSettings', []);
    this.#unlocked();
    return { ...this.settings };
  }

  async updateSettings(settings: SettingsView): Promise<SettingsView> {
    this.#record('updateSettings', [settings]);
    this.#unlocked();
    this.settings = { ...settings };
    return { ...this.settings };
  }

  async pendingDeepLink(): Promise<UriPreview | null> {
    this.#record('pendingDeepLink', []);
    return this.pending?.preview ?? null;
  }

  async confirmDeepLink(id: number): Promise<AccountView> {
    this.#record('confirmDeepLink', [id]);
    this.#unlocked();
    if (this.pending === null || this.pending.preview.id !== id) throw fail('no_deep_link', 'no pending link');
    const stored = this.#store(this.pending.form);
    this.pending = null;
    return this.#view(stored);
  }

  async dismissDeepLink(id: number): Promise<void> {
    this.#record('dismissDeepLink', [id]);
    if (this.pending?.preview.id === id) this.pending = null;
  }

  async reportActivity(): Promise<void> {
    this.#record('reportActivity', []);
  }

  // Self-service at privacyIDEA: the in-memory server side (selfserviceFake.ts); passwords and
  // codes are not recorded.
  readonly selfservice = new FakeSelfService({
    requireUnlocked: () => this.#unlocked(),
    add: (form) => {
      const stored = this.#store(form);
      this.emit({ type: 'vaultChanged' });
      return stored.view.id;
    },
  });
  async selfserviceConnect(form: ConnectForm) {
    this.#record('selfserviceConnect', [{ ...form, password: '<password>' }]);
    return this.selfservice.selfserviceConnect(form);
  }
  async selfserviceAnswer(answer: SelfServiceAnswer) {
    this.#record('selfserviceAnswer', [answer.method]);
    return this.selfservice.selfserviceAnswer(answer);
  }
  selfserviceStatus = () => this.selfservice.selfserviceStatus();
  async selfserviceFactors() {
    this.#record('selfserviceFactors', []);
    return this.selfservice.selfserviceFactors();
  }
  async selfserviceEnroll(kind: EnrollKind) {
    this.#record('selfserviceEnroll', [kind]);
    return this.selfservice.selfserviceEnroll(kind);
  }
  async selfserviceTokenAction(serial: string, action: TokenAction) {
    this.#record('selfserviceTokenAction', [serial, action]);
    return this.selfservice.selfserviceTokenAction(serial, action);
  }
  async selfserviceResync(serial: string, codes: ResyncCodes) {
    this.#record('selfserviceResync', [serial, codes.method]);
    return this.selfservice.selfserviceResync(serial, codes);
  }
  async selfserviceBackupCodes(count: number) {
    this.#record('selfserviceBackupCodes', [count]);
    return this.selfservice.selfserviceBackupCodes(count);
  }
  async selfserviceSignOut() {
    this.#record('selfserviceSignOut', []);
    return this.selfservice.selfserviceSignOut();
  }

  // QR scans and "Show QR": the in-memory QR side (qrFake.ts), calls recorded here.
  readonly qr = new FakeQr({
    unlocked: () => this.#unlocked(),
    has: (form) =>
      this.accounts.some((stored) => stored.secret === form.secret.replace(/[\s-]/g, '').toUpperCase() && stored.view.kind === form.kind),
    add: (form) => this.addAccountForm(form),
    enrollPush: (link, allowUnverifiedTls, onProgress) => this.push.enrollPush(link, allowUnverifiedTls, onProgress),
  });
  async qrScanScreen() {
    this.#record('qrScanScreen', []);
    return this.qr.qrScanScreen();
  }
  async qrScanPick(filterName: string) {
    this.#record('qrScanPick', [filterName]);
    return this.qr.qrScanPick(filterName);
  }
  /** Like Rust, also tells the UI on the events channel, as a drop does. */
  async qrScanPaths(paths: string[]) {
    this.#record('qrScanPaths', [paths]);
    try {
      const scan = await this.qr.qrScanPaths(paths);
      this.emit({ type: 'qrScanned', scan });
      return scan;
    } catch (error) {
      this.emit({ type: 'qrScanFailed', error: error as IpcError });
      throw error;
    }
  }
  async qrScanClipboard() {
    this.#record('qrScanClipboard', []);
    return this.qr.qrScanClipboard();
  }
  async qrAdd(scanId: string, ids: number[]) {
    this.#record('qrAdd', [scanId, ids]);
    return this.qr.qrAdd(scanId, ids);
  }
  async qrDismiss(scanId: string) {
    this.#record('qrDismiss', [scanId]);
    return this.qr.qrDismiss(scanId);
  }
  async qrEnrollPush(scanId: string, id: number, allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void) {
    this.#record('qrEnrollPush', [scanId, id, allowUnverifiedTls]);
    return this.qr.qrEnrollPush(scanId, id, allowUnverifiedTls, onProgress);
  }
  async accountQrSvg(id: string) {
    this.#record('accountQrSvg', [id]);
    return this.qr.accountQrSvg(id);
  }

  // Push sign-in approvals: the in-memory push side (pushFake.ts), calls recorded here.
  readonly push = new FakePush(() => this.clock());
  async enrollPush(uri: string, allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken> {
    this.#record('enrollPush', [uri, allowUnverifiedTls]);
    return this.push.enrollPush(uri, allowUnverifiedTls, onProgress);
  }
  async enrollPushLink(allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken> {
    this.#record('enrollPushLink', [allowUnverifiedTls]);
    return this.push.enrollPushLink(allowUnverifiedTls, onProgress);
  }
  async dismissPushLink(): Promise<void> {
    this.#record('dismissPushLink', []);
    return this.push.dismissPushLink();
  }
  listPushTokens = () => this.push.listPushTokens();
  async renamePushToken(id: string, label: string): Promise<void> {
    this.#record('renamePushToken', [id, label]);
    return this.push.renamePushToken(id, label);
  }
  async removePushToken(id: string): Promise<void> {
    this.#record('removePushToken', [id]);
    return this.push.removePushToken(id);
  }
  pushStatus = () => this.push.pushStatus();
  async answerPush(nonce: string, decision: PushDecision, standIn?: string): Promise<PushAnswer> {
    this.#record('answerPush', standIn === undefined ? [nonce, decision] : [nonce, decision, standIn]);
    return this.push.answerPush(nonce, decision, standIn);
  }
  async denyAllPush(reason: DenyReason | null): Promise<PushAnswer[]> {
    this.#record('denyAllPush', [reason]);
    return this.push.denyAllPush(reason);
  }
  async checkPushNow(): Promise<void> {
    this.#record('checkPushNow', []);
    return this.push.checkPushNow();
  }
  async useServerTime(enabled: boolean): Promise<PushStatus> {
    this.#record('useServerTime', [enabled]);
    return this.push.useServerTime(enabled);
  }
  pushActivity = () => this.push.pushActivity();
  onPushEvent = (handler: (event: PushEvent) => void) => this.push.onPushEvent(handler);

  #open(path: string): ImportOpened {
    this.#unlocked();
    const file = this.importFiles.get(path);
    if (file === undefined) throw fail('unknown_format', 'not an export Tessera recognises');
    const importId = `import-${this.#nextId++}`;
    this.#imports.set(importId, { file, read: file.password === null });
    if (file.password !== null) return { step: 'needsPassword', importId, format: file.format };
    return { step: 'preview', preview: this.#preview(importId, file) };
  }

  #preview(importId: string, file: FakeImportFile): ImportPreview {
    const known = (form: AccountForm) =>
      this.accounts.some((stored) => stored.secret === form.secret.toUpperCase() && stored.view.kind === form.kind);
    const items: ImportItem[] = file.entries.map((form, entry) => ({
      entry,
      issuer: form.issuer,
      name: form.name,
      kind: form.kind,
      status: known(form) ? 'duplicate' : 'new',
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
    this.#record('importPick', []);
    return this.nextPick === null ? null : this.#open(this.nextPick);
  }

  async importOpenPaths(paths: string[]): Promise<ImportOpened> {
    this.#record('importOpenPaths', [paths]);
    try {
      const opened = this.#open(paths[0] ?? '');
      this.emit({ type: 'importOpened', opened });
      return opened;
    } catch (error) {
      this.emit({ type: 'importFailed', error: error as IpcError });
      throw error;
    }
  }

  async importUnlock(
    importId: string,
    password: string,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<ImportPreview> {
    this.#record('importUnlock', [importId, '<password>']);
    const held = this.#held(importId);
    onProgress({ stage: 'deriving', elapsedMs: 0 });
    if (password !== held.file.password) throw fail('wrong_password', 'wrong password for the file');
    onProgress({ stage: 'done', elapsedMs: 1 });
    held.read = true;
    return this.#preview(importId, held.file);
  }

  async importCommit(importId: string, selected: number[]): Promise<ImportSummary> {
    this.#record('importCommit', [importId, selected]);
    this.#unlocked();
    const held = this.#held(importId);
    if (!held.read) throw fail('invalid_input', 'this import needs its password first');
    const items = this.#preview(importId, held.file).items.filter((item) => item.entry !== null);
    const chosen = new Set(selected);
    for (const entry of chosen) this.#store(held.file.entries[entry] as AccountForm);
    this.#imports.delete(importId);
    this.emit({ type: 'vaultChanged' });
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
    this.#record('importCancel', [importId]);
    this.#imports.delete(importId);
  }

  /** Imports Rust would still hold (for assertions that the wizard lets go). */
  get heldImports(): number {
    return this.#imports.size;
  }

  async exportSave(request: ExportRequest, path?: string): Promise<Exported | null> {
    this.#record('exportSave', [{ ...request, password: '<password>', confirm: '<confirm>' }, path]);
    this.#unlocked();
    const encrypted = request.format === 'tessera_backup' || request.format === 'aegis_encrypted';
    if (encrypted && !request.password) throw fail('empty_password', 'the export password is empty');
    if (encrypted && request.password !== request.confirm) throw fail('password_mismatch', 'different');
    if (!encrypted && !request.plainConfirmed) throw fail('plain_not_confirmed', 'not confirmed');
    const target = path ?? this.nextSave;
    if (target === null) return null;
    this.exports.push({ format: request.format, path: target });
    return { path: target, accounts: this.accounts.length };
  }

  async exportMigrationQr(index: number): Promise<MigrationQr> {
    this.#record('exportMigrationQr', [index]);
    this.#unlocked();
    const portable = this.accounts.filter((stored) => stored.view.kind !== 'steam');
    const total = Math.max(1, Math.ceil(portable.length / 10));
    if (index < 0 || index >= total) throw fail('not_found', 'no such QR code');
    return {
      index,
      total,
      svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" data-batch="${index}"><rect width="8" height="8" /></svg>`,
      skipped: this.accounts
        .filter((stored) => stored.view.kind === 'steam')
        .map((stored) => ({ label: stored.view.issuer, reason: 'unsupported_steam' })),
    };
  }

  async onEvent(handler: (event: BackendEvent) => void): Promise<() => void> {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
}

/** A vault with a few accounts, for `npm run dev` previews. */
export function demoBackend(): FakeBackend {
  const secret = 'JBSWY3DPEHPK3PXP';
  const backend = new FakeBackend({
    state: 'locked',
    accounts: [
      { issuer: 'GitHub', name: 'alice@example.com', secret, kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 },
      { issuer: 'Google', name: 'alice@gmail.com', secret: secret + 'A', kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 },
      { issuer: 'Proton', name: 'alice@proton.me', secret: secret + 'B', kind: 'totp', algorithm: 'SHA256', digits: 8, period: 30, counter: 0 },
      { issuer: 'Steam', name: 'alice_gamer', secret: secret + 'C', kind: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 },
      { issuer: 'Banque Exemple', name: 'alice', secret: secret + 'D', kind: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 3 },
    ],
  });
  backend.accounts[0]!.view.tags = ['work'];
  backend.accounts[1]!.view.favorite = true;
  backend.accounts[4]!.view.tags = ['banque'];
  return backend;
}
