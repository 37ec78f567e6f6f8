// The self-service part of the IPC contract (issue 8). The DTO shapes are generated from
// src-tauri/src/selfservice.rs into `generated.ts` and re-exported here. No type here holds a
// vault secret or the session token; the one secret-like value is a fresh set of backup codes,
// which the user asked to see once.

import type {
  BackupCodes,
  EnrollKind,
  Enrolled,
  Factor,
  ResyncCodes,
  SelfServiceAnswer,
  SelfServiceStatus,
  SelfServiceStep,
  TokenAction,
} from './generated';

export type {
  BackupCodes,
  EnrollKind,
  Enrolled,
  Factor,
  FactorHere,
  FactorStatus,
  LastServer,
  ResyncCodes,
  SelfServiceAnswer,
  SelfServiceChallenge,
  SelfServiceRight,
  SelfServiceSession,
  SelfServiceStatus,
  SelfServiceStep,
  TokenAction,
} from './generated';

/** The arguments of `selfservice_connect` (one command argument each, not one Rust type). */
export interface ConnectForm {
  server: string;
  user: string;
  realm: string | null;
  password: string;
  /** A one-time code sent with the password, where the server takes the two together. */
  code?: string | null;
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
