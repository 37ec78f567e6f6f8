// The IPC contract with src-tauri: command names, payloads, events and error codes.
//
// The payload shapes (DTOs) are generated from the Rust types into `generated.ts` (issue 4;
// `src-tauri/src/dto/bindings.rs`, whose test fails while that file is stale) and re-exported
// here. Written by hand: the `Backend` API, the error codes the UI knows, and the shapes that
// are not one Rust type (normalized errors and events, the export request's arguments).
//
// No type here can hold an account secret. The one secret that crosses IPC is the recovery key
// returned by `createVault`, on purpose: it is shown once at first run for the user to write down.

import { PUSH_ERROR_CODES, type PushBackend } from './pushContract';
import type { SelfServiceBackend } from './selfserviceContract';
import { QR_ERROR_CODES, type QrBackend } from './qrContract';
import type {
  AccountForm,
  AccountPatch,
  AccountView,
  Accounts,
  BackendEventDto,
  Copied,
  Created,
  Deleted,
  Exported,
  ImportOpened,
  ImportPreview,
  ImportProgress,
  ImportSummary,
  InvalidField,
  IpcErrorDto,
  MigrationQr,
  SettingsView,
  UnlockMethod,
  UriPreview,
  VaultStatus,
} from './generated';

export type {
  AccountForm,
  AccountPatch,
  AccountView,
  Accounts,
  Algorithm,
  BackendEventDto,
  Copied,
  Created,
  Deleted,
  Exported,
  ImportItem,
  ImportOpened,
  ImportPreview,
  ImportProgress,
  ImportStage,
  ImportStatus,
  ImportSummary,
  InvalidField,
  IpcErrorDto,
  Language,
  MigrationQr,
  MigrationSkipped,
  OtpKind,
  SettingsView,
  ShortcutAction,
  Theme,
  UnlockMethod,
  UriPreview,
  VaultState,
  VaultStatus,
} from './generated';

/**
 * `BackendEventDto` as `onEvent` hands it out: an event's error is normalized by `toIpcError`,
 * like a rejected command's.
 */
export type BackendEvent = WithIpcError<BackendEventDto>;
type WithIpcError<E> = E extends { error: IpcErrorDto } ? Omit<E, 'error'> & { error: IpcError } : E;

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
  // The vault asks for the OS's verification before a keychain unlock, and the attempt was not
  // the user's (the silent one at start): the lock screen's button asks.
  'verify_required',
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
  // The keychain's pin refuses the vault file: an older copy put back, or a file Tessera did
  // not write (see crates/core/src/vault/keychain.rs). Neither is opened by any secret.
  'vault_replaced',
  'vault_rolled_back',
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
  'image_unreadable',
  'invalid_container',
  'kdf_too_expensive',
  'kdf_budget_exceeded',
  'limit_exceeded',
  'import_cancelled',
  'no_qr_code',
  'qr_not_account',
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

/**
 * The fields of the account form: the ones an `invalid_input` error from Rust names, and the
 * ones only the UI's own checks (`validate.ts`) fault.
 */
export type FormField = InvalidField | 'name' | 'counter';

/** A rejected command (`IpcErrorDto`), normalized by `toIpcError`: a code the UI knows. */
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
  rebindKeychain: 'rebind_keychain',
  keepKeychainOut: 'keep_keychain_out',
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

/** Export formats written to a file (`ExportFormat::code()`); the migration QR codes are shown. */
export type ExportFileFormat = 'tessera_backup' | 'aegis_encrypted' | 'aegis_json' | 'otpauth_list';

/** The arguments of `export_save` (one command argument each, not one Rust type). */
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

/** What the UI needs from the backend; the Tauri implementation is in `tauri.ts`, tests fake it. */
export interface Backend extends PushBackend, SelfServiceBackend, QrBackend {
  vaultStatus(): Promise<VaultStatus>;
  /** Returns the recovery key: the ONE secret that crosses IPC, shown once at first run. */
  createVault(passphrase: string | null): Promise<Created>;
  unlockVault(how: UnlockMethod): Promise<VaultStatus>;
  lockVault(): Promise<VaultStatus>;
  /** The keychain lost the vault's entry (`keychainLost`): store it again, as the user agreed. */
  rebindKeychain(): Promise<VaultStatus>;
  /** The user keeps the keychain out for now (asked again at the next unlock). */
  keepKeychainOut(): Promise<VaultStatus>;
  listAccounts(): Promise<Accounts>;
  addAccountUri(uri: string): Promise<AccountView>;
  addAccountForm(form: AccountForm): Promise<AccountView>;
  updateAccount(id: string, patch: AccountPatch): Promise<AccountView>;
  deleteAccount(id: string): Promise<Deleted>;
  undoDelete(undoToken: string): Promise<AccountView>;
  reorderAccounts(ids: string[]): Promise<void>;
  /** Advances the HOTP counter in one vault write and returns the account with its new code. */
  nextHotpCode(id: string): Promise<AccountView>;
  /** Rust writes the clipboard and clears it after the delay only if it still holds our code. */
  copyCode(id: string): Promise<Copied>;
  getSettings(): Promise<SettingsView>;
  updateSettings(settings: SettingsView): Promise<SettingsView>;
  pendingDeepLink(): Promise<UriPreview | null>;
  /** Adds the account of the waiting link `id` (the preview the dialog shows). */
  confirmDeepLink(id: number): Promise<AccountView>;
  dismissDeepLink(id: number): Promise<void>;
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
