//! The one error type commands return. It crosses IPC as `{"code", "message"}`, plus `"field"`
//! for `invalid_input`.
//!
//! The UI branches on `code` only; `message` is English text for logs and as a fallback. Codes
//! are the shell's own ([`IpcErrorCode`]) or the crates' stable codes passed through: any
//! [`ErrorCode`] error converts with `?`. `contract.rs` generates the UI's list of every
//! code (`IPC_ERROR_CODES` in `ui/src/lib/ipc/generated.ts`) from their `ErrorCode::codes()`.
//! Messages never carry secrets, URIs or codes.

use std::fmt::Display;

use serde::Serialize;
use tessera_core::ErrorCode;

/// The shell's own error codes, each one a branch in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IpcErrorCode {
    /// The vault is locked: show the unlock screen.
    Locked,
    /// No vault exists yet: show first run.
    NoVault,
    /// No account with that id (deleted meanwhile, e.g. by the CLI), or an expired undo token,
    /// scan, sign-in request or push token.
    NotFound,
    /// A form value is not acceptable; `field` says which.
    InvalidInput,
    /// The system clipboard could not be written.
    Clipboard,
    /// The system clock reads before 1970: no time-based code can be right, so the UI says to fix
    /// the clock rather than showing wrong codes.
    Clock,
    /// `confirm_deep_link` with no link waiting.
    NoDeepLink,
    /// The vault asks for the OS's verification before a keychain unlock, and the attempt was
    /// not the user's (the silent one at start): the lock screen's button asks.
    VerifyRequired,
    /// The OS has no verifier here: the vault passphrase or recovery key may stand in.
    VerifyStandIn,
    /// The push token of this enrollment link is already in the vault.
    PushDuplicate,
    /// Anything else (an OS integration failed); the message says what.
    Unknown,
}

tessera_core::error_codes!(pub(crate) IpcErrorCode {
    Locked => "locked",
    NoVault => "no_vault",
    NotFound => "not_found",
    InvalidInput => "invalid_input",
    Clipboard => "clipboard",
    Clock => "clock",
    NoDeepLink => "no_deep_link",
    VerifyRequired => "verify_required",
    VerifyStandIn => "verify_stand_in",
    PushDuplicate => "push_duplicate",
    Unknown => "unknown",
});

/// The account form field an `invalid_input` error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "InvalidField"))]
#[serde(rename_all = "lowercase")]
/// (The contract also names `name` and `counter`; no check of this version faults them: an empty
/// name is reported on `issuer`, and any u64 is a valid counter.)
pub(crate) enum Field {
    Issuer,
    Secret,
    Digits,
    Period,
}

/// A command failure as the webview sees it.
///
/// In TypeScript `IpcErrorDto`, as it comes over the wire: the UI's `IpcError` is what
/// `toIpcError` makes of it (a known code, or `unknown`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "IpcErrorDto"))]
#[error("{message}")]
pub(crate) struct IpcError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub(crate) field: Option<Field>,
}

impl IpcError {
    pub(crate) fn new(code: IpcErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: code.code(),
            message: message.into(),
            field: None,
        }
    }

    pub(crate) fn clock() -> Self {
        Self::new(IpcErrorCode::Clock, "the system clock is set before 1970")
    }

    pub(crate) fn locked() -> Self {
        Self::new(IpcErrorCode::Locked, "the vault is locked: unlock it first")
    }

    pub(crate) fn no_vault() -> Self {
        Self::new(IpcErrorCode::NoVault, "there is no vault yet: create one")
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(IpcErrorCode::NotFound, format!("no such {what}"))
    }

    pub(crate) fn invalid(field: Option<Field>, message: impl Into<String>) -> Self {
        Self {
            field,
            ..Self::new(IpcErrorCode::InvalidInput, message)
        }
    }
}

/// Any coded error crosses IPC with its code and its message. The crates' messages name paths,
/// formats, counts and what to do next, never a secret, a URI, a password or a server's text
/// (each error type documents it); that is what lets them through here unfiltered.
///
/// (`IpcError` itself is not an `ErrorCode`, so this does not overlap `From<T> for T`.)
impl<E: ErrorCode + Display> From<E> for IpcError {
    fn from(error: E) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
            field: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn serializes_as_code_and_message_and_field_only_when_set() {
        let json = serde_json::to_value(IpcError::clock()).unwrap();
        assert_eq!(
            json,
            json!({"code": "clock", "message": "the system clock is set before 1970"})
        );
        let json = serde_json::to_value(IpcError::invalid(Some(Field::Digits), "5 to 10")).unwrap();
        assert_eq!(
            json,
            json!({"code": "invalid_input", "message": "5 to 10", "field": "digits"})
        );
    }

    #[test]
    fn coded_errors_keep_their_codes_and_messages() {
        use tessera_core::VaultError;
        use tessera_core::uri::UriError;

        let error = IpcError::from(VaultError::WrongPassphrase);
        assert_eq!(error.code, "wrong_passphrase");
        assert_eq!(error.message, VaultError::WrongPassphrase.to_string());
        assert_eq!(error.field, None);
        assert_eq!(
            IpcError::from(UriError::MissingSecret).code,
            "missing_secret"
        );
        let typo = tessera_core::vault::RecoveryKey::parse("AAAA").unwrap_err();
        assert!(IpcError::from(typo).code.starts_with("recovery_key_"));
    }
}
