// The self-service half of the in-memory fake backend (vitest and `npm run dev`). It behaves
// like Rust where the UI can tell: sign-in with an optional second step, rights checked before
// every action, factors marked when they live here, enrollment adding an account to the fake
// vault, resync, backup codes, and sign-out on lock. Calls are recorded on the shared recorder
// (fakeRecorder.ts); passwords and codes are not.

import type { AccountForm } from './contract';
import { fail, type CallRecorder } from './fakeRecorder';
import type {
  BackupCodes,
  ConnectForm,
  EnrollKind,
  Enrolled,
  Factor,
  LastServer,
  ResyncCodes,
  SelfServiceAnswer,
  SelfServiceBackend,
  SelfServiceRight,
  SelfServiceSession,
  SelfServiceStatus,
  SelfServiceStep,
  TokenAction,
} from './selfserviceContract';

export const ALL_RIGHTS: SelfServiceRight[] = [
  'delete',
  'disable',
  'enable',
  'enrollHOTP',
  'enrollPUSH',
  'enrollTAN',
  'enrollTOTP',
  'reset',
  'resync',
];

/** What the fake needs from the fake vault. */
export interface FakeSelfServiceHost {
  /** Throws `locked` unless unlocked. */
  requireUnlocked(): void;
  /** Adds an account; returns its id. */
  add(form: AccountForm): string;
}

export class FakeSelfService implements SelfServiceBackend {
  server = 'https://pi.example.com';
  user = 'alice';
  password = 'secret';
  rights: SelfServiceRight[] = [...ALL_RIGHTS];
  /** When set, the password opens a second step on these tokens. */
  secondFactor: { serial: string; kind: string; here: boolean }[] | null = null;
  /** When set, the server takes the password only together with this code (its
   * `login_mode=privacyIDEA` without a challenge-response policy). */
  codeWithPassword: string | null = null;
  /** The code (or backup code) that answers the second step. */
  secondFactorCode = '123456';
  factors: Factor[] = [];
  session: SelfServiceSession | null = null;
  last: LastServer | null = null;
  #pending = false;
  #next = 1;

  constructor(
    private readonly recorder: CallRecorder,
    private readonly vault: FakeSelfServiceHost,
  ) {}

  #signedIn(): SelfServiceSession {
    this.vault.requireUnlocked();
    if (this.session === null) throw fail('selfservice_signed_out', 'not signed in');
    return this.session;
  }

  #allowed(right: SelfServiceRight): void {
    if (!this.#signedIn().rights.includes(right))
      throw fail('selfservice_not_allowed', `your organisation does not allow this (missing right \`${right}\`)`);
  }

  #factor(serial: string): Factor {
    const factor = this.factors.find((f) => f.serial === serial);
    if (factor === undefined) throw fail('selfservice_token_not_found', 'the server has no such token for you');
    return factor;
  }

  #done(): SelfServiceStep {
    this.#pending = false;
    this.session = { server: this.server, user: this.user, realm: 'default', verifyTls: true, rights: [...this.rights] };
    this.last = {
      server: `${this.server}/`,
      user: this.user,
      realm: 'default',
      verifyTls: true,
      codeWithPassword: this.codeWithPassword !== null,
    };
    return { step: 'signedIn', session: this.session };
  }

  signOut(): void {
    this.session = null;
    this.#pending = false;
  }

  async selfserviceConnect(form: ConnectForm): Promise<SelfServiceStep> {
    this.recorder.record('selfserviceConnect', [
      { ...form, password: '<password>', ...(form.code ? { code: '<code>' } : {}) },
    ]);
    this.vault.requireUnlocked();
    this.signOut();
    if (!/^https:\/\//.test(form.server.trim())) {
      throw /^http:\/\//.test(form.server.trim())
        ? fail('selfservice_insecure_server_url', 'https only')
        : fail('selfservice_bad_server_url', 'not a URL');
    }
    if (form.user.trim() !== this.user || form.password !== this.password)
      throw fail('selfservice_bad_credentials', 'the user name, password or code is wrong');
    const code = form.code?.trim() ?? '';
    if (this.codeWithPassword !== null && code === '')
      throw fail('selfservice_code_with_password', 'this server wants the password and a one-time code together');
    if (this.codeWithPassword !== null && code !== this.codeWithPassword)
      throw fail('selfservice_bad_credentials', 'the user name, password or code is wrong');
    if (this.secondFactor !== null) {
      this.#pending = true;
      return { step: 'secondFactor', challenges: this.secondFactor, push: this.secondFactor.some((c) => c.kind === 'push') };
    }
    return this.#done();
  }

  async selfserviceAnswer(answer: SelfServiceAnswer): Promise<SelfServiceStep> {
    this.recorder.record('selfserviceAnswer', [answer.method]);
    this.vault.requireUnlocked();
    if (!this.#pending) throw fail('selfservice_no_second_step', 'no second step');
    if (answer.method === 'tessera') {
      if (!(this.secondFactor ?? []).some((c) => c.serial === answer.serial && c.here))
        throw fail('selfservice_not_here', 'not in this Tessera');
      return this.#done();
    }
    if (answer.method === 'push') return this.#done();
    if (answer.code.trim() !== this.secondFactorCode)
      throw fail('selfservice_bad_credentials', 'the user name, password or code is wrong');
    return this.#done();
  }

  async selfserviceStatus(): Promise<SelfServiceStatus> {
    this.vault.requireUnlocked();
    return { session: this.session, last: this.last };
  }

  async selfserviceFactors(): Promise<Factor[]> {
    this.recorder.record('selfserviceFactors');
    this.#signedIn();
    return this.factors.map((f) => ({ ...f }));
  }

  async selfserviceEnroll(kind: EnrollKind): Promise<Enrolled> {
    this.recorder.record('selfserviceEnroll', [kind]);
    this.#allowed(kind === 'totp' ? 'enrollTOTP' : kind === 'hotp' ? 'enrollHOTP' : 'enrollPUSH');
    const serial = `${kind === 'push' ? 'PIPU' : kind.toUpperCase()}${String(this.#next++).padStart(8, '0')}`;
    let accountId: string | null = null;
    if (kind !== 'push')
      accountId = this.vault.add({
        issuer: 'privacyIDEA',
        name: serial,
        secret: 'JBSWY3DPEHPK3PXP',
        kind,
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 0,
      });
    this.factors.push({
      serial,
      kind,
      description: 'Tessera',
      status: 'active',
      failcount: 0,
      maxfail: 10,
      lastUsed: null,
      remainingCodes: null,
      here: kind === 'push' ? 'push' : 'account',
      accountId,
    });
    return { serial, accountId, label: `privacyIDEA (${serial})` };
  }

  async selfserviceTokenAction(serial: string, action: TokenAction): Promise<void> {
    this.recorder.record('selfserviceTokenAction', [serial, action]);
    this.#allowed(action);
    const factor = this.#factor(serial);
    if (action === 'delete') this.factors = this.factors.filter((f) => f !== factor);
    else if (action === 'disable') factor.status = 'disabled';
    else if (action === 'enable') factor.status = 'active';
    else {
      factor.failcount = 0;
      if (factor.status === 'locked') factor.status = 'active';
    }
  }

  async selfserviceResync(serial: string, codes: ResyncCodes): Promise<void> {
    this.recorder.record('selfserviceResync', [serial, codes.method]);
    this.#allowed('resync');
    const factor = this.#factor(serial);
    if (codes.method === 'tessera' && factor.here !== 'account')
      throw fail('selfservice_not_here', 'not in this Tessera');
    if (codes.method === 'typed' && (!/^\d{6,8}$/.test(codes.first) || codes.first === codes.second))
      throw fail('selfservice_resync_failed', 'could not resync');
    factor.failcount = 0;
  }

  async selfserviceBackupCodes(count: number): Promise<BackupCodes> {
    this.recorder.record('selfserviceBackupCodes', [count]);
    this.#allowed('enrollTAN');
    const serial = `PITN${String(this.#next++).padStart(8, '0')}`;
    const codes = Array.from({ length: count }, (_, i) => String(10_000_000 + i * 7919).slice(0, 8));
    this.factors.push({
      serial,
      kind: 'tan',
      description: 'Tessera backup codes',
      status: 'active',
      failcount: 0,
      maxfail: 10,
      lastUsed: null,
      remainingCodes: count,
      here: null,
      accountId: null,
    });
    return { serial, codes };
  }

  async selfserviceSignOut(): Promise<void> {
    this.recorder.record('selfserviceSignOut');
    this.signOut();
  }
}
