// The self-service part of the IPC contract (issue 8): a hand-written mirror of
// src-tauri/src/selfservice.rs. No type here holds a vault secret or the session token; the
// one secret-like value is a fresh set of backup codes, which the user asked to see once.

/** Rights the server's user policies may grant (privacyIDEA action names). */
export type SelfServiceRight =
  | 'delete'
  | 'disable'
  | 'enable'
  | 'enrollHOTP'
  | 'enrollPUSH'
  | 'enrollTAN'
  | 'enrollTOTP'
  | 'reset'
  | 'resync'
  | 'revoke'
  | 'setdescription';

/** `SessionDto`: who is signed in where, and what they may do. */
export interface SelfServiceSession {
  /** `scheme://host[:port]`. */
  server: string;
  user: string;
  realm: string;
  verifyTls: boolean;
  rights: SelfServiceRight[];
}

/** Where the user last signed in (no password, no session), to fill the form. */
export interface LastServer {
  server: string;
  user: string;
  realm: string | null;
  verifyTls: boolean;
}

/** `StatusDto`: the open session, if any, and the last server. */
export interface SelfServiceStatus {
  session: SelfServiceSession | null;
  last: LastServer | null;
}

/** A token challenged in the second sign-in step. */
export interface SelfServiceChallenge {
  serial: string;
  kind: string;
  /** Tessera holds it and can compute its code. */
  here: boolean;
}

export type SelfServiceStep =
  | { step: 'signedIn'; session: SelfServiceSession }
  | { step: 'secondFactor'; challenges: SelfServiceChallenge[]; push: boolean };

/** How the second step is answered. */
export type SelfServiceAnswer =
  | { method: 'tessera'; serial: string }
  | { method: 'code'; code: string }
  | { method: 'push' };

export type FactorStatus = 'active' | 'disabled' | 'locked' | 'revoked' | 'unfinished';

/** `FactorDto`: one of the user's tokens at the server. Texts come from the server. */
export interface Factor {
  serial: string;
  /** `totp`, `hotp`, `push`, `tan`, … */
  kind: string;
  description: string;
  status: FactorStatus;
  failcount: number;
  maxfail: number;
  /** Unix seconds. */
  lastUsed: number | null;
  /** Backup codes left (backup-code sets only). */
  remainingCodes: number | null;
  /** Lives in this Tessera: as an account (`accountId`) or a push token. */
  here: 'account' | 'push' | null;
  accountId: string | null;
}

export type EnrollKind = 'totp' | 'hotp' | 'push';

export interface Enrolled {
  serial: string;
  /** The new account (TOTP/HOTP); null for push. */
  accountId: string | null;
  label: string;
}

export type TokenAction = 'disable' | 'enable' | 'delete' | 'reset';

export type ResyncCodes = { method: 'tessera' } | { method: 'typed'; first: string; second: string };

export interface BackupCodes {
  serial: string;
  /** Shown once, for printing or saving; never stored by the UI. */
  codes: string[];
}

export interface ConnectForm {
  server: string;
  user: string;
  realm: string | null;
  password: string;
  verifyTls: boolean;
}

/** The self-service commands (`selfservice_*`). */
export interface SelfServiceBackend {
  selfserviceConnect(form: ConnectForm): Promise<SelfServiceStep>;
  selfserviceAnswer(answer: SelfServiceAnswer): Promise<SelfServiceStep>;
  selfserviceStatus(): Promise<SelfServiceStatus>;
  selfserviceFactors(): Promise<Factor[]>;
  selfserviceEnroll(kind: EnrollKind): Promise<Enrolled>;
  selfserviceTokenAction(serial: string, action: TokenAction): Promise<void>;
  selfserviceResync(serial: string, codes: ResyncCodes): Promise<void>;
  selfserviceBackupCodes(count: number): Promise<BackupCodes>;
  selfserviceSignOut(): Promise<void>;
}
