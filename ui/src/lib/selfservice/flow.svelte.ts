// "Reset my MFA": the guided self-service flow. Sign in (a second factor computed by Tessera,
// typed, a backup code, or a push approval), then the user's factors and the recovery cases:
// lost device, locked token, rejected codes, backup codes. Only actions the server's rights
// allow are offered. Secrets stay in Rust; this holds labels, serials, states and error codes,
// plus a fresh set of backup codes until the user says they are saved.

import type {
  Backend,
  BackupCodes,
  ConnectForm,
  EnrollKind,
  Factor,
  IpcError,
  LastServer,
  ResyncCodes,
  SelfServiceAnswer,
  SelfServiceChallenge,
  SelfServiceRight,
  SelfServiceSession,
  SelfServiceStep,
  TokenAction,
} from '../ipc';

export type Screen = 'connect' | 'secondFactor' | 'signedIn';
export type Case = 'factors' | 'lost' | 'locked' | 'rejected' | 'backup';
export const CASES: readonly Case[] = ['factors', 'lost', 'locked', 'rejected', 'backup'];

const ENROLL_RIGHT: Record<EnrollKind, SelfServiceRight> = {
  totp: 'enrollTOTP',
  hotp: 'enrollHOTP',
  push: 'enrollPUSH',
};

/** Whether `rights` allow `action` on `factor` in its current state. */
export function offers(factor: Factor, action: TokenAction | 'resync', rights: readonly SelfServiceRight[]): boolean {
  if (!rights.includes(action)) return false;
  switch (action) {
    case 'disable':
      return factor.status === 'active' || factor.status === 'locked';
    case 'enable':
      return factor.status === 'disabled';
    case 'reset':
      return factor.status === 'locked' || factor.failcount > 0;
    case 'resync':
      return (factor.kind === 'totp' || factor.kind === 'hotp') && factor.status !== 'revoked';
    case 'delete':
      return true;
  }
}

/** "I lost my device": the factors that are not in this Tessera and still usable. */
export function lostCandidates(factors: readonly Factor[]): Factor[] {
  return factors.filter((f) => f.here === null && f.kind !== 'tan' && f.status !== 'revoked');
}

/** "My token is locked": locked factors, or ones on their way there. */
export function lockedFactors(factors: readonly Factor[]): Factor[] {
  return factors.filter((f) => f.status === 'locked' || f.failcount > 0);
}

/** "My codes are rejected": TOTP and HOTP factors. */
export function resyncable(factors: readonly Factor[]): Factor[] {
  return factors.filter((f) => (f.kind === 'totp' || f.kind === 'hotp') && f.status !== 'revoked');
}

/** What a case needs: each case is offered only when at least one of its rights is granted. */
export function caseRights(which: Case): readonly SelfServiceRight[] {
  switch (which) {
    case 'factors':
      return [];
    case 'lost':
      return ['disable', 'delete', 'enrollTOTP', 'enrollHOTP', 'enrollPUSH'];
    case 'locked':
      return ['reset'];
    case 'rejected':
      return ['resync'];
    case 'backup':
      return ['enrollTAN'];
  }
}

export function casesFor(rights: readonly SelfServiceRight[]): Case[] {
  return CASES.filter((which) => {
    const needed = caseRights(which);
    return needed.length === 0 || needed.some((right) => rights.includes(right));
  });
}

/** A finished action, for the status line: a message key and the serial (and label). */
export interface Done {
  key:
    | 'selfservice.done.disable'
    | 'selfservice.done.enable'
    | 'selfservice.done.delete'
    | 'selfservice.done.reset'
    | 'selfservice.done.resync'
    | 'selfservice.done.enrolled'
    | 'selfservice.done.enrolledPush';
  serial: string;
  label?: string;
}

export class ResetMfaFlow {
  screen = $state<Screen>('connect');
  session = $state<SelfServiceSession | null>(null);
  challenges = $state<SelfServiceChallenge[]>([]);
  pushChallenged = $state(false);
  factors = $state<Factor[] | null>(null);
  current = $state<Case>('factors');
  busy = $state(false);
  error = $state<IpcError | null>(null);
  done = $state<Done | null>(null);
  /** Shown once, until `forgetBackupCodes`. */
  backupCodes = $state<BackupCodes | null>(null);

  rights = $derived(this.session?.rights ?? []);
  cases = $derived(casesFor(this.rights));

  #backend: Backend;
  /** Bumped by `signOut`, so an answer still on the network knows it was cancelled. */
  #generation = 0;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Where the user last signed in, to fill the form. */
  last = $state<LastServer | null>(null);

  /** Picks up a session that is still open in Rust (the dialog was closed and opened again),
   * else the last server signed in to. */
  async resume(): Promise<void> {
    await this.#run(async () => {
      const status = await this.#backend.selfserviceStatus();
      this.last = status.last;
      if (status.session !== null) await this.#signedIn(status.session);
    });
  }

  can(right: SelfServiceRight): boolean {
    return this.rights.includes(right);
  }

  canEnroll(kind: EnrollKind): boolean {
    return this.can(ENROLL_RIGHT[kind]);
  }

  async #run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = null;
    try {
      return await work();
    } catch (error) {
      const failure = error as IpcError;
      this.error = failure;
      // The session is gone in Rust (locked meanwhile, or expired at the server).
      if (failure.code === 'selfservice_signed_out' || failure.code === 'selfservice_session_expired') this.#reset();
      else if (failure.code === 'selfservice_no_second_step') this.#reset();
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  #reset(): void {
    this.screen = 'connect';
    this.session = null;
    this.factors = null;
    this.challenges = [];
    this.backupCodes = null;
  }

  async #step(step: SelfServiceStep): Promise<void> {
    if (step.step === 'signedIn') await this.#signedIn(step.session);
    else {
      this.screen = 'secondFactor';
      this.challenges = step.challenges;
      this.pushChallenged = step.push;
    }
  }

  async #signedIn(session: SelfServiceSession): Promise<void> {
    this.session = session;
    this.screen = 'signedIn';
    this.challenges = [];
    if (!this.cases.includes(this.current)) this.current = 'factors';
    this.factors = await this.#backend.selfserviceFactors();
  }

  async connect(form: ConnectForm): Promise<void> {
    this.done = null;
    await this.#run(async () => this.#step(await this.#backend.selfserviceConnect(form)));
  }

  async answer(answer: SelfServiceAnswer): Promise<void> {
    const generation = this.#generation;
    await this.#run(async () => this.#step(await this.#backend.selfserviceAnswer(answer)));
    // Cancelled while waiting (a push approval can take minutes): its late failure is no news.
    if (generation !== this.#generation) this.error = null;
  }

  async refresh(): Promise<void> {
    await this.#run(async () => {
      this.factors = await this.#backend.selfserviceFactors();
    });
  }

  async act(serial: string, action: TokenAction): Promise<boolean> {
    this.done = null;
    const ok = await this.#run(async () => {
      await this.#backend.selfserviceTokenAction(serial, action);
      this.done = { key: `selfservice.done.${action}`, serial };
      this.factors = await this.#backend.selfserviceFactors();
      return true;
    });
    return ok === true;
  }

  async resync(serial: string, codes: ResyncCodes): Promise<boolean> {
    this.done = null;
    const ok = await this.#run(async () => {
      await this.#backend.selfserviceResync(serial, codes);
      this.done = { key: 'selfservice.done.resync', serial };
      this.factors = await this.#backend.selfserviceFactors();
      return true;
    });
    return ok === true;
  }

  async enroll(kind: EnrollKind): Promise<boolean> {
    this.done = null;
    const ok = await this.#run(async () => {
      const enrolled = await this.#backend.selfserviceEnroll(kind);
      this.done =
        kind === 'push'
          ? { key: 'selfservice.done.enrolledPush', serial: enrolled.serial }
          : { key: 'selfservice.done.enrolled', serial: enrolled.serial, label: enrolled.label };
      this.factors = await this.#backend.selfserviceFactors();
      return true;
    });
    return ok === true;
  }

  async createBackupCodes(count: number): Promise<void> {
    this.done = null;
    await this.#run(async () => {
      this.backupCodes = await this.#backend.selfserviceBackupCodes(count);
      this.factors = await this.#backend.selfserviceFactors();
    });
  }

  /** The user saved the codes: they are not kept in the page any longer. */
  forgetBackupCodes(): void {
    this.backupCodes = null;
  }

  async signOut(): Promise<void> {
    this.#generation++;
    await this.#run(() => this.#backend.selfserviceSignOut());
    this.#reset();
    this.done = null;
  }
}
