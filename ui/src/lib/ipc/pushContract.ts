// The push part of the IPC contract (issue 7). The DTO shapes are generated from
// src-tauri/src/dto/push.rs into `generated.ts` and re-exported here. No type here holds a key:
// prompts carry only the texts of requests whose server signatures verified in Rust.

import type {
  DenyReason,
  EnrollStep,
  PushActivityEntry,
  PushAnswer,
  PushDecision,
  PushStatus,
  PushToken,
} from './generated';

export type {
  DenyReason,
  EnrollStep,
  PushAnswer,
  PushActivityEntry,
  PushAnswerOutcome,
  PushClosedReason,
  PushDecision,
  PushEvent,
  PushLinkPreview,
  PushMode,
  PushPrompt,
  PushServerStatus,
  PushStatus,
  PushToken,
} from './generated';

/** The push half of `Backend`. */
export interface PushBackend {
  /**
   * Makes the device key (seconds, in Rust off the UI thread), registers it, stores the token.
   * `allowUnverifiedTls`: the user ticked "add it anyway" for a link that turns TLS certificate
   * checks off (`sslverify=0`); without it Rust refuses such a link (`push_unverified_tls`).
   */
  enrollPush(uri: string, allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken>;
  /** Enrolls the link opened from outside (`PushStatus.link`); `allowUnverifiedTls` as above. */
  enrollPushLink(allowUnverifiedTls: boolean, onProgress: (step: EnrollStep) => void): Promise<PushToken>;
  dismissPushLink(): Promise<void>;
  listPushTokens(): Promise<PushToken[]>;
  renamePushToken(id: string, label: string): Promise<void>;
  removePushToken(id: string): Promise<void>;
  pushStatus(): Promise<PushStatus>;
  /**
   * Answers an open prompt. An approval that needs "it's me" asks the OS first (Rust waits for
   * its dialog); `standIn` is the vault passphrase or recovery key, for when that failed with
   * `verify_stand_in` (the OS has no verifier here).
   */
  answerPush(nonce: string, decision: PushDecision, standIn?: string): Promise<PushAnswer>;
  denyAllPush(reason: DenyReason | null): Promise<PushAnswer[]>;
  checkPushNow(): Promise<void>;
  /** Computes TOTP codes at the push server's time (this computer's clock is wrong), or stops. */
  useServerTime(enabled: boolean): Promise<PushStatus>;
  pushActivity(): Promise<PushActivityEntry[]>;
}

/** Whether pasted text is a push enrollment link rather than an otpauth account. */
export function isPushLink(text: string): boolean {
  return /^(otpauth:\/\/pipush\/|pia:\/\/)/i.test(text.trim());
}
