//! How errors leave the process: `error: <message> (<code>)` on stderr, then a `hint:` line
//! saying what to do next when there is one, a typed exit status (see [`status`]), and silence
//! when stdout was closed early (`| head`).

use std::error::Error;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::eprintln;
use tessera_core::keystore::KeyStoreError;
use tessera_core::uri::UriError;
use tessera_core::vault::RecoveryKeyError;
use tessera_core::{ErrorCode, VaultError};
use tessera_push::PushError;
use tessera_push::selfservice::SelfServiceError;
use tessera_qr::screen::ScreenError;
use tessera_qr::{DecodeError, RenderError};
use tessera_transfer::ImportError;
use tessera_transfer::export::ExportError;

use crate::sanitize::sanitize;

/// Exit statuses of the CLI (also listed in `tessera --help`).
pub(crate) mod status {
    /// Anything else that failed (I/O, a damaged vault, the clipboard).
    pub(crate) const FAILURE: u8 = 1;
    /// Bad arguments or input (clap's usage errors use 2 too).
    pub(crate) const BAD_INPUT: u8 = 2;
    /// No account matches the query, or the vault has none.
    pub(crate) const NO_MATCH: u8 = 3;
    /// Several accounts match the query; the candidates are listed.
    pub(crate) const AMBIGUOUS: u8 = 4;
    /// The vault stays locked: keychain unusable, wrong passphrase or recovery key.
    pub(crate) const LOCKED: u8 = 5;
}

/// Conditions the CLI itself reports (the core's errors keep their own types and codes).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error("\"{query}\" matches {} accounts", candidates.len())]
    Ambiguous {
        query: String,
        /// `<short id>  <label>`, already sanitized for the terminal.
        candidates: Vec<String>,
    },
    #[error("cancelled: nothing was changed")]
    Cancelled,
    #[error("the clipboard cannot be used ({reason})")]
    Clipboard { reason: String },
    #[error("{what} needs a confirmation")]
    ConfirmationNeeded { what: &'static str },
    #[error("--copy needs one account: give a QUERY or --uri")]
    CopyNeedsOneAccount,
    #[error("the HOTP counter of this account is at its maximum")]
    CounterExhausted,
    #[error("the vault already has this account: {label}")]
    Duplicate { label: String },
    #[error("standard input holds no URI")]
    EmptyStdin,
    #[error("{} already exists", path.display())]
    FileExists { path: PathBuf },
    #[error("{} is too large to be an export file or image", path.display())]
    FileTooLarge { path: PathBuf },
    #[error("{0}")]
    InvalidParameters(&'static str),
    #[error("a tag cannot be empty or contain control characters")]
    InvalidTag,
    #[error("the vault has no accounts")]
    NoAccounts,
    #[error("nothing to change: pass --issuer, --name, --icon or --no-icon")]
    NoChange,
    #[error("give the account an issuer or a name (or both)")]
    NoLabel,
    #[error("no account matches \"{query}\"")]
    NoMatch { query: String },
    #[error("no push token matches \"{query}\"")]
    NoPushToken { query: String },
    #[error("the vault has no push tokens")]
    NoPushTokens,
    #[error("{needed} is needed, but standard input is not a terminal to ask on")]
    NotATerminal {
        needed: &'static str,
        /// The option that reads it from standard input instead.
        flag: &'static str,
    },
    #[error("no kept earlier version of {} opens", path.display())]
    NoKeptVersion { path: PathBuf },
    #[error("no home directory is known, so there is no default vault path")]
    NoVaultPath,
    #[error("the {0} to sign in to is not given, and none is remembered from an earlier sign-in")]
    NoServer(&'static str),
    #[error("the two passphrases differ")]
    PassphraseMismatch,
    #[error("standard input ended before the {0}")]
    StdinEnded(&'static str),
    #[error("standard input is longer than one URI can be")]
    StdinTooLong,
    #[error("{failed} of {total} images could not be read")]
    ScanIncomplete { failed: usize, total: usize },
    #[error("{0}")]
    UnlockConflict(&'static str),
}

tessera_core::error_codes!(CliError {
    Ambiguous => "ambiguous",
    Cancelled => "cancelled",
    Clipboard => "clipboard_unavailable",
    ConfirmationNeeded => "confirmation_needed",
    CopyNeedsOneAccount => "copy_needs_one_account",
    CounterExhausted => "counter_exhausted",
    Duplicate => "duplicate_account",
    EmptyStdin => "empty_stdin",
    FileExists => "file_exists",
    FileTooLarge => "file_too_large",
    InvalidParameters => "invalid_parameters",
    InvalidTag => "invalid_tag",
    NoAccounts => "no_accounts",
    NoChange => "nothing_to_change",
    NoLabel => "missing_label",
    NoMatch => "no_match",
    NoPushToken => "no_push_token",
    NoPushTokens => "no_push_tokens",
    NotATerminal => "not_a_terminal",
    NoKeptVersion => "no_kept_version",
    NoVaultPath => "no_vault_path",
    NoServer => "no_server",
    PassphraseMismatch => "passphrase_mismatch",
    StdinEnded => "stdin_ended",
    StdinTooLong => "stdin_too_long",
    ScanIncomplete => "scan_incomplete",
    UnlockConflict => "conflicting_unlock",
});

impl CliError {
    fn status(&self) -> u8 {
        match self {
            Self::Ambiguous { .. } => status::AMBIGUOUS,
            Self::NoAccounts
            | Self::NoMatch { .. }
            | Self::NoPushToken { .. }
            | Self::NoPushTokens => status::NO_MATCH,
            Self::Cancelled
            | Self::Clipboard { .. }
            | Self::CounterExhausted
            | Self::Duplicate { .. }
            | Self::FileExists { .. }
            | Self::FileTooLarge { .. }
            | Self::NoKeptVersion { .. }
            | Self::NoVaultPath => status::FAILURE,
            Self::ConfirmationNeeded { .. }
            | Self::CopyNeedsOneAccount
            | Self::EmptyStdin
            | Self::InvalidParameters(_)
            | Self::InvalidTag
            | Self::NoChange
            | Self::NoLabel
            | Self::NoServer(_)
            | Self::NotATerminal { .. }
            | Self::PassphraseMismatch
            | Self::StdinEnded(_)
            | Self::StdinTooLong
            | Self::ScanIncomplete { .. }
            | Self::UnlockConflict(_) => status::BAD_INPUT,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::Ambiguous { candidates, .. } => format!(
                "{}\nhint: be more precise (`Issuer:name`, the whole issuer or name), or use the \
                 id from `tessera list`",
                candidates
                    .iter()
                    .map(|line| format!("  {line}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            Self::ConfirmationNeeded { .. } => {
                "pass --yes, or run the command in a terminal to be asked".into()
            }
            Self::Clipboard { .. } => {
                "run `tessera code QUERY` without --copy to print the code instead".into()
            }
            Self::Duplicate { .. } => "`tessera list` shows the accounts the vault has".into(),
            Self::FileExists { .. } => "pass --force to replace it, or choose another path".into(),
            Self::NoAccounts => "add one with `tessera add`".into(),
            Self::NoMatch { .. } => "`tessera list` shows every account".into(),
            Self::NoPushToken { .. } => "`tessera push list` shows the push tokens".into(),
            Self::NoPushTokens => {
                "enroll one with `tessera push enroll URI` (the link or QR code your \
                 organisation gives)"
                    .into()
            }
            Self::NotATerminal { flag, .. } => {
                format!("pass {flag} and write it as one line on standard input")
            }
            Self::NoVaultPath => "pass --vault PATH or set TESSERA_VAULT".into(),
            Self::NoServer(_) => "pass --server URL --user NAME (and --realm if needed) once: \
                                  later `tessera account` commands remember them"
                .into(),
            Self::ScanIncomplete { .. } => {
                "the lines marked unreadable say why; the other images were scanned".into()
            }
            _ => return None,
        })
    }
}

/// Prints `error` and returns the exit code for it.
pub(crate) fn report(error: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(error) {
        // The reader went away (e.g. `| head -1`): nothing to report, like ripgrep.
        return ExitCode::SUCCESS;
    }
    let Described { status, code, hint } = describe(error);
    // `{:#}` prints the context chain on one line. Error messages never contain secrets, but
    // they may quote account labels and paths from files, so they are sanitized like any
    // untrusted text.
    let message = format!("{error:#}");
    eprintln!("\x1b[1;31merror:\x1b[0m {} ({code})", sanitize(&message));
    if let Some(hint) = hint {
        // Multi-line hints carry their own `hint:` prefix on the last line.
        if hint.contains("\nhint: ") {
            eprintln!("{hint}");
        } else {
            eprintln!("\x1b[1mhint:\x1b[0m {hint}");
        }
    }
    ExitCode::from(status)
}

/// The stable code of an error, for a failure listed among results (`tessera scan`).
pub(crate) fn code(error: &anyhow::Error) -> &'static str {
    describe(error).code
}

struct Described {
    status: u8,
    code: &'static str,
    hint: Option<String>,
}

impl Described {
    /// A failure with `error`'s code, whose hint, if any, is fixed text.
    fn fixed(error: &impl ErrorCode, status: u8, hint: Option<&str>) -> Self {
        Self {
            status,
            code: error.code(),
            hint: hint.map(str::to_owned),
        }
    }
}

/// An error type the CLI reports with its own exit status and hint.
trait Failure: ErrorCode + Error + 'static {
    fn describe(&self) -> Described;
}

/// `cause` described as an `E`, if it is one.
fn describe_as<E: Failure>(cause: &(dyn Error + 'static)) -> Option<Described> {
    cause.downcast_ref::<E>().map(E::describe)
}

/// Every [`Failure`] type, tried on each cause of an error chain (a cause is at most one of them).
const FAILURES: &[fn(&(dyn Error + 'static)) -> Option<Described>] = &[
    describe_as::<CliError>,
    describe_as::<VaultError>,
    describe_as::<KeyStoreError>,
    describe_as::<RecoveryKeyError>,
    describe_as::<UriError>,
    describe_as::<ImportError>,
    describe_as::<ExportError>,
    describe_as::<DecodeError>,
    describe_as::<ScreenError>,
    describe_as::<RenderError>,
    describe_as::<PushError>,
    describe_as::<SelfServiceError>,
];

/// The outermost cause the CLI knows describes the error; a bare I/O error or anything else is
/// a plain failure.
fn describe(error: &anyhow::Error) -> Described {
    for cause in error.chain() {
        if let Some(described) = FAILURES.iter().find_map(|describe| describe(cause)) {
            return described;
        }
        if cause.is::<io::Error>() {
            return Described {
                status: status::FAILURE,
                code: "io_error",
                hint: None,
            };
        }
    }
    Described {
        status: status::FAILURE,
        code: "internal",
        hint: None,
    }
}

impl Failure for CliError {
    fn describe(&self) -> Described {
        Described {
            status: self.status(),
            code: self.code(),
            hint: self.hint(),
        }
    }
}

impl Failure for KeyStoreError {
    fn describe(&self) -> Described {
        Described::fixed(self, status::LOCKED, Some(UNLOCK_HINT))
    }
}

impl Failure for RecoveryKeyError {
    fn describe(&self) -> Described {
        Described::fixed(self, status::BAD_INPUT, None)
    }
}

impl Failure for UriError {
    fn describe(&self) -> Described {
        Described::fixed(self, status::BAD_INPUT, None)
    }
}

impl Failure for ExportError {
    fn describe(&self) -> Described {
        let status = if matches!(self, Self::EmptyPassword) {
            status::BAD_INPUT
        } else {
            status::FAILURE
        };
        Described::fixed(self, status, None)
    }
}

impl Failure for DecodeError {
    fn describe(&self) -> Described {
        Described::fixed(self, status::BAD_INPUT, None)
    }
}

impl Failure for ScreenError {
    fn describe(&self) -> Described {
        let hint = matches!(self, Self::NoDisplay | Self::NotSupported)
            .then_some("take a screenshot and pass it: `tessera scan FILE`");
        Described::fixed(self, status::FAILURE, hint)
    }
}

impl Failure for RenderError {
    fn describe(&self) -> Described {
        Described::fixed(self, status::FAILURE, None)
    }
}

const NETWORK_HINT: &str = "check the network connection and the server address, then try again";

impl Failure for PushError {
    fn describe(&self) -> Described {
        let (status, hint) = match self {
            PushError::InvalidUri(tessera_push::UriError::InsecureUrl) => (
                status::BAD_INPUT,
                Some(
                    "ask your organisation for an https:// enrollment link (plain http only to this computer)",
                ),
            ),
            PushError::UnverifiedTls => (
                status::BAD_INPUT,
                Some(
                    "the link turns TLS certificate checks off: add --allow-unverified-tls only if you trust every network between here and the server",
                ),
            ),
            PushError::InvalidUri(_) => (
                status::BAD_INPUT,
                Some("give the otpauth://pipush/… link from your organisation's enrollment page"),
            ),
            PushError::EnrollmentRefused | PushError::EnrollmentNotPending => (
                status::FAILURE,
                Some("an enrollment link works once and for a few minutes: ask for a new one"),
            ),
            PushError::ClockSkew { .. } => (
                status::FAILURE,
                Some("set this computer's clock right (turn on automatic time)"),
            ),
            PushError::TokenUnknownToServer => (
                status::FAILURE,
                Some("your organisation revoked this token: `tessera push rm ID` removes it here"),
            ),
            PushError::Network(_) | PushError::Timeout => (status::FAILURE, Some(NETWORK_HINT)),
            _ => (status::FAILURE, None),
        };
        Described::fixed(self, status, hint)
    }
}

impl Failure for SelfServiceError {
    fn describe(&self) -> Described {
        if let SelfServiceError::Push(push) = self {
            // Reported as the push failure it is (its own code, status and hint).
            return push.describe();
        }
        let (status, hint) = match self {
            SelfServiceError::BadServerUrl | SelfServiceError::InsecureServerUrl => (
                status::BAD_INPUT,
                Some("give the server as https://host[/path] (plain http only to this computer)"),
            ),
            SelfServiceError::BadCredentials { with_code: true } => (
                status::FAILURE,
                Some(
                    "this server wants the password and a one-time code: the code is asked \
                     after the password (on standard input: the line after it)",
                ),
            ),
            SelfServiceError::BadCredentials { .. } => (
                status::FAILURE,
                Some("check the user name, realm and password (and the code, if one was asked)"),
            ),
            SelfServiceError::NotAllowed(_) | SelfServiceError::PolicyRefused => (
                status::FAILURE,
                Some(
                    "this is your organisation's choice: ask its IT service to do it or to allow it",
                ),
            ),
            SelfServiceError::TokenNotFound => (
                status::NO_MATCH,
                Some("`tessera account tokens` lists the serials of your tokens"),
            ),
            SelfServiceError::ResyncFailed => (
                status::FAILURE,
                Some("give two codes shown one after the other by the same token"),
            ),
            SelfServiceError::Network(_) | SelfServiceError::Timeout => {
                (status::FAILURE, Some(NETWORK_HINT))
            }
            _ => (status::FAILURE, None),
        };
        Described::fixed(self, status, hint)
    }
}

const UNLOCK_HINT: &str = "pass --recovery-key-stdin or --passphrase-stdin with the secret on \
     standard input, or run `tessera unlock --recovery-key` in a terminal: it binds the system \
     keychain again so later commands ask for nothing";

impl Failure for ImportError {
    fn describe(&self) -> Described {
        let hint = match self {
            ImportError::PasswordRequired { .. } => Some(
                "pass --password-stdin and write the file's password as one line on standard input \
             (after the vault's unlock secret, if any), or run the command in a terminal",
            ),
            ImportError::WrongPassword { .. } => {
                Some("check the password the app asked for when it exported")
            }
            ImportError::NoQrCode => Some("take the screenshot with the whole QR code in view"),
            ImportError::SteamFolderRequired => Some("pass the folder, or all its files at once"),
            _ => None,
        };
        Described::fixed(self, status::BAD_INPUT, hint)
    }
}

impl Failure for VaultError {
    fn describe(&self) -> Described {
        let (status, hint): (u8, Option<&str>) = if self.needs_other_unlock() {
            (status::LOCKED, Some(UNLOCK_HINT))
        } else {
            match self.code() {
                "wrong_passphrase" | "no_passphrase" => (
                    status::LOCKED,
                    Some("use --recovery-key-stdin (or `tessera unlock --recovery-key`) instead"),
                ),
                "wrong_recovery_key" | "no_recovery_slot" => (
                    status::LOCKED,
                    Some(
                        "a rotated recovery key replaces the old one: use the newest key you wrote \
                     down, or your passphrase (--passphrase-stdin)",
                    ),
                ),
                "empty_passphrase" => (status::BAD_INPUT, None),
                "vault_not_found" => (
                    status::FAILURE,
                    Some(
                        "create one with `tessera init`, or pass --vault PATH (or set TESSERA_VAULT)",
                    ),
                ),
                "already_exists" => (
                    status::FAILURE,
                    Some("`tessera list` shows what it holds; `--vault PATH` picks another file"),
                ),
                // The keychain's pin refuses the file. The recovery key or passphrase is not the
                // way past it: a forged file may carry slots copied from the user's own (they wrap
                // to public keys), so only the user's word (`restore --this-file`, which re-keys
                // from the secret they give) or a file the keychain opens gets past it.
                "vault_rolled_back" => (
                    status::FAILURE,
                    Some(
                        "put the newer vault file back if you have it, or `tessera restore --kept` \
                     for the newest kept version (this file is moved aside, not deleted); to \
                     keep this older copy, `tessera restore --this-file` re-keys it from your \
                     recovery key or passphrase",
                    ),
                ),
                "vault_replaced" => (
                    status::FAILURE,
                    Some(
                        "someone or something replaced the vault file: put your own file back, or \
                     `tessera restore --kept` for the newest kept version (this file is moved \
                     aside, not deleted); only if you know where this file comes from, `tessera \
                     restore --this-file` keeps it",
                    ),
                ),
                "damaged" | "cannot_decrypt" => (
                    status::FAILURE,
                    Some(
                        "`tessera restore --kept` puts the newest kept version back (the damaged \
                     file is moved aside, not deleted)",
                    ),
                ),
                _ => (status::FAILURE, None),
            }
        };
        Described::fixed(self, status, hint)
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                .is_some_and(|kind| kind == io::ErrorKind::BrokenPipe)
    })
}
