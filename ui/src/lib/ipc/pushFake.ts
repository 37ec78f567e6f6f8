// The push half of the in-memory fake backend (vitest and `npm run dev`). It behaves like Rust
// where the UI can tell: enrollment with progress, tokens, open prompts that close when answered,
// number matching with retries, deny all, and the activity log. Tests add prompts with `request`.
// Calls are recorded on the shared recorder (fakeRecorder.ts).

import type { IpcErrorCode } from './contract';
import { fail, type CallRecorder } from './fakeRecorder';
import type {
  DenyReason,
  EnrollStep,
  PushActivityEntry,
  PushAnswer,
  PushBackend,
  PushDecision,
  PushEvent,
  PushPrompt,
  PushStatus,
  PushToken,
} from './pushContract';
import { isPushLink } from './pushContract';

export class FakePush implements PushBackend {
  tokens: PushToken[] = [];
  prompts: PushPrompt[] = [];
  activity: PushActivityEntry[] = [];
  /** The number the "sign-in page" shows, per nonce (number matching). */
  rightNumber = new Map<string, string>();
  clockOffsetSecs = 0;
  serverTimeForCodes = false;
  /** Requests dropped unshown (Rust counts them in memory; tests set it). */
  droppedCount = 0;
  /** A link opened from outside (`openLink`), waiting for "add it?". */
  link: string | null = null;
  checks = 0;
  #handlers = new Set<(event: PushEvent) => void>();

  constructor(
    private readonly recorder: CallRecorder,
    private readonly clock: () => number,
  ) {}

  emit(event: PushEvent): void {
    for (const handler of this.#handlers) handler(event);
  }

  /** A verified request arrives, as the Rust poller would hand it over. */
  request(prompt: Partial<PushPrompt> & { nonce: string }, rightNumber?: string): PushPrompt {
    const now = this.clock();
    const token = this.tokens[0];
    const full: PushPrompt = {
      tokenId: token?.id ?? 'PIPU0001@https://pi.example.com',
      label: token?.label ?? 'Work',
      issuer: token?.issuer ?? 'ACME',
      serial: token?.serial ?? 'PIPU0001',
      server: token?.server ?? 'https://pi.example.com',
      title: 'privacyIDEA',
      question: 'Do you want to confirm the login?',
      received: now,
      expires: now + 120_000,
      options: null,
      takesReason: true,
      insecure: false,
      ...prompt,
    };
    if (rightNumber !== undefined) this.rightNumber.set(full.nonce, rightNumber);
    this.prompts.push(full);
    this.emit({ type: 'prompt', prompt: full });
    return full;
  }

  async enrollPush(uri: string, allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken> {
    this.recorder.record('enrollPush', [uri, allowUnverifiedTls]);
    return this.enroll(uri, allowUnverifiedTls, onProgress);
  }

  /** Enrolls without recording a call: for other fakes (a push link in a QR scan). */
  async enroll(uri: string, allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken> {
    if (!isPushLink(uri)) throw fail('push_invalid_uri', 'not a privacyIDEA push enrollment link');
    const url = new URL(uri.trim().replace(/^pia:/i, 'otpauth:'));
    const serial = url.searchParams.get('serial') ?? '';
    const registration = url.searchParams.get('url') ?? '';
    if (serial === '' || registration === '') throw fail('push_invalid_uri', 'missing serial or url');
    // Rust's rules (crates/push EnrollmentUri): plain http only to this computer, and TLS
    // checks off only by the user's explicit choice; both before any key is made.
    const registrationUrl = new URL(registration);
    if (registrationUrl.protocol === 'http:' && !/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i.test(registrationUrl.hostname))
      throw fail('push_insecure_url', 'plain http to another computer');
    if (url.searchParams.get('sslverify') === '0' && !allowUnverifiedTls)
      throw fail('push_unverified_tls', 'TLS checks off without the user’s choice');
    const server = registrationUrl.origin;
    const id = `${serial}@${server}`;
    if (this.tokens.some((token) => token.id === id)) throw fail('push_duplicate', 'already enrolled');
    for (const step of ['key', 'register', 'saved'] as const) onProgress(step);
    const token: PushToken = {
      id,
      serial,
      server,
      label: decodeURIComponent(url.pathname.replace(/^\/+/, '')) || serial,
      issuer: url.searchParams.get('issuer'),
      sslverify: url.searchParams.get('sslverify') !== '0',
      enrolled: Math.floor(this.clock() / 1000),
      problem: null,
    };
    this.tokens.push(token);
    return token;
  }

  /** A push link arrives as a deep link would. */
  openLink(uri: string): void {
    this.link = uri;
    void this.pushStatus().then((status) => this.emit({ type: 'status', status }));
  }

  #preview(uri: string) {
    const url = new URL(uri.trim().replace(/^pia:/i, 'otpauth:'));
    return {
      label: decodeURIComponent(url.pathname.replace(/^\/+/, '')) || (url.searchParams.get('serial') ?? ''),
      issuer: url.searchParams.get('issuer'),
      server: new URL(url.searchParams.get('url') ?? '').origin,
      sslverify: url.searchParams.get('sslverify') !== '0',
    };
  }

  async enrollPushLink(allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken> {
    this.recorder.record('enrollPushLink', [allowUnverifiedTls]);
    if (this.link === null) throw fail('not_found', 'no push enrollment link');
    const token = await this.enroll(this.link, allowUnverifiedTls, onProgress);
    await this.#dismissLink();
    return token;
  }

  async dismissPushLink(): Promise<void> {
    this.recorder.record('dismissPushLink');
    await this.#dismissLink();
  }

  async #dismissLink(): Promise<void> {
    this.link = null;
    this.emit({ type: 'status', status: await this.pushStatus() });
  }

  async listPushTokens(): Promise<PushToken[]> {
    return this.tokens.map((token) => ({ ...token }));
  }

  async renamePushToken(id: string, label: string): Promise<void> {
    this.recorder.record('renamePushToken', [id, label]);
    const token = this.tokens.find((token) => token.id === id);
    if (token === undefined) throw fail('not_found', 'no such push token');
    if (label.trim() === '') throw fail('invalid_input', 'a push token needs a name');
    token.label = label.trim();
  }

  async removePushToken(id: string): Promise<void> {
    this.recorder.record('removePushToken', [id]);
    const before = this.tokens.length;
    this.tokens = this.tokens.filter((token) => token.id !== id);
    if (this.tokens.length === before) throw fail('not_found', 'no such push token');
  }

  async pushStatus(): Promise<PushStatus> {
    return {
      mode: this.tokens.length === 0 ? 'stopped' : 'active',
      servers: [...new Set(this.tokens.map((token) => token.server))].map((server) => ({
        server,
        up: true,
        retryInSecs: null,
        error: null,
      })),
      clockOffsetSecs: this.clockOffsetSecs,
      clockWarning: Math.abs(this.clockOffsetSecs) > 60,
      prompts: [...this.prompts],
      link: this.link === null ? null : this.#preview(this.link),
      serverTimeForCodes: this.serverTimeForCodes,
      droppedCount: this.droppedCount,
    };
  }

  #log(prompt: PushPrompt, decision: PushActivityEntry['decision'], outcome: PushActivityEntry['outcome']) {
    this.activity.unshift({
      time: Math.floor(this.clock() / 1000),
      server: prompt.server,
      serial: prompt.serial,
      nonce: prompt.nonce,
      title: prompt.title,
      question: prompt.question,
      decision,
      outcome,
    });
    this.emit({ type: 'activity' });
  }

  /**
   * The OS verification an approval meets, as Rust decides it: `null` sends at once; a code
   * refuses the approval with it (`verify_stand_in`: no verifier, the vault secret `standIn`
   * stands in).
   */
  verification: IpcErrorCode | null = null;
  /** The vault passphrase a stand-in must match. */
  standIn = 'vault passphrase';

  async answerPush(nonce: string, decision: PushDecision, standIn?: string): Promise<PushAnswer> {
    this.recorder.record('answerPush', standIn === undefined ? [nonce, decision] : [nonce, decision, standIn]);
    return this.#answer(nonce, decision, standIn);
  }

  async #answer(nonce: string, decision: PushDecision, standIn?: string): Promise<PushAnswer> {
    const prompt = this.prompts.find((prompt) => prompt.nonce === nonce);
    if (prompt === undefined) throw fail('not_found', 'no such sign-in request');
    if (decision.kind === 'approve' && this.verification !== null) {
      if (standIn === undefined) throw fail(this.verification, 'verification failed');
      if (standIn !== this.standIn) throw fail('wrong_passphrase', 'wrong passphrase');
    }
    const answer = (outcome: PushAnswer['outcome'], retry = false): PushAnswer => ({
      nonce,
      outcome,
      displayCode: null,
      message: null,
      retry,
      error: null,
    });
    if (this.clock() >= prompt.expires) {
      this.#close(nonce, 'expired');
      this.#log(prompt, { kind: 'none' }, { kind: 'expired' });
      return answer('expired');
    }
    if (decision.kind === 'approve' && prompt.options !== null) {
      if (decision.number === undefined || !prompt.options.includes(decision.number))
        throw fail('invalid_input', 'pick the number the sign-in page shows');
      if (decision.number !== this.rightNumber.get(nonce)) {
        this.#log(prompt, { kind: 'approved' }, { kind: 'refused' });
        return answer('refused', true);
      }
    }
    this.#close(nonce, 'answered');
    this.#log(
      prompt,
      decision.kind === 'approve'
        ? { kind: 'approved' }
        : { kind: 'declined', reason: decision.reason === 'notMe' ? 'unknown_trigger' : (decision.reason ?? null) },
      { kind: 'accepted' },
    );
    return answer('accepted');
  }

  #close(nonce: string, reason: 'answered' | 'expired') {
    this.prompts = this.prompts.filter((prompt) => prompt.nonce !== nonce);
    this.emit({ type: 'closed', nonce, reason });
  }

  async denyAllPush(reason: DenyReason | null): Promise<PushAnswer[]> {
    this.recorder.record('denyAllPush', [reason]);
    const answers: PushAnswer[] = [];
    for (const prompt of [...this.prompts])
      answers.push(await this.#answer(prompt.nonce, reason === null ? { kind: 'deny' } : { kind: 'deny', reason }));
    return answers;
  }

  async useServerTime(enabled: boolean): Promise<PushStatus> {
    this.recorder.record('useServerTime', [enabled]);
    this.serverTimeForCodes = enabled;
    const status = await this.pushStatus();
    this.emit({ type: 'status', status });
    return status;
  }

  async checkPushNow(): Promise<void> {
    this.recorder.record('checkPushNow');
    this.checks += 1;
  }

  async pushActivity(): Promise<PushActivityEntry[]> {
    return [...this.activity];
  }

  async onPushEvent(handler: (event: PushEvent) => void): Promise<() => void> {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
}
