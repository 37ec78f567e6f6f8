// The app's top-level state: which screen is shown (first run, unlock, accounts), the settings
// and the language and theme they imply, lock/unlock, Rust's events, and activity reports for
// auto-lock. Views call these methods; nothing here touches the DOM except the theme attribute.

import { pickLocale, translator, type Locale, type Translator } from '../i18n';
import type { Accounts, Backend, BackendEvent, IpcError, Language, PushEvent, PushStatus, SettingsView, Theme, UnlockMethod, UriPreview, VaultStatus } from '../ipc';

export type Screen = 'loading' | 'firstRun' | 'unlock' | 'accounts' | 'error';

/** Where push events and the first push status go (App's `PushState`). */
export interface PushSink {
  on(event: PushEvent): void;
  begin(status: PushStatus): void;
}

export const ACTIVITY_INTERVAL_MS = 30_000;

export class Session {
  status = $state<VaultStatus | null>(null);
  settings = $state<SettingsView | null>(null);
  /** Shown once, right after the vault is created; forgotten on "Continue". */
  recoveryKey = $state<string | null>(null);
  /** A deep link waiting for "Add this account?". */
  deepLink = $state<UriPreview | null>(null);
  error = $state<IpcError | null>(null);
  /** Why the silent keychain unlock at startup failed, for the unlock screen to explain. */
  keychainError = $state<IpcError | null>(null);
  language = $state<Language>('system');
  theme = $state<Theme>('system');
  /** The system's preferred languages (navigator.languages in the webview). */
  systemLanguages: readonly string[] = ['en'];

  screen: Screen = $derived.by(() => {
    if (this.error !== null && this.status === null) return 'error';
    if (this.status === null) return 'loading';
    if (this.status.state === 'noVault' || this.recoveryKey !== null) return 'firstRun';
    if (this.status.state === 'locked') return 'unlock';
    return 'accounts';
  });
  locale: Locale = $derived(this.language === 'system' ? pickLocale(this.systemLanguages) : this.language);
  i18n: Translator = $derived(translator(this.locale));

  #backend: Backend;
  #push: PushSink | null;
  /** The accounts the first screen's reply carried, for the accounts screen to start from. */
  #firstAccounts: Accounts | null = null;
  #unlisten: (() => void) | null = null;
  #lastActivity = -Infinity;
  #clock: () => number;
  /** Called for events the accounts screen handles (vaultChanged, shortcuts). */
  onevent: ((event: BackendEvent) => void) | null = null;

  constructor(
    backend: Backend,
    systemLanguages: readonly string[] = ['en'],
    clock: () => number = Date.now,
    push: PushSink | null = null,
  ) {
    this.#backend = backend;
    this.systemLanguages = systemLanguages;
    this.#clock = clock;
    this.#push = push;
  }

  get backend(): Backend {
    return this.#backend;
  }

  /**
   * One round trip draws the first screen (`firstScreen`): the status, the lock screen's
   * language and theme (kept by Rust outside the vault: no browser storage, whose first use
   * starts WebKit's storage in the network process) and, unlocked, the settings and codes.
   */
  async start(): Promise<void> {
    this.stop();
    try {
      const { first, unsubscribe } = await this.#backend.firstScreen(
        (event) => this.#handle(event),
        (event) => this.#push?.on(event),
      );
      this.#unlisten = unsubscribe;
      this.language = first.appearance.language;
      this.theme = first.appearance.theme;
      this.settings = first.settings;
      this.deepLink = first.deepLink;
      this.#firstAccounts = first.accounts;
      this.#push?.begin(first.push);
      this.status = first.status;
      this.error = null;
    } catch (error) {
      this.error = error as IpcError;
      return;
    }
    if (this.status.state === 'locked') this.keychainError = await this.tryKeychain();
  }

  /** The accounts of the first screen's reply, once (later screens ask Rust). */
  takeFirstAccounts(): Accounts | null {
    const accounts = this.#firstAccounts;
    this.#firstAccounts = null;
    return accounts;
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Sets language/theme now (first run, settings); Rust keeps them for the lock screen. */
  setAppearance(language: Language, theme: Theme): void {
    this.language = language;
    this.theme = theme;
  }

  async create(passphrase: string | null, language: Language, theme: Theme): Promise<void> {
    const { recoveryKey } = await this.#backend.createVault(passphrase);
    this.recoveryKey = recoveryKey;
    this.status = await this.#backend.vaultStatus();
    this.setAppearance(language, theme);
    const settings = await this.#backend.getSettings();
    this.settings = await this.#backend.updateSettings({ ...settings, language, theme });
  }

  /** "I wrote it down" + the group check passed: forget the key, show the accounts. */
  async finishFirstRun(): Promise<void> {
    this.recoveryKey = null;
    await this.#afterUnlock();
  }

  /**
   * The silent attempt at startup; null (no error shown) when it unlocked, when the keychain
   * cannot, or when the vault asks for the OS's verification first (`verify_required`: the lock
   * screen's button asks; no dialog opens that nobody asked for).
   */
  async tryKeychain(): Promise<IpcError | null> {
    if (this.status === null || !this.status.keychainAvailable || !this.status.hasKeychainSlot) return null;
    try {
      this.status = await this.#backend.unlockVault({ method: 'keychain', interactive: false });
      this.keychainError = null;
      if (this.status.state === 'unlocked') await this.#afterUnlock();
      return null;
    } catch (error) {
      return (error as IpcError).code === 'verify_required' ? null : (error as IpcError);
    }
  }

  /** Unlocks; rejects with the vault's IpcError for the form to show. */
  async unlock(how: UnlockMethod): Promise<void> {
    this.status = await this.#backend.unlockVault(how);
    this.keychainError = null;
    await this.#afterUnlock();
  }

  /** The keychain lost the vault's entry: store it again (the user agreed). */
  async rebindKeychain(): Promise<void> {
    this.status = await this.#backend.rebindKeychain();
  }

  /** The keychain lost the vault's entry: leave it out (asked again at the next unlock). */
  async keepKeychainOut(): Promise<void> {
    this.status = await this.#backend.keepKeychainOut();
  }

  async lock(): Promise<void> {
    this.status = await this.#backend.lockVault();
    this.settings = null;
  }

  async saveSettings(settings: SettingsView): Promise<void> {
    this.settings = await this.#backend.updateSettings(settings);
    this.setAppearance(this.settings.language, this.settings.theme);
  }

  /** Adds the link the dialog shows (by its id: a link that arrived since is not the one). */
  async confirmDeepLink(preview: UriPreview): Promise<string> {
    const view = await this.#backend.confirmDeepLink(preview.id);
    this.deepLink = await this.#backend.pendingDeepLink();
    return view.issuer || view.name;
  }

  async dismissDeepLink(preview: UriPreview): Promise<void> {
    this.deepLink = null;
    await this.#backend.dismissDeepLink(preview.id);
    this.deepLink = await this.#backend.pendingDeepLink();
  }

  /** Call on any user input; tells Rust at most once per 30 s (auto-lock counts idle time). */
  activity(): void {
    const now = this.#clock();
    if (now - this.#lastActivity < ACTIVITY_INTERVAL_MS) return;
    this.#lastActivity = now;
    void this.#backend.reportActivity().catch(() => {});
  }

  async #afterUnlock(): Promise<void> {
    try {
      this.settings = await this.#backend.getSettings();
      this.setAppearance(this.settings.language, this.settings.theme);
      this.deepLink = await this.#backend.pendingDeepLink();
    } catch (error) {
      this.error = error as IpcError;
    }
  }

  #handle(event: BackendEvent): void {
    if (event.type === 'vaultLocked') {
      if (this.status !== null) this.status = { ...this.status, state: 'locked' };
      this.settings = null;
    } else if (event.type === 'deepLink') {
      this.deepLink = event.preview;
    } else if (event.type === 'vaultChanged' && this.settings !== null) {
      // Settings can change underneath too (another process, or the first push token turning
      // "start at login" on): the Settings dialog opens on the stored ones.
      void this.#backend.getSettings().then(
        (settings) => (this.settings = settings),
        () => {},
      );
    }
    this.onevent?.(event);
  }
}
