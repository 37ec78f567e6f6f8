//! The one error type commands return. It crosses IPC as `{"code", "message"}`, plus `"field"`
//! for `invalid_input`.
//!
//! The UI branches on `code` only (`IPC_ERROR_CODES` in `ui/src/lib/ipc/contract.ts`); `message`
//! is English text for logs and as a fallback. Codes are the shell's own ([`IpcErrorCode`]) or
//! the core's stable `code()`s passed through (vault, keychain, recovery key, otpauth URI).
//! Messages never carry secrets, URIs or codes.

use serde::Serialize;
use tessera_core::VaultError;
use tessera_core::uri::UriError;
use tessera_core::vault::RecoveryKeyError;

/// The shell's own error codes, each one a branch in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IpcErrorCode {
    /// The vault is locked: show the unlock screen.
    Locked,
    /// No vault exists yet: show first run.
    NoVault,
    /// No account with that id (deleted meanwhile, e.g. by the CLI), or an expired undo token.
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
    /// Anything else (an OS integration failed); the message says what.
    Unknown,
}

impl IpcErrorCode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Locked => "locked",
            Self::NoVault => "no_vault",
            Self::NotFound => "not_found",
            Self::InvalidInput => "invalid_input",
            Self::Clipboard => "clipboard",
            Self::Clock => "clock",
            Self::NoDeepLink => "no_deep_link",
            Self::Unknown => "unknown",
        }
    }
}

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
            code: code.as_str(),
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

impl From<VaultError> for IpcError {
    fn from(error: VaultError) -> Self {
        // Vault messages name paths and what to do next, never key material.
        Self {
            code: error.code(),
            message: error.to_string(),
            field: None,
        }
    }
}

impl From<UriError> for IpcError {
    fn from(error: UriError) -> Self {
        // UriError messages never quote the URI.
        Self {
            code: error.code(),
            message: error.to_string(),
            field: None,
        }
    }
}

impl From<RecoveryKeyError> for IpcError {
    fn from(error: RecoveryKeyError) -> Self {
        // Positions and counts only, never the typed symbols.
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
    fn core_errors_keep_their_codes() {
        assert_eq!(
            IpcError::from(VaultError::WrongPassphrase).code,
            "wrong_passphrase"
        );
        assert_eq!(
            IpcError::from(UriError::MissingSecret).code,
            "missing_secret"
        );
        let typo = tessera_core::vault::RecoveryKey::parse("AAAA").unwrap_err();
        assert!(IpcError::from(typo).code.starts_with("recovery_key_"));
    }

    #[test]
    fn every_code_is_listed_in_the_typescript_contract() {
        let contract = include_str!("../../ui/src/lib/ipc/contract.ts");
        let own = [
            IpcErrorCode::Locked,
            IpcErrorCode::NoVault,
            IpcErrorCode::NotFound,
            IpcErrorCode::InvalidInput,
            IpcErrorCode::Clipboard,
            IpcErrorCode::Clock,
            IpcErrorCode::NoDeepLink,
            IpcErrorCode::Unknown,
        ];
        let core = [
            VaultError::WrongPassphrase.code(),
            VaultError::WrongRecoveryKey.code(),
            VaultError::KeychainEntryMissing.code(),
            VaultError::KeychainMismatch.code(),
            VaultError::NoKeychainSlot.code(),
            VaultError::Damaged { backups: 0 }.code(),
            VaultError::DiskFull.code(),
            VaultError::VaultReplaced.code(),
            VaultError::VaultRolledBack {
                found: 1,
                pinned: 2,
            }
            .code(),
            UriError::MissingSecret.code(),
            UriError::InvalidSecret.code(),
            UriError::NotOtpauth.code(),
        ];
        for code in own.iter().map(|code| code.as_str()).chain(core) {
            assert!(contract.contains(&format!("'{code}'")), "{code} missing");
        }
    }
}
