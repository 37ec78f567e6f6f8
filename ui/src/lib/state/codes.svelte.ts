// The codes screen's state, with runes. It owns the one-per-second timer and the refresh from
// Rust when a code expires; components only render what it exposes.

import { isStale, msUntilNextSecond, secondsRemaining } from '../countdown';
import type { AccountCode, Backend, Codes, IpcError, LaunchError } from '../ipc';

export class CodesState {
  codes = $state<Codes | null>(null);
  launchErrors = $state<LaunchError[]>([]);
  error = $state<IpcError | null>(null);
  loading = $state(true);
  /** The wall clock at the last tick: the only thing that changes every second. */
  nowMs = $state(0);

  #backend: Backend;
  #clock: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing = false;

  constructor(backend: Backend, clock: () => number = Date.now) {
    this.#backend = backend;
    this.#clock = clock;
    this.nowMs = clock();
  }

  /** Loads everything once and starts ticking. */
  async start(): Promise<void> {
    try {
      this.launchErrors = await this.#backend.listLaunchErrors();
    } catch (error) {
      this.error = error as IpcError;
    }
    await this.refresh();
    this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Fetches fresh codes from Rust; at most one request is in flight. */
  async refresh(): Promise<void> {
    if (this.#refreshing) return;
    this.#refreshing = true;
    try {
      this.codes = await this.#backend.listCodes();
      this.error = null;
    } catch (error) {
      // `Backend` rejects only with a normalized IpcError (see ipc/errors.ts).
      this.error = error as IpcError;
      this.codes = null;
    } finally {
      this.#refreshing = false;
      this.loading = false;
      this.nowMs = this.#clock();
    }
  }

  /** Runs one tick now (also used when the window becomes visible again after sleeping). */
  tick(): void {
    this.nowMs = this.#clock();
    if (this.codes !== null && this.error === null && isStale(this.codes, this.nowMs)) {
      void this.refresh();
    }
  }

  remaining(account: AccountCode): number | null {
    return this.codes === null ? null : secondsRemaining(this.codes, account, this.nowMs);
  }

  #schedule(): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.tick();
      this.#schedule();
    }, msUntilNextSecond(this.#clock()));
  }
}
