// The vault half of the in-memory fake backend (vitest and `npm run dev`): vault states and their
// errors, codes that change with each time step, manual order, undo tokens, settings, deep links
// and events. Codes are a hash of the secret and the step, not real OTPs (the end-to-end tests
// check real codes against oathtool). Calls are recorded on the shared recorder (fakeRecorder.ts).

import type {
  AccountForm,
  Appearance,
  FirstScreen,
  AccountPatch,
  AccountView,
  Accounts,
  BackendEvent,
  SettingsView,
  UnlockMethod,
  UriPreview,
  VaultStatus,
} from './contract';
import { fail, type CallRecorder } from './fakeRecorder';

/** An account as the fake vault holds it. */
export interface Stored {
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

export interface FakeOptions {
  /** Milliseconds since the epoch; defaults to Date.now. */
  clock?: () => number;
  state?: 'noVault' | 'locked' | 'unlocked';
  keychainAvailable?: boolean;
  passphrase?: string | null;
  accounts?: AccountForm[];
}

export class FakeVault {
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
  /** The lock screen's language and theme, kept outside the vault as Rust keeps them. */
  appearance: Appearance = { language: 'system', theme: 'system' };
  accounts: Stored[] = [];
  deleted = new Map<string, { stored: Stored; index: number }>();
  pending: { preview: UriPreview; form: AccountForm } | null = null;
  #handlers = new Set<(event: BackendEvent) => void>();
  #nextId = 1;

  constructor(
    private readonly recorder: CallRecorder,
    options: FakeOptions = {},
    /** Runs when the vault locks (self-service signs out). */
    private readonly onLock: () => void = () => {},
  ) {
    this.clock = options.clock ?? (() => Date.now());
    this.state = options.state ?? 'unlocked';
    this.keychainAvailable = options.keychainAvailable ?? true;
    this.passphrase = options.passphrase ?? null;
    for (const form of options.accounts ?? []) this.store(form);
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

  /** Throws `no_vault` or `locked` unless unlocked (every command that needs the vault). */
  unlocked(): void {
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

  /** Adds an account as Rust stores it (no call recorded). */
  store(form: AccountForm): Stored {
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

  /** The account as the UI gets it, with its codes at `nowSeconds`. */
  view(stored: Stored, nowSeconds = Math.floor(this.clock() / 1000)): AccountView {
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
    return this.view(this.#find(id)).code;
  }

  /** The vault's part of `firstScreen` (recorded there, once). */
  firstScreenPart(): Omit<FirstScreen, 'push'> {
    const open = this.state === 'unlocked';
    const now = Math.floor(this.clock() / 1000);
    return {
      status: this.#status(),
      appearance: open ? { language: this.settings.language, theme: this.settings.theme } : { ...this.appearance },
      settings: open ? { ...this.settings } : null,
      accounts: open ? { now, accounts: this.accounts.map((stored) => this.view(stored, now)) } : null,
      deepLink: this.pending?.preview ?? null,
    };
  }

  async vaultStatus(): Promise<VaultStatus> {
    this.recorder.record('vaultStatus');
    return this.#status();
  }

  async createVault(passphrase: string | null): Promise<{ recoveryKey: string }> {
    this.recorder.record('createVault', [passphrase === null ? null : '<passphrase>']);
    if (this.state !== 'noVault') throw fail('already_exists', 'a vault exists');
    if (passphrase !== null && passphrase === '') throw fail('empty_passphrase', 'empty passphrase');
    this.passphrase = passphrase;
    this.state = 'unlocked';
    return { recoveryKey: this.recoveryKey };
  }

  async unlockVault(how: UnlockMethod): Promise<VaultStatus> {
    this.recorder.record('unlockVault', [how.method]);
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
    this.recorder.record('rebindKeychain', []);
    this.unlocked();
    this.keychainEntry = true;
    this.keychainLost = false;
    return this.#status();
  }

  async keepKeychainOut(): Promise<VaultStatus> {
    this.recorder.record('keepKeychainOut', []);
    this.keychainLost = false;
    return this.#status();
  }

  async lockVault(): Promise<VaultStatus> {
    this.recorder.record('lockVault', []);
    if (this.state === 'unlocked') this.state = 'locked';
    this.keychainLost = false;
    this.onLock();
    return this.#status();
  }

  async listAccounts(): Promise<Accounts> {
    this.recorder.record('listAccounts', []);
    this.unlocked();
    const now = Math.floor(this.clock() / 1000);
    return { now, accounts: this.accounts.map((stored) => this.view(stored, now)) };
  }

  async addAccountUri(uri: string): Promise<AccountView> {
    this.recorder.record('addAccountUri', ['<uri>']);
    this.unlocked();
    const stored = this.store(parseUri(uri));
    this.emit({ type: 'vaultChanged' });
    return this.view(stored);
  }

  async addAccountForm(form: AccountForm): Promise<AccountView> {
    this.recorder.record('addAccountForm', [{ ...form, secret: '<secret>' }]);
    this.unlocked();
    if (!/^[A-Z2-7]+$/i.test(form.secret.replace(/[\s-]/g, '')))
      throw fail('invalid_input', 'the secret is not valid base32', 'secret');
    if (form.digits < 5 || form.digits > 10) throw fail('invalid_input', 'digits', 'digits');
    const stored = this.store(form);
    this.emit({ type: 'vaultChanged' });
    return this.view(stored);
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<AccountView> {
    this.recorder.record('updateAccount', [id, patch]);
    this.unlocked();
    const stored = this.#find(id);
    const view = stored.view;
    if (patch.issuer !== undefined) view.issuer = patch.issuer;
    if (patch.name !== undefined) view.name = patch.name;
    if (patch.tags !== undefined) view.tags = [...patch.tags];
    if (patch.icon !== undefined) view.icon = patch.icon;
    if (patch.favorite !== undefined) view.favorite = patch.favorite;
    return this.view(stored);
  }

  async deleteAccount(id: string): Promise<{ undoToken: string }> {
    this.recorder.record('deleteAccount', [id]);
    this.unlocked();
    const stored = this.#find(id);
    const index = this.accounts.indexOf(stored);
    this.accounts.splice(index, 1);
    const undoToken = `undo-${id}-${this.#nextId++}`;
    this.deleted.set(undoToken, { stored, index });
    return { undoToken };
  }

  async undoDelete(undoToken: string): Promise<AccountView> {
    this.recorder.record('undoDelete', [undoToken]);
    this.unlocked();
    const entry = this.deleted.get(undoToken);
    if (entry === undefined) throw fail('not_found', 'nothing to undo');
    this.deleted.delete(undoToken);
    this.accounts.splice(Math.min(entry.index, this.accounts.length), 0, entry.stored);
    return this.view(entry.stored);
  }

  async reorderAccounts(ids: string[]): Promise<void> {
    this.recorder.record('reorderAccounts', [ids]);
    this.unlocked();
    const byId = new Map(this.accounts.map((stored) => [stored.view.id, stored]));
    if (ids.length !== byId.size || ids.some((id) => !byId.has(id)))
      throw fail('invalid_input', 'the ids are not a permutation of the accounts');
    this.accounts = ids.map((id) => byId.get(id) as Stored);
  }

  async nextHotpCode(id: string): Promise<AccountView> {
    this.recorder.record('nextHotpCode', [id]);
    this.unlocked();
    const stored = this.#find(id);
    if (stored.view.counter === null) throw fail('invalid_input', 'not a HOTP account');
    stored.view.counter += 1;
    return this.view(stored);
  }

  async copyCode(id: string): Promise<{ clearAfterSecs: number }> {
    this.recorder.record('copyCode', [id]);
    this.unlocked();
    this.#find(id);
    return { clearAfterSecs: this.settings.clipboardClearSecs };
  }

  async getSettings(): Promise<SettingsView> {
    this.recorder.record('getSettings', []);
    this.unlocked();
    return { ...this.settings };
  }

  async updateSettings(settings: SettingsView): Promise<SettingsView> {
    this.recorder.record('updateSettings', [settings]);
    this.unlocked();
    this.settings = { ...settings };
    this.appearance = { language: settings.language, theme: settings.theme };
    return { ...this.settings };
  }

  async pendingDeepLink(): Promise<UriPreview | null> {
    this.recorder.record('pendingDeepLink', []);
    return this.pending?.preview ?? null;
  }

  async confirmDeepLink(id: number): Promise<AccountView> {
    this.recorder.record('confirmDeepLink', [id]);
    this.unlocked();
    if (this.pending === null || this.pending.preview.id !== id) throw fail('no_deep_link', 'no pending link');
    const stored = this.store(this.pending.form);
    this.pending = null;
    return this.view(stored);
  }

  async dismissDeepLink(id: number): Promise<void> {
    this.recorder.record('dismissDeepLink', [id]);
    if (this.pending?.preview.id === id) this.pending = null;
  }

  async reportActivity(): Promise<void> {
    this.recorder.record('reportActivity', []);
  }

  /** Whether the vault has an account with this secret and kind. */
  has(form: AccountForm): boolean {
    const secret = form.secret.replace(/[\s-]/g, '').toUpperCase();
    return this.accounts.some((stored) => stored.secret === secret && stored.view.kind === form.kind);
  }

  async onEvent(handler: (event: BackendEvent) => void): Promise<() => void> {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
}

