// The IPC contract with src-tauri: command names, payloads, events and error codes, in one file.
//
// Hand-written mirror of src-tauri/src/dto.rs and src-tauri/src/error.rs (the Rust tests pin the
// exact JSON field sets of every DTO, so a drift shows up there). Generating it (ts-rs or
// tauri-specta) is still an ADR to write.
//
// No type here can hold an account secret. The one secret that crosses IPC is the recovery key
// returned by `createVault`, on purpose: it is shown once at first run for the user to write down.

import { PUSH_ERROR_CODES, type PushBackend } from './pushContract';
import type { SelfServiceBackend } from './selfserviceContract';
import { QR_ERROR_CODES, type QrBackend, type QrScan } from './qrContract';

export type VaultState = 'noVault' | 'locked' | 'unlocked';

/** `VaultStatusDto`: whether a vault exists and how it can be unlocked. */
export interface VaultStatus {
  state: VaultState;
  /** The OS keychain answered (a silent unlock or a keychain slot is possible). */
  keychainAvailable: boolean;
  hasPassphrase: boolean;
  hasKeychainSlot: boolean;
  /** Where the vault file is (or will be created). */
  vaultPath: string;
}

export type OtpKind = 'totp' | 'hotp' | 'steam';
export type Algorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** `AccountDto`: one account's public face and its codes. */
export interface AccountView {
  id: string;
  issuer: string;
  name: string;
  kind: OtpKind;
  algorithm: Algorithm;
  digits: number;
  /** Time step in seconds; null for HOTP. */
  period: number | null;
  /** Counter of the next code; null for TOTP and Steam. */
  counter: number | null;
  tags: string[];
  /** A built-in icon name; null for the generated initial. */
  icon: string | null;
  favorite: boolean;
  /** Ungrouped code text ("123456"), computed in Rust at `Accounts.now`. */
  code: string;
  /** The code of the next time step (TOTP/Steam), always provided; null for HOTP. */
  nextCode: string | null;
  /** Seconds until `code` changes, at `Accounts.now`; null for HOTP. */
  secondsLeft: number | null;
}

/** `AccountsDto`: every account, in the user's manual order, at one instant read by Rust. */
export interface Accounts {
  /** Unix seconds at which the codes were computed. */
  now: number;
  accounts: AccountView[];
}

/** A manually entered account. `period` is used for TOTP only, `counter` for HOTP only. */
export interface AccountForm {
  issuer: string;
  name: string;
  /** Base32 secret as typed (spaces, dashes and case are tolerated). */
  secret: string;
  kind: OtpKind;
  algorithm: Algorithm;
  digits: number;
  period: number;
  counter: number;
}

/** The fields `updateAccount` changes; absent fields stay as they are. */
export interface AccountPatch {
  issuer?: string;
  name?: string;
  tags?: string[];
  icon?: string | null;
  favorite?: boolean;
}

export type Language = 'system' | 'en' | 'fr';
export type Theme = 'system' | 'light' | 'dark';

/** `SettingsDto`: the preferences stored in the vault (only readable while unlocked). */
export interface SettingsView {
  language: Language;
  theme: Theme;
  /** 0 = never clear. */
  clipboardClearSecs: number;
  /** 0 = never lock. */
  autoLockSecs: number;
  showNextCode: boolean;
  startMinimized: boolean;
  startAtLogin: boolean;
}

/** An `otpauth://` link waiting for the user's "add it?"; the URI itself stays in Rust. */
export interface UriPreview {
  issuer: string;
  name: string;
  kind: OtpKind;
}

export type UnlockMethod =
  | { method: 'keychain' }
  | { method: 'recoveryKey'; secret: string }
  | { method: 'passphrase'; secret: string };

/** Sent by Rust on the IPC channel opened with `subscribe_events` (no global event bus). */
export type BackendEvent =
  | { type: 'vaultChanged' }
  | { type: 'vaultLocked' }
  | { type: 'deepLink'; preview: UriPreview }
  | { type: 'shortcut'; action: 'lock' | 'add' | 'search' }
  /** Files dropped on the window were opened for import (or could not be). */
  | { type: 'importOpened'; opened: ImportOpened }
  | { type: 'importFailed'; error: IpcError }
  /** Images dropped on the window were scanned for QR codes (or could not be). */
  | { type: 'qrScanned'; scan: QrScan }
  | { type: 'qrScanFailed'; error: IpcError };

/**
 * Error codes the UI may branch on: `IpcErrorCode` from src-tauri/src/error.rs, the vault's
 * `VaultError::code()`s, the keychain's, the recovery key parser's, the otpauth URI parser's
 * `UriError::code()`s, and `unknown` for anything else (Tauri's own string errors included).
 */
export const IPC_ERROR_CODES = [
  // src-tauri
  'locked',
  'no_vault',
  'not_found',
  'invalid_input',
  'clipboard',
  'clock',
  'no_deep_link',
  // vault
  'already_exists',
  'cannot_decrypt',
  'damaged',
  'different_vault',
  'disk_full',
  'empty_passphrase',
  'io',
  'kdf_params_rejected',
  'keychain_entry_missing',
  'keychain_mismatch',
  'keychain_unavailable',
  'keychain_bad_entry',
  'no_keychain_slot',
  'no_passphrase',
  'no_randomness',
  'no_recovery_slot',
  'not_a_vault',
  'payload_unreadable',
  'rekeyed_elsewhere',
  'unsupported_version',
  'wrong_passphrase',
  'wrong_recovery_key',
  // recovery key text
  'recovery_key_typo',
  'recovery_key_character',
  'recovery_key_length',
  // otpauth:// URIs
  'invalid_algorithm',
  'invalid_counter',
  'invalid_digits',
  'invalid_label',
  'invalid_period',
  'invalid_secret',
  'missing_secret',
  'not_otpauth',
  'unknown_type',
  'unsupported_type',
  // import files (ImportError::code(), crates/transfer/src/error.rs)
  'account_restricted',
  'empty_file',
  'image',
  'invalid_container',
  'kdf_too_expensive',
  'steam_folder_required',
  'password_required',
  'truncated',
  'unknown_format',
  'vault_without_passphrase',
  'wrong_password',
  // exports (ExportError::code(), crates/transfer/src/export/mod.rs)
  'encoding_failed',
  'encryption_failed',
  'invalid_kdf_params',
  'empty_password',
  // reading import files (tessera_transfer::files::ReadError)
  'file_too_large',
  'file_access',
  'no_file',
  // import and export commands (TransferErrorCode, src-tauri/src/state/transfer.rs)
  'import_gone',
  'password_mismatch',
  'plain_not_confirmed',
  'qr_render',
  // self-service at privacyIDEA (tessera_push::selfservice, src-tauri/src/selfservice.rs)
  'selfservice_bad_credentials',
  'selfservice_bad_server_url',
  'selfservice_body_too_large',
  'selfservice_declined',
  'selfservice_insecure_server_url',
  'selfservice_invalid_otp_uri',
  'selfservice_invalid_response',
  'selfservice_not_allowed',
  'selfservice_network',
  'selfservice_policy_refused',
  'selfservice_push',
  'selfservice_resync_failed',
  'selfservice_server',
  'selfservice_session_expired',
  'selfservice_sign_in_expired',
  'selfservice_timeout',
  'selfservice_token_not_found',
  'selfservice_signed_out',
  'selfservice_no_second_step',
  'selfservice_not_here',
  'selfservice_not_resyncable',
  // push (crates/push `PushError::code()`, src-tauri/src/push)
  ...PUSH_ERROR_CODES,
  // QR scan and "Show QR" (crates/qr, src-tauri/src/commands/qr.rs)
  ...QR_ERROR_CODES,
  'unknown',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** Which form field an `invalid_input` error is about. */
export type FormField = 'issuer' | 'name' | 'secret' | 'digits' | 'period' | 'counter';

/** A rejected command, normalized by `toIpcError`. */
export interface IpcError {
  code: IpcErrorCode;
  /** English text for logs and as a fallback; never a secret. */
  message: string;
  /** For `invalid_input`: the form field at fault. */
  field?: FormField;
}

/** Command names as registered in src-tauri (`generate_handler!`, build.rs, capabilities). */
export const COMMANDS = {
  vaultStatus: 'vault_status',
  createVault: 'create_vault',
  unlockVault: 'unlock_vault',
  lockVault: 'lock_vault',
  listAccounts: 'list_accounts',
  addAccountUri: 'add_account_uri',
  addAccountForm: 'add_account_form',
  updateAccount: 'update_account',
  deleteAccount: 'delete_account',
  undoDelete: 'undo_delete',
  reorderAccounts: 'reorder_accounts',
  nextHotpCode: 'next_hotp_code',
  copyCode: 'copy_code',
  getSettings: 'get_settings',
  updateSettings: 'update_settings',
  pendingDeepLink: 'pending_deep_link',
  confirmDeepLink: 'confirm_deep_link',
  dismissDeepLink: 'dismiss_deep_link',
  reportActivity: 'report_activity',
  subscribeEvents: 'subscribe_events',
  importPick: 'import_pick',
  importOpenPaths: 'import_open_paths',
  importUnlock: 'import_unlock',
  importCommit: 'import_commit',
  importCancel: 'import_cancel',
  exportSave: 'export_save',
  exportMigrationQr: 'export_migration_qr',
  enrollPush: 'enroll_push',
  listPushTokens: 'list_push_tokens',
  renamePushToken: 'rename_push_token',
  removePushToken: 'remove_push_token',
  pushStatus: 'push_status',
  answerPush: 'answer_push',
  denyAllPush: 'deny_all_push',
  checkPushNow: 'check_push_now',
  pushActivity: 'push_activity',
  subscribePush: 'subscribe_push',
  selfserviceConnect: 'selfservice_connect',
  selfserviceAnswer: 'selfservice_answer',
  selfserviceStatus: 'selfservice_status',
  selfserviceFactors: 'selfservice_factors',
  selfserviceEnroll: 'selfservice_enroll',
  selfserviceTokenAction: 'selfservice_token_action',
  selfserviceResync: 'selfservice_resync',
  selfserviceBackupCodes: 'selfservice_backup_codes',
  selfserviceSignOut: 'selfservice_sign_out',
  enrollPushLink: 'enroll_push_link',
  dismissPushLink: 'dismiss_push_link',
  qrScanScreen: 'qr_scan_screen',
  qrScanPick: 'qr_scan_pick',
  qrScanPaths: 'qr_scan_paths',
  qrScanClipboard: 'qr_scan_clipboard',
  qrAdd: 'qr_add',
  qrDismiss: 'qr_dismiss',
  qrEnrollPush: 'qr_enroll_push',
  accountQrSvg: 'account_qr_svg',
  useServerTime: 'use_server_time',
} as const;

/** How an entry of an import file relates to the vault, or why it cannot be imported. */
export type ImportStatus = 'new' | 'duplicate' | 'conflict' | 'repeated' | 'unsupported' | 'rejected';

/** `ImportItemDto`: one entry of an import file, without its secret. */
export interface ImportItem {
  /** What `importCommit` selects it by; null for unsupported and rejected entries. */
  entry: number | null;
  /** For unsupported and rejected entries: the label the file gives it. */
  issuer: string;
  name: string;
  kind: OtpKind | null;
  status: ImportStatus;
  /** For unsupported and rejected entries: why (an `EntryError::code()`). */
  reason: string | null;
}

/** `ImportPreviewDto`: every entry of a read import file, in file order. */
export interface ImportPreview {
  importId: string;
  /** `Format::code()`: aegis, two_fas, ente, bitwarden, … */
  format: string;
  items: ImportItem[];
}

/** `ImportOpenedDto`: an opened file is previewed at once, or first needs its password. */
export type ImportOpened =
  | { step: 'needsPassword'; importId: string; format: string }
  | { step: 'preview'; preview: ImportPreview };

/** Sent while an encrypted file's key is derived (the KDFs report no progress of their own). */
export interface ImportProgress {
  stage: 'deriving' | 'done';
  elapsedMs: number;
}

/** `ImportSummaryDto`: what a commit did. */
export interface ImportSummary {
  added: number;
  skippedDuplicates: number;
  notSelected: number;
  unsupported: number;
  rejected: number;
}

/** Export formats written to a file (`ExportFormat::code()`); the migration QR codes are shown. */
export type ExportFileFormat = 'tessera_backup' | 'aegis_encrypted' | 'aegis_json' | 'otpauth_list';

export interface ExportRequest {
  format: ExportFileFormat;
  /** Encrypted formats: the password and its confirmation (Rust checks both). */
  password: string | null;
  confirm: string | null;
  /** Plain formats: the user ticked "I understand this file is unencrypted". */
  plainConfirmed: boolean;
  /** The format's name in the UI's language, for the save dialog's file type filter. */
  fileKind: string;
}

export interface Exported {
  path: string;
  accounts: number;
}

/** One Google Authenticator migration QR code, drawn in Rust. */
export interface MigrationQr {
  index: number;
  total: number;
  /** An SVG document. It encodes secrets: shown after a confirmation, never stored. */
  svg: string;
  /** Accounts Google Authenticator cannot hold, with `NotPortable::code()`. */
  skipped: { label: string; reason: string }[];
}

/** What the UI needs from the backend; the Tauri implementation is in `tauri.ts`, tests fake it. */
export interface Backend extends PushBackend, SelfServiceBackend, QrBackend {
  vaultStatus(): Promise<VaultStatus>;
  /** Returns the recovery key: the ONE secret that crosses IPC, shown once at first run. */
  createVault(passphrase: string | null): Promise<{ recoveryKey: string }>;
  unlockVault(how: UnlockMethod): Promise<VaultStatus>;
  lockVault(): Promise<VaultStatus>;
  listAccounts(): Promise<Accounts>;
  addAccountUri(uri: string): Promise<AccountView>;
  addAccountForm(form: AccountForm): Promise<AccountView>;
  updateAccount(id: string, patch: AccountPatch): Promise<AccountView>;
  deleteAccount(id: string): Promise<{ undoToken: string }>;
  undoDelete(undoToken: string): Promise<AccountView>;
  reorderAccounts(ids: string[]): Promise<void>;
  /** Advances the HOTP counter in one vault write and returns the account with its new code. */
  nextHotpCode(id: string): Promise<AccountView>;
  /** Rust writes the clipboard and clears it after the delay only if it still holds our code. */
  copyCode(id: string): Promise<{ clearAfterSecs: number }>;
  getSettings(): Promise<SettingsView>;
  updateSettings(settings: SettingsView): Promise<SettingsView>;
  pendingDeepLink(): Promise<UriPreview | null>;
  confirmDeepLink(): Promise<AccountView>;
  dismissDeepLink(): Promise<void>;
  /** Call on user input, throttled to at most once per 30 s; Rust auto-locks on idle. */
  reportActivity(): Promise<void>;
  onEvent(handler: (event: BackendEvent) => void): Promise<() => void>;
  /** The native file picker, then the file is opened; null when the picker was closed. */
  importPick(): Promise<ImportOpened | null>;
  /** Opens files by path (a drop on the window); the result also comes as an `importOpened` event. */
  importOpenPaths(paths: string[]): Promise<ImportOpened>;
  /** Decrypts a held import; `wrong_password` keeps it held for another try. */
  importUnlock(importId: string, password: string, onProgress: (progress: ImportProgress) => void): Promise<ImportPreview>;
  /** Adds the selected entries in one vault write, then forgets the import. */
  importCommit(importId: string, selected: number[]): Promise<ImportSummary>;
  importCancel(importId: string): Promise<void>;
  /** The native save dialog (or `path`, for tests), then the file; null when the dialog was closed. */
  exportSave(request: ExportRequest, path?: string): Promise<Exported | null>;
  exportMigrationQr(index: number): Promise<MigrationQr>;
}
