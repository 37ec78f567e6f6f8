// The IPC contract with src-tauri: command names, payloads, events and error codes.
//
// The payload shapes (DTOs), the command names (`COMMANDS`) and every error code the backend
// can send (`IPC_ERROR_CODES`) are generated from the Rust side into `generated.ts` (issue 4;
// `src-tauri/src/contract.rs`, whose test fails while that file is stale) and re-exported
// here. Written by hand: the `Backend` API and the shapes that are not one Rust type
// (normalized errors and events, the export request's arguments).
//
// No type here can hold an account secret. The one secret that crosses IPC is the recovery key
// returned by `createVault`, on purpose: it is shown once at first run for the user to write down.

import type { PushBackend, PushEvent } from './pushContract';
import type { SelfServiceBackend } from './selfserviceContract';
import type { QrBackend } from './qrContract';
import type {
  AccountForm,
  AccountPatch,
  AccountView,
  Accounts,
  BackendEventDto,
  Copied,
  FirstScreen,
  Created,
  Deleted,
  Exported,
  ImportOpened,
  ImportPreview,
  ImportProgress,
  ImportSummary,
  InvalidField,
  IpcErrorCode,
  IpcErrorDto,
  MigrationQr,
  SettingsView,
  UnlockMethod,
  UriPreview,
  VaultStatus,
} from './generated';

export { COMMANDS, IPC_ERROR_CODES } from './generated';

export type {
  AccountForm,
  AccountPatch,
  AccountView,
  Accounts,
  Algorithm,
  Appearance,
  BackendEventDto,
  Copied,
  Created,
  Deleted,
  Exported,
  FirstScreen,
  ImportItem,
  ImportOpened,
  ImportPreview,
  ImportProgress,
  ImportStage,
  ImportStatus,
  ImportSummary,
  InvalidField,
  IpcErrorCode,
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
 * `BackendEventDto` as `firstScreen` hands it to its handler: an event's error is normalized by `toIpcError`,
 * like a rejected command's.
 */
export type BackendEvent = WithIpcError<BackendEventDto>;
type WithIpcError<E> = E extends { error: IpcErrorDto } ? Omit<E, 'error'> & { error: IpcError } : E;

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
  /**
   * The first screen's one round trip: opens both event feeds (vault and push events, from then
   * on) and returns everything the lock screen or the codes are drawn from. `unsubscribe` ends
   * both.
   */
  firstScreen(
    onEvent: (event: BackendEvent) => void,
    onPushEvent: (event: PushEvent) => void,
  ): Promise<{ first: FirstScreen; unsubscribe: () => void }>;
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
