// GENERATED from the Rust DTOs of src-tauri by ts-rs: do not edit.
// Change the Rust types, then regenerate with
//   TESSERA_WRITE_BINDINGS=1 cargo nextest run -p tessera-desktop generated_typescript
// (src-tauri/src/dto/bindings.rs); the Rust tests fail while this file differs.

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

export type ShortcutAction = "lock" | "add" | "search";

/**
 * What Rust tells the UI without being asked, on the channel of `subscribe_events`.
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
items: Array<ImportItem>, };

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
 * Events on the channel of `subscribe_push`.
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

// ---- QR codes (src-tauri/src/dto/qr.rs) ----

/**
 * What one QR code holds.
 */
export type QrItemKind = "account" | "push" | "other" | "invalid";

/**
 * For accounts: `new`, `duplicate` (the vault has it), or `waiting` (its Google Authenticator
 * export has codes not scanned yet). Empty for the other kinds.
 */
export type QrItemStatus = "new" | "duplicate" | "waiting" | "";

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
export type LastServer = { server: string, user: string, realm: string | null, verifyTls: boolean, };

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
