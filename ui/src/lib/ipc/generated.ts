// GENERATED from src-tauri's DTOs (by ts-rs), command names and error codes: do not edit.
// Change the Rust side, then regenerate with
//   TESSERA_WRITE_BINDINGS=1 cargo nextest run -p tessera-desktop generated_typescript
// (src-tauri/src/contract.rs); the Rust tests fail while this file differs.

// ---- errors (src-tauri/src/error.rs) ----

/**
 * A command failure as the webview sees it.
 *
 * In TypeScript `IpcErrorDto`, as it comes over the wire: the UI's `IpcError` is what
 * `toIpcError` makes of it (a known code, or `unknown`).
 */
export type IpcErrorDto = { code: string, message: string, field?: InvalidField, };

/**
 * The account form field an `invalid_input` error is about.
 * (The contract also names `name` and `counter`; no check of this version faults them: an empty
 * name is reported on `issuer`, and any u64 is a valid counter.)
 */
export type InvalidField = "issuer" | "secret" | "digits" | "period";

// ---- vault, accounts, settings, events (src-tauri/src/dto.rs) ----

/**
 * Where the vault stands: none yet, locked, or unlocked.
 */
export type VaultState = "noVault" | "locked" | "unlocked";

/**
 * Whether a vault exists and how it can be unlocked.
 */
export type VaultStatus = { state: VaultState,
/**
 * The OS keychain answered (a silent unlock or a keychain slot is possible).
 */
keychainAvailable: boolean, hasPassphrase: boolean, hasKeychainSlot: boolean,
/**
 * Unlocked with the passphrase or recovery key because the keychain lost the vault's
 * entry (a keychain that answers): the UI offers to store it again (`rebind_keychain`).
 * Never done without asking.
 */
keychainLost: boolean,
/**
 * Where the vault file is (or will be created).
 */
vaultPath: string, };

/**
 * The recovery key of a new vault, as the grouped text the user writes down.
 */
export type Created = { recoveryKey: string, };

/**
 * How to unlock. The secret text is wiped when this is dropped.
 */
export type UnlockMethod = { "method": "keychain", interactive: boolean, } | { "method": "recoveryKey", secret: string, } | { "method": "passphrase", secret: string, };

/**
 * `totp`, `hotp` or `steam`: the kinds of one-time code.
 */
export type OtpKind = "totp" | "hotp" | "steam";

/**
 * `tessera_core::Algorithm::as_str()`.
 */
export type Algorithm = "SHA1" | "SHA256" | "SHA512";

/**
 * One account's public face and its codes.
 */
export type AccountView = { id: string, issuer: string, name: string,
/**
 * `totp`, `hotp` or `steam`.
 */
kind: OtpKind,
/**
 * `SHA1`, `SHA256` or `SHA512` (Steam: SHA1).
 */
algorithm: Algorithm, digits: number,
/**
 * The time step in seconds; absent for HOTP.
 */
period: number | null,
/**
 * The counter of the shown code; absent for TOTP and Steam.
 */
counter: number | null, tags: Array<string>,
/**
 * A built-in icon name; absent for the generated initial.
 */
icon: string | null, favorite: boolean,
/**
 * The code text, ungrouped ("123456"); the UI groups it for reading.
 */
code: string,
/**
 * The code of the next time step; absent for HOTP.
 */
nextCode: string | null,
/**
 * Seconds until `code` changes (1..=period); absent for HOTP.
 */
secondsLeft: number | null, };

/**
 * Every account at one instant, in the user's order.
 */
export type Accounts = {
/**
 * The instant (Unix seconds) the codes were computed at, read by Rust.
 */
now: number, accounts: Array<AccountView>, };

/**
 * A manually entered account: `period` is used for TOTP only, `counter` for HOTP only. The
 * secret text is wiped when this is dropped.
 */
export type AccountForm = { issuer: string, name: string,
/**
 * Base32 as typed (spaces, dashes and case are tolerated).
 */
secret: string, kind: OtpKind, algorithm: Algorithm, digits: number, period: number, counter: number, };

/**
 * The fields `update_account` changes; absent fields stay. `icon: null` removes the icon.
 */
export type AccountPatch = { issuer?: string, name?: string, tags?: Array<string>, icon?: string | null, favorite?: boolean, };

/**
 * The token that undoes one deletion (random, meaningless outside this process).
 */
export type Deleted = { undoToken: string, };

/**
 * When the copied code will be cleared from the clipboard (0: never).
 */
export type Copied = { clearAfterSecs: number, };

/**
 * An otpauth:// link waiting for the user's "add it?": labels only, the URI stays in Rust.
 */
export type UriPreview = {
/**
 * Which waiting link this is: "add" and "dismiss" name it, so the account added is the
 * one the dialog showed, even if another link arrived meanwhile.
 */
id: number, issuer: string, name: string, kind: OtpKind, };

export type Language = "system" | "en" | "fr";

export type Theme = "system" | "light" | "dark";

/**
 * Settings, both ways.
 */
export type SettingsView = { language: Language, theme: Theme,
/**
 * 0: never cleared.
 */
clipboardClearSecs: number,
/**
 * 0: never locked.
 */
autoLockSecs: number, showNextCode: boolean, startMinimized: boolean, startAtLogin: boolean, lockOnSleep: boolean, lockOnScreenLock: boolean, verifyEveryApproval: boolean, verifyKeychainUnlock: boolean, };

/**
 * The language and theme the lock screen shows (kept by Rust outside the vault too).
 */
export type Appearance = { language: Language, theme: Theme, };

export type ShortcutAction = "lock" | "add" | "search";

/**
 * What Rust tells the UI without being asked, on the channel `first_screen` opens.
 */
export type BackendEventDto = { "type": "vaultChanged" } | { "type": "vaultLocked" } | { "type": "deepLink", preview: UriPreview, } | { "type": "shortcut", action: ShortcutAction, } | { "type": "importOpened", opened: ImportOpened, } | { "type": "importFailed", error: IpcErrorDto, } | { "type": "qrScanned", scan: QrScan, } | { "type": "qrScanFailed", error: IpcErrorDto, };

// ---- import and export (src-tauri/src/dto/transfer.rs) ----

/**
 * How an entry of an import file relates to the vault, or why it cannot be imported.
 */
export type ImportStatus = "new" | "duplicate" | "conflict" | "repeated" | "unsupported" | "rejected";

/**
 * One entry of the file.
 */
export type ImportItem = {
/**
 * What `import_commit` selects this entry by; absent for unsupported and rejected ones.
 */
entry: number | null, issuer: string, name: string,
/**
 * `totp`, `hotp` or `steam`; absent when the entry could not be read.
 */
kind: OtpKind | null, status: ImportStatus,
/**
 * For `unsupported` and `rejected`: the `EntryError::code()`.
 */
reason: string | null, };

/**
 * The entries of a read import, without their secrets.
 */
export type ImportPreview = { importId: string,
/**
 * `Format::code()`: `aegis`, `two_fas`, `ente`, `bitwarden`, …
 */
format: string,
/**
 * Every entry of the file, in file order: importable ones and the ones that are not.
 */
items: Array<ImportItem>,
/**
 * Codes of a Google Authenticator export that were not given: their accounts are not in
 * `items` (the shape of a QR scan's missing codes).
 */
missing: Array<QrMissing>, };

/**
 * What opening a file gave: its preview, or a request for its password.
 */
export type ImportOpened = { "step": "needsPassword", importId: string,
/**
 * `Format::code()`.
 */
format: string, } | { "step": "preview", preview: ImportPreview, };

/**
 * Where the decryption of an import file stands.
 */
export type ImportStage = "deriving" | "done";

/**
 * Sent on the channel of `import_unlock` while the file is decrypted.
 */
export type ImportProgress = { stage: ImportStage,
/**
 * Since the password was submitted. The KDF libraries report no progress of their own,
 * so the UI shows a running bar with this time rather than a made-up percentage.
 */
elapsedMs: number, };

/**
 * What a commit did.
 */
export type ImportSummary = { added: number,
/**
 * Duplicates of vault accounts (or of earlier entries) that were not added.
 */
skippedDuplicates: number,
/**
 * Other entries the user left unchecked.
 */
notSelected: number, unsupported: number, rejected: number, };

/**
 * An export written to a file.
 */
export type Exported = { path: string, accounts: number, };

export type MigrationSkipped = { label: string, reason: string, };

/**
 * One Google Authenticator migration QR code, drawn in Rust.
 */
export type MigrationQr = {
/**
 * 0-based; the UI says "n of m".
 */
index: number, total: number,
/**
 * An SVG document. It encodes secrets: shown only after the user confirmed, never stored.
 */
svg: string,
/**
 * Accounts Google Authenticator cannot hold, with `NotPortable::code()`.
 */
skipped: Array<MigrationSkipped>, };

// ---- push (src-tauri/src/dto/push.rs) ----

/**
 * A token as the UI lists it: never a key.
 */
export type PushToken = { id: string, serial: string, server: string, label: string, issuer: string | null,
/**
 * `false`: the link said `sslverify=0`; shown as a warning on the token.
 */
sslverify: boolean,
/**
 * Unix seconds.
 */
enrolled: number,
/**
 * A `push_*` error code that polling keeps hitting for this token, e.g.
 * `push_token_unknown_to_server` ("revoked by your organisation").
 */
problem: string | null, };

/**
 * One sign-in request to show. Built only from a `PushRequest<Verified>`, so its texts are
 * the ones the server signed.
 */
export type PushPrompt = { nonce: string, tokenId: string, label: string, issuer: string | null, serial: string, server: string,
/**
 * Server text, as signed: shown as plain text.
 */
title: string,
/**
 * Server text, as signed: shown as plain text.
 */
question: string,
/**
 * When this device first received it (Unix milliseconds, local clock).
 */
received: number,
/**
 * When it stops being answerable here (Unix milliseconds, local clock).
 */
expires: number,
/**
 * Number matching: the options to pick from (the sign-in page shows the right one).
 */
options: Array<string> | null,
/**
 * The server takes a decline reason ("this was not me" is reported as such).
 */
takesReason: boolean,
/**
 * The request's own `sslverify` is off.
 */
insecure: boolean, };

/**
 * Why the user denied.
 */
export type DenyReason = "cancelled" | "notMe";

/**
 * The user's answer, from the UI.
 */
export type PushDecision = { "kind": "approve", number?: string, } | { "kind": "deny", reason?: DenyReason, };

/**
 * How an answer ended.
 */
export type PushAnswerOutcome = "accepted" | "refused" | "expired" | "failed";

export type PushAnswer = { nonce: string, outcome: PushAnswerOutcome,
/**
 * Code to phone: type this on the sign-in page.
 */
displayCode: string | null,
/**
 * The server's text beside `display_code` (plain text).
 */
message: string | null,
/**
 * The prompt stays open: a refused number-matching pick (pick again), or an answer not
 * delivered for a passing reason (send it again).
 */
retry: boolean,
/**
 * For `failed`: the `push_*` code.
 */
error: string | null, };

/**
 * One server's poller.
 */
export type PushServerStatus = { server: string, up: boolean,
/**
 * While down: seconds until the next try (exponential back-off).
 */
retryInSecs: number | null,
/**
 * While down: why (`push_*` code).
 */
error: string | null, };

export type PushMode = "active" | "idle" | "stopped";

/**
 * An enrollment link opened from outside (deep link), as the UI asks about it: never the
 * link itself (its enrollment credential stays in Rust).
 */
export type PushLinkPreview = { label: string, issuer: string | null, server: string, sslverify: boolean, };

export type PushStatus = { mode: PushMode, servers: Array<PushServerStatus>,
/**
 * Server time minus local time, from the last `Date` header (whole seconds).
 */
clockOffsetSecs: number,
/**
 * The offset is beyond what privacyIDEA accepts unaided (±60 s): polls are compensated,
 * but the user should fix the clock (TOTP codes are off too).
 */
clockWarning: boolean,
/**
 * Open prompts, oldest first.
 */
prompts: Array<PushPrompt>,
/**
 * A push enrollment link opened from outside, waiting for "add it?".
 */
link: PushLinkPreview | null,
/**
 * TOTP codes are computed at the server's time (`clock_offset_secs` applied).
 */
serverTimeForCodes: boolean,
/**
 * Requests dropped unshown since the app started (forged or altered, replayed, for an
 * unknown token): counted in memory, never written to the activity log.
 */
droppedCount: number, };

/**
 * Enrollment progress, sent on the channel given to `enroll_push`.
 */
export type EnrollStep = "key" | "register" | "saved";

/**
 * Why a prompt closed without an answer from this window.
 */
export type PushClosedReason = "answered" | "expired" | "withdrawn" | "locked";

/**
 * Events on the push channel `first_screen` opens.
 */
export type PushEvent = { "type": "prompt", prompt: PushPrompt, } | { "type": "closed", nonce: string, reason: PushClosedReason, } | { "type": "status", status: PushStatus, } | { "type": "activity" };

/**
 * `DeclineReason::as_str()`, for TypeScript only.
 */
export type PushDeclineReason = "cancelled" | "unknown_trigger";

/**
 * What the user decided on a prompt (if they saw one).
 */
export type PushActivityDecision = { "kind": "approved" } | { "kind": "declined",
/**
 * `cancelled` or `unknown_trigger` (privacyIDEA's `decline_reason`).
 */
reason: PushDeclineReason | null, } | { "kind": "none" };

/**
 * How a prompt ended; `code` is a `push_*` error code or the code shown to type.
 */
export type PushActivityOutcome = { "kind": "accepted" } | { "kind": "refused" } | { "kind": "expired" } | { "kind": "withdrawn" } | { "kind": "code_shown", code: string, } | { "kind": "dropped", code: string, } | { "kind": "failed", code: string, };

/**
 * One line of the sign-in history, newest first. A copy of the stored
 * `tessera_push::ActivityEntry` made for the webview, so the vault's storage format can change
 * without changing the IPC contract (the JSON is the one the UI has always read).
 */
export type PushActivityEntry = {
/**
 * Unix seconds.
 */
time: number, server: string, serial: string, nonce: string,
/**
 * Empty for requests dropped unverified (their texts are not the server's).
 */
title: string, question: string, decision: PushActivityDecision, outcome: PushActivityOutcome, };

/**
 * Everything the first screen needs, in one IPC reply (`first_screen`): the page draws the
 * lock screen or the codes from it without another round trip.
 */
export type FirstScreen = { status: VaultStatus, appearance: Appearance,
/**
 * While unlocked: the settings, the accounts with their codes.
 */
settings: SettingsView | null, accounts: Accounts | null, deepLink: UriPreview | null, push: PushStatus, };

// ---- QR codes (src-tauri/src/dto/qr.rs) ----

/**
 * What one QR code holds.
 */
export type QrItemKind = "account" | "push" | "other" | "invalid";

/**
 * For accounts: `new` or `duplicate` (the vault has it). Empty for the other kinds. An
 * account of an export with codes not scanned yet is `new` too (the scan's `missing` names
 * those codes).
 */
export type QrItemStatus = "new" | "duplicate" | "";

export type QrBatch = { id: number, number: number, size: number, };

/**
 * One line of the result list, as the webview sees it.
 */
export type QrItem = {
/**
 * Stable within the held scan: what `qr_add` takes.
 */
id: number,
/**
 * Where it was found: `screen:MONITOR`, a file name, `clipboard`.
 */
source: string, kind: QrItemKind, issuer: string, name: string,
/**
 * `totp`, `hotp` or `steam` for accounts; empty otherwise.
 */
otpKind: string, status: QrItemStatus,
/**
 * For accounts from an export: which code of it (1-based) and how many it has.
 */
batch: QrBatch | null,
/**
 * `other`: scheme and host only (`https://example.com`); `invalid`: the error code.
 */
detail: string, };

/**
 * An export some of whose codes are not scanned yet.
 */
export type QrMissing = { batchId: number, size: number,
/**
 * 1-based numbers of the codes still to scan.
 */
numbers: Array<number>, };

/**
 * A source that could not be read (a damaged file, an unsupported format).
 */
export type QrFailure = { source: string, error: IpcErrorDto, };

export type QrScan = { scanId: string,
/**
 * Everything held, oldest first.
 */
items: Array<QrItem>,
/**
 * How many codes this scan found (0: "no QR code found").
 */
found: number, missing: Array<QrMissing>,
/**
 * Sources of this scan that could not be read.
 */
failures: Array<QrFailure>, };

export type QrAdded = { added: number,
/**
 * Picked but already in the vault (maybe added meanwhile).
 */
skipped: number, };

export type QrSvg = {
/**
 * A standalone SVG document: modules only, no text.
 */
svg: string, };

// ---- self-service (src-tauri/src/dto/selfservice.rs) ----

/**
 * Rights the server's user policies may grant (privacyIDEA action names,
 * `tessera_push::selfservice::Right::as_str()`).
 */
export type SelfServiceRight = "delete" | "disable" | "enable" | "enrollHOTP" | "enrollPUSH" | "enrollTAN" | "enrollTOTP" | "reset" | "resync" | "revoke" | "setdescription";

/**
 * Who is signed in where, and what they may do (offer only these actions).
 */
export type SelfServiceSession = { server: string, user: string, realm: string, verifyTls: boolean,
/**
 * privacyIDEA's action names of the known rights granted, e.g. `enrollTOTP`, `delete`.
 */
rights: Array<SelfServiceRight>, };

/**
 * The last server signed in to: no password, no session.
 */
export type LastServer = { server: string, user: string, realm: string | null, verifyTls: boolean,
/**
 * The server took the password only together with a one-time code: the form asks for
 * both up front (each password sent alone counts as a failure on the user's tokens).
 */
codeWithPassword: boolean, };

/**
 * The session, if any, and where the user last signed in (to fill the form).
 */
export type SelfServiceStatus = { session: SelfServiceSession | null, last: LastServer | null, };

/**
 * A token challenged in the second sign-in step.
 */
export type SelfServiceChallenge = { serial: string, kind: string,
/**
 * Tessera can compute its code (an account of this vault is linked to it).
 */
here: boolean, };

/**
 * Where a sign-in stands.
 */
export type SelfServiceStep = { "step": "signedIn", session: SelfServiceSession, } | { "step": "secondFactor", challenges: Array<SelfServiceChallenge>,
/**
 * A push token was challenged: approving it finishes the sign-in.
 */
push: boolean, };

/**
 * How the user answers the second step.
 */
export type SelfServiceAnswer = { "method": "tessera", serial: string, } | { "method": "code", code: string, } | { "method": "push" };

/**
 * `tessera_push::selfservice::TokenStatus::as_str()`.
 */
export type FactorStatus = "active" | "disabled" | "locked" | "revoked" | "unfinished";

/**
 * Where a factor lives in this Tessera.
 */
export type FactorHere = "account" | "push";

/**
 * One of the user's factors at the server.
 */
export type Factor = { serial: string,
/**
 * `totp`, `hotp`, `push`, `tan`, …
 */
kind: string, description: string,
/**
 * `active`, `disabled`, `locked`, `revoked` or `unfinished`.
 */
status: FactorStatus, failcount: number, maxfail: number,
/**
 * Unix seconds of the last use, when the server records it.
 */
lastUsed: number | null,
/**
 * Backup codes left (backup-code sets only).
 */
remainingCodes: number | null,
/**
 * When it lives in this Tessera: as an account or a push token.
 */
here: FactorHere | null,
/**
 * The vault account, when `here` is `account`.
 */
accountId: string | null, };

/**
 * What to enroll.
 */
export type EnrollKind = "totp" | "hotp" | "push";

/**
 * A token enrolled into this vault.
 */
export type Enrolled = { serial: string,
/**
 * The new vault account (TOTP/HOTP); push tokens have none.
 */
accountId: string | null, label: string, };

/**
 * Actions on one token that need nothing but its serial.
 */
export type TokenAction = "disable" | "enable" | "delete" | "reset";

/**
 * Where the two resync codes come from.
 */
export type ResyncCodes = { "method": "tessera" } | { "method": "typed", first: string, second: string, };

/**
 * A fresh set of backup codes, shown once.
 */
export type BackupCodes = { serial: string,
/**
 * The one secret-like thing sent to the webview on purpose: the user asked to see them
 * once, to print or save. Wiped here once serialized.
 */
codes: Array<string>, };

// ---- command names (src-tauri/src/commands/names.rs) ----

/** Command names as registered in src-tauri (`generate_handler!`, build.rs, capabilities). */
export const COMMANDS = {
  firstScreen: 'first_screen',
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

// ---- error codes (each error type's `ErrorCode::codes()`) ----

/**
 * Every error code the backend can send, by the Rust type that makes it; `toIpcError` turns
 * anything else into `unknown`. The UI has a text for each (checked by `errorTexts.test.ts`).
 */
export const IPC_ERROR_CODES = [
  // tessera_desktop::IpcErrorCode
  'locked',
  'no_vault',
  'not_found',
  'invalid_input',
  'clipboard',
  'clock',
  'no_deep_link',
  'verify_required',
  'verify_stand_in',
  'push_duplicate',
  'unknown',
  // tessera_core::VaultError
  'already_exists',
  'cannot_decrypt',
  'damaged',
  'different_vault',
  'disk_full',
  'empty_passphrase',
  'vault_held_open',
  'io',
  'kdf_params_rejected',
  'keychain_entry_missing',
  'keychain_mismatch',
  'no_keychain_slot',
  'no_passphrase',
  'no_randomness',
  'no_recovery_slot',
  'not_a_vault',
  'vault_not_found',
  'payload_unreadable',
  'rekeyed_elsewhere',
  'unsupported_version',
  'vault_replaced',
  'vault_rolled_back',
  'wrong_passphrase',
  'wrong_recovery_key',
  'keychain_bad_entry',
  'keychain_unavailable',
  // tessera_core::RecoveryKeyError
  'recovery_key_typo',
  'recovery_key_character',
  'recovery_key_length',
  // tessera_core::UriError
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
  // tessera_transfer::ImportError
  'account_restricted',
  'empty_file',
  'import_cancelled',
  'no_qr_code',
  'qr_not_account',
  'invalid_container',
  'kdf_budget_exceeded',
  'kdf_too_expensive',
  'limit_exceeded',
  'steam_folder_required',
  'password_required',
  'truncated',
  'unknown_format',
  'image_unreadable',
  'import_unsupported_version',
  'vault_without_passphrase',
  'wrong_password',
  // tessera_transfer::ExportError
  'empty_password',
  'encoding_failed',
  'encryption_failed',
  'invalid_kdf_params',
  // tessera_transfer::ReadError
  'file_too_large',
  'file_access',
  'no_file',
  // tessera_desktop::TransferErrorCode
  'import_gone',
  'password_mismatch',
  'plain_not_confirmed',
  'qr_render',
  // tessera_push::PushError
  'push_answer_mismatch',
  'push_bad_signature',
  'push_body_too_large',
  'push_clock_skew',
  'push_expired',
  'push_enrollment_refused',
  'push_enrollment_not_pending',
  'push_invalid_response',
  'push_invalid_stored_token',
  'push_key',
  'push_network',
  'push_polling_not_allowed',
  'push_replay',
  'push_server',
  'push_timeout',
  'push_token_unknown_to_server',
  'push_unknown_serial',
  'push_unverified_tls',
  'push_invalid_uri',
  'push_insecure_url',
  // tessera_push::PushStoreError
  'push_store_missing',
  'push_store_needs_vault',
  // tessera_verify::VerifyError
  'verify_refused',
  'verify_cancelled',
  'verify_timeout',
  'verify_unavailable',
  'verify_no_agent',
  'verify_biometric_unavailable',
  'verify_failed',
  // tessera_push::SelfServiceError
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
  // tessera_desktop::AppError
  'selfservice_signed_out',
  'selfservice_no_second_step',
  'selfservice_not_here',
  'selfservice_not_resyncable',
  'selfservice_code_with_password',
  // tessera_qr::DecodeError
  'image_empty',
  'image_file_too_large',
  'frame_size_mismatch',
  'image_malformed',
  'image_memory_limit',
  'image_too_large',
  'image_format_unsupported',
  // tessera_qr::ScreenError
  'screen_capture_cancelled',
  'screen_no_display',
  'screen_not_supported',
  'screen_portal_file',
  'screen_capture_refused',
  'screen_capture_timeout',
  'screen_portal_unavailable',
  'screen_pixel_format_unsupported',
  'screen_x11_failed',
  // tessera_qr::RenderError
  'qr_data_too_long',
  'qr_no_accounts',
  'qr_not_otpauth',
  'qr_not_portable',
  // tessera_qr::ClassifyError
  'qr_invalid_migration',
  'qr_invalid_otpauth',
  // tessera_qr::CollectError
  'migration_index_out_of_range',
  'migration_size_mismatch',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];
