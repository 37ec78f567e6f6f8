// The push side of the app: open prompts (from Rust's push channel), the poller status,
// and answering. Created by App: prompts arrive and are answered whether the vault is locked or not.

import type { Backend, DenyReason, IpcError, PushAnswer, PushDecision, PushEvent, PushPrompt, PushStatus } from '../ipc';
import { ordered } from './prompts';

export interface AnswerShown {
  prompt: PushPrompt;
  decision: PushDecision;
  answer: PushAnswer;
}

export class PushState {
  prompts = $state<PushPrompt[]>([]);
  status = $state<PushStatus | null>(null);
  /** The last answer's result, shown in the prompt until dismissed or the next answer. */
  shown = $state<AnswerShown | null>(null);
  /** A nonce being answered (buttons disabled meanwhile). */
  busy = $state<string | null>(null);
  error = $state<IpcError | null>(null);
  /** Bumped when the activity log grows, so an open Activity view reloads. */
  activityVersion = $state(0);
  /** Why the last prompt closed without an answer here (for a polite status line). */
  closedReason = $state<'expired' | 'withdrawn' | null>(null);

  constructor(private readonly backend: Backend) {}

  /** The status the first screen's reply carried (its events come through `on`, from Session). */
  begin(status: PushStatus): void {
    this.status = status;
    this.error = null;
    for (const prompt of status.prompts) this.#add(prompt);
  }

  on(event: PushEvent): void {
    switch (event.type) {
      case 'prompt':
        this.#add(event.prompt);
        this.closedReason = null;
        break;
      case 'closed':
        this.prompts = this.prompts.filter((prompt) => prompt.nonce !== event.nonce);
        if (event.reason === 'expired' || event.reason === 'withdrawn') this.closedReason = event.reason;
        break;
      case 'status':
        this.status = event.status;
        break;
      case 'activity':
        this.activityVersion += 1;
        break;
    }
  }

  #add(prompt: PushPrompt): void {
    if (this.prompts.some((open) => open.nonce === prompt.nonce)) return;
    this.prompts = ordered([...this.prompts, prompt]);
  }

  /**
   * The prompt (nonce) whose approval the OS could not verify here: it asks for the vault
   * passphrase or recovery key instead, until an answer goes through (a wrong one keeps the
   * field, with its error).
   */
  standInFor = $state<string | null>(null);

  async answer(prompt: PushPrompt, decision: PushDecision, standIn?: string): Promise<PushAnswer | null> {
    this.busy = prompt.nonce;
    this.error = null;
    try {
      const answer = await this.backend.answerPush(prompt.nonce, decision, standIn);
      this.standInFor = null;
      this.shown = { prompt, decision, answer };
      // Rust also sends `closed`; dropping it here keeps the next prompt from waiting on it.
      if (!answer.retry) this.prompts = this.prompts.filter((open) => open.nonce !== prompt.nonce);
      return answer;
    } catch (error) {
      this.error = error as IpcError;
      if (this.error.code === 'verify_stand_in') this.standInFor = prompt.nonce;
      return null;
    } finally {
      this.busy = null;
    }
  }

  async denyAll(reason: DenyReason | null): Promise<number> {
    this.busy = '*';
    this.error = null;
    try {
      const answers = await this.backend.denyAllPush(reason);
      const answered = new Set(answers.filter((answer) => !answer.retry).map((answer) => answer.nonce));
      this.prompts = this.prompts.filter((prompt) => !answered.has(prompt.nonce));
      this.shown = null;
      return answers.filter((answer) => answer.outcome === 'accepted').length;
    } catch (error) {
      this.error = error as IpcError;
      return 0;
    } finally {
      this.busy = null;
    }
  }

  /** Codes at the push server's time (this computer's clock is wrong), or back to local time. */
  async useServerTime(enabled: boolean): Promise<void> {
    try {
      this.status = await this.backend.useServerTime(enabled);
    } catch (error) {
      this.error = error as IpcError;
    }
  }

  dismissResult(): void {
    this.shown = null;
  }

  async refreshStatus(): Promise<void> {
    try {
      this.status = await this.backend.pushStatus();
    } catch (error) {
      this.error = error as IpcError;
    }
  }
}
