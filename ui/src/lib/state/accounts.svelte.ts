// The accounts screen's state: the list from Rust, the one-per-second tick, search and tag
// filter, and every account action (copy, HOTP next, edit, delete + undo, reorder). Views call
// these methods; components only render what they get.

import { isStale, msUntilNextChange, msUntilNextSecond, periodCountdowns, shownChanged } from '../countdown';
import { applyFreshCodes } from '../freshCodes';
import { allTags, dropAccount, moveAccount, visibleAccounts } from '../filter';
import type { AccountForm, AccountPatch, AccountView, Accounts, Backend, IpcError } from '../ipc';

export class AccountsState {
  data = $state<Accounts | null>(null);
  error = $state<IpcError | null>(null);
  loading = $state(true);
  query = $state('');
  tag = $state<string | null>(null);
  /**
   * The clock the rows count down from: the wall clock at the last tick that changed what a
   * countdown shows (see `tick`), so it moves a few times per period, not every second.
   */
  nowMs = $state(0);

  /** One countdown per period, which every ring of that period draws (see `paintCountdowns`). */
  countdowns = $derived(this.data === null ? [] : periodCountdowns(this.data, this.nowMs));

  visible = $derived(visibleAccounts(this.data?.accounts ?? [], this.query, this.tag));

  #backend: Backend;
  #clock: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<void> | null = null;

  constructor(backend: Backend, clock: () => number = Date.now) {
    this.#backend = backend;
    this.#clock = clock;
    this.nowMs = clock();
  }

  tags(locale: string): string[] {
    return allTags(this.data?.accounts ?? [], locale);
  }

  /**
   * Loads the list (or takes `first`, the first screen's, with no round trip) and starts ticking
   * at each moment a countdown changes.
   */
  async start(first: Accounts | null = null): Promise<void> {
    if (first === null) await this.refresh();
    else {
      this.data = first;
      this.loading = false;
      this.nowMs = this.#clock();
    }
    this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Catches up at once (fresh codes if a period turned meanwhile) and ticks again after stop(). */
  resume(): void {
    this.tick(true);
    this.#schedule();
  }

  /** Fetches fresh codes from Rust; concurrent callers share the request in flight. */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const fresh = await this.#backend.listAccounts();
        if (this.data === null || !applyFreshCodes(this.data, fresh)) this.data = fresh;
        this.error = null;
        // A tag that no account carries any more would hide everything.
        if (this.tag !== null && !this.data.accounts.some((a) => a.tags.includes(this.tag ?? ''))) this.tag = null;
      } catch (error) {
        this.error = error as IpcError;
      } finally {
        this.#refreshing = null;
        this.loading = false;
        this.nowMs = this.#clock();
        // The next moment a countdown changes depends on the accounts now shown.
        if (this.#timer !== undefined) this.#schedule();
      }
    })();
    return this.#refreshing;
  }

  /**
   * One tick, at a moment a countdown changes (each second while nothing is shown): once a code
   * has expired, ask Rust again (the fresh codes come with the new time: one redraw, not a drawn
   * 0 and then the new codes); otherwise move the rows' clock only if a countdown now shows
   * something else (`force`: always).
   */
  tick(force = false): void {
    const now = this.#clock();
    if (this.data !== null && this.error === null && isStale(this.data, now)) void this.refresh();
    else if (force || this.data === null || shownChanged(this.data, this.nowMs, now)) this.nowMs = now;
  }

  find(id: string): AccountView | undefined {
    return this.data?.accounts.find((account) => account.id === id);
  }

  #replace(view: AccountView): void {
    if (this.data === null) return;
    this.data.accounts = this.data.accounts.map((account) => (account.id === view.id ? view : account));
  }

  copy(id: string): Promise<{ clearAfterSecs: number }> {
    return this.#backend.copyCode(id);
  }

  async nextHotp(id: string): Promise<void> {
    this.#replace(await this.#backend.nextHotpCode(id));
  }

  async update(id: string, patch: AccountPatch): Promise<AccountView> {
    const view = await this.#backend.updateAccount(id, patch);
    this.#replace(view);
    return view;
  }

  async addUri(uri: string): Promise<AccountView> {
    const view = await this.#backend.addAccountUri(uri);
    await this.refresh();
    return view;
  }

  async addForm(form: AccountForm): Promise<AccountView> {
    const view = await this.#backend.addAccountForm(form);
    await this.refresh();
    return view;
  }

  /** Deletes and returns the undo token; the row disappears at once. */
  async remove(id: string): Promise<string> {
    const { undoToken } = await this.#backend.deleteAccount(id);
    if (this.data !== null) this.data.accounts = this.data.accounts.filter((a) => a.id !== id);
    return undoToken;
  }

  async undo(token: string): Promise<AccountView> {
    const view = await this.#backend.undoDelete(token);
    await this.refresh();
    return view;
  }

  /** Moves an account one place among the visible ones; false when it cannot move. */
  async move(id: string, direction: -1 | 1): Promise<boolean> {
    if (this.data === null) return false;
    const ids = moveAccount(this.data.accounts, this.visible, id, direction);
    if (ids === null) return false;
    await this.#reorder(ids);
    return true;
  }

  async drop(id: string, targetId: string): Promise<void> {
    if (this.data === null) return;
    const ids = dropAccount(this.data.accounts, id, targetId);
    if (ids !== null) await this.#reorder(ids);
  }

  async #reorder(ids: string[]): Promise<void> {
    if (this.data === null) return;
    const byId = new Map(this.data.accounts.map((account) => [account.id, account]));
    const before = this.data.accounts;
    // Optimistic: the row moves under the user's finger; restored if Rust refuses.
    this.data.accounts = ids.flatMap((id) => byId.get(id) ?? []);
    try {
      await this.#backend.reorderAccounts(ids);
    } catch (error) {
      if (this.data !== null) this.data.accounts = before;
      throw error;
    }
  }

  /** The next tick: at the next moment a countdown changes, or each second until codes are shown. */
  #schedule(): void {
    this.stop();
    const now = this.#clock();
    const delay =
      this.data === null || this.error !== null ? msUntilNextSecond(now) : msUntilNextChange(this.data, now);
    this.#timer = setTimeout(() => {
      this.tick();
      this.#schedule();
    }, delay);
  }
}
