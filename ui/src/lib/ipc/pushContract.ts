// The push part of the IPC contract (issue 7): a hand-written mirror of
// src-tauri/src/push/dto.rs (whose tests pin the JSON). No type here holds a key: prompts carry
// only the texts of requests whose server signatures verified in Rust.

/** `PushTokenDto`: an enrolled push token, never its key. */
export interface PushToken {
  /** `<serial>@<server origin>`. */
  id: string;
  serial: string;
  server: string;
  label: string;
  issuer: string | null;
  /** False: the enrollment link said `sslverify=0` (shown as a warning). */
  sslverify: boolean;
  /** Unix seconds. */
  enrolled: number;
  /** A `push_*` code polling keeps hitting, e.g. `push_token_unknown_to_server` (revoked). */
  problem: string | null;
}

/** `PromptDto`: one verified sign-in request waiting for an answer. */
export interface PushPrompt {
  nonce: string;
  tokenId: string;
  label: string;
  issuer: string | null;
  serial: string;
  server: string;
  /** Server texts, as signed. Show as plain text. */
  title: string;
  question: string;
  /** Unix milliseconds (local clock): first received, and no longer answerable. */
  received: number;
  expires: number;
  /** Number matching: pick the one the sign-in page shows. */
  options: string[] | null;
  /** The server records a reason ("this was not me"). */
  takesReason: boolean;
  /** TLS is not checked for this server. */
  insecure: boolean;
}

export type DenyReason = 'cancelled' | 'notMe';
export type PushDecision = { kind: 'approve'; number?: string } | { kind: 'deny'; reason?: DenyReason };

/** `AnswerDto`: what the server said to an answer. */
export interface PushAnswer {
  nonce: string;
  outcome: 'accepted' | 'refused' | 'expired' | 'failed';
  /** Code to phone: type it on the sign-in page. */
  displayCode: string | null;
  message: string | null;
  /** The prompt stays open: a refused number pick, or an answer not delivered. */
  retry: boolean;
  error: string | null;
}

export interface PushServerStatus {
  server: string;
  up: boolean;
  retryInSecs: number | null;
  error: string | null;
}

/** `PushStatusDto`. */
export interface PushStatus {
  mode: 'active' | 'idle' | 'stopped';
  servers: PushServerStatus[];
  /** Server time minus local time, seconds. */
  clockOffsetSecs: number;
  /** Beyond privacyIDEA's ±60 s: tell the user to fix the clock. */
  clockWarning: boolean;
  prompts: PushPrompt[];
  /** A push enrollment link opened from outside, waiting for "add it?" (the link stays in Rust). */
  link: PushLinkPreview | null;
  /** TOTP codes are computed at the server's time (`clockOffsetSecs` applied), by the user's choice. */
  serverTimeForCodes: boolean;
}

export interface PushLinkPreview {
  label: string;
  issuer: string | null;
  server: string;
  sslverify: boolean;
}

export type EnrollStep = 'key' | 'register' | 'saved';

/** One line of the sign-in history (the vault's `activity` section, newest first). */
export interface PushActivityEntry {
  /** Unix seconds. */
  time: number;
  server: string;
  serial: string;
  nonce: string;
  /** Empty for requests dropped unverified (their texts are not the server's). */
  title: string;
  question: string;
  decision:
    | { kind: 'approved' }
    | { kind: 'declined'; reason?: 'cancelled' | 'unknown_trigger' | null }
    | { kind: 'none' };
  outcome:
    | { kind: 'accepted' | 'refused' | 'expired' | 'withdrawn' }
    | { kind: 'code_shown'; code: string }
    | { kind: 'dropped' | 'failed'; code: string };
}

export type PushEvent =
  | { type: 'prompt'; prompt: PushPrompt }
  | { type: 'closed'; nonce: string; reason: 'answered' | 'expired' | 'withdrawn' | 'locked' }
  | { type: 'status'; status: PushStatus }
  | { type: 'activity' };

/** `PushError::code()`s of crates/push, plus the shell's `push_duplicate`. */
export const PUSH_ERROR_CODES = [
  'push_answer_mismatch',
  'push_bad_signature',
  'push_body_too_large',
  'push_clock_skew',
  'push_expired',
  'push_enrollment_refused',
  'push_enrollment_not_pending',
  'push_invalid_response',
  'push_invalid_stored_token',
  'push_invalid_uri',
  'push_key',
  'push_network',
  'push_polling_not_allowed',
  'push_replay',
  'push_server',
  'push_timeout',
  'push_token_unknown_to_server',
  'push_unknown_serial',
  'push_duplicate',
] as const;

/** The push half of `Backend`. */
export interface PushBackend {
  /** Makes the device key (seconds, in Rust off the UI thread), registers it, stores the token. */
  enrollPush(uri: string, onProgress: (step: EnrollStep) => void): Promise<PushToken>;
  /** Enrolls the link opened from outside (`PushStatus.link`). */
  enrollPushLink(onProgress: (step: EnrollStep) => void): Promise<PushToken>;
  dismissPushLink(): Promise<void>;
  listPushTokens(): Promise<PushToken[]>;
  renamePushToken(id: string, label: string): Promise<void>;
  removePushToken(id: string): Promise<void>;
  pushStatus(): Promise<PushStatus>;
  answerPush(nonce: string, decision: PushDecision): Promise<PushAnswer>;
  denyAllPush(reason: DenyReason | null): Promise<PushAnswer[]>;
  checkPushNow(): Promise<void>;
  /** Computes TOTP codes at the push server's time (this computer's clock is wrong), or stops. */
  useServerTime(enabled: boolean): Promise<PushStatus>;
  pushActivity(): Promise<PushActivityEntry[]>;
  onPushEvent(handler: (event: PushEvent) => void): Promise<() => void>;
}

/** Whether pasted text is a push enrollment link rather than an otpauth account. */
export function isPushLink(text: string): boolean {
  return /^(otpauth:\/\/pipush\/|pia:\/\/)/i.test(text.trim());
}
