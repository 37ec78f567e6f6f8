//! The one error type commands return. It crosses IPC as `{"code": "...", "message": "..."}`.
//!
//! The UI branches on `code` only (see `ui/src/lib/ipc/errors.ts`); `message` is English text for
//! logs and as a fallback. A code is added only when the UI handles it differently, and messages
//! never carry secrets, URIs or codes.

use serde::Serialize;

/// Stable error codes shared with the UI (`IpcErrorCode` in `ui/src/lib/ipc/contract.ts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum IpcErrorCode {
    /// The system clock reads before 1970: no time-based code can be right, so the UI says to fix
    /// the clock rather than showing wrong codes.
    Clock,
}

/// A command failure as the webview sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub(crate) struct IpcError {
    pub(crate) code: IpcErrorCode,
    pub(crate) message: String,
}

impl IpcError {
    pub(crate) fn clock() -> Self {
        Self {
            code: IpcErrorCode::Clock,
            message: "the system clock is set before 1970".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message_only() {
        let json = serde_json::to_value(IpcError::clock()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "clock", "message": "the system clock is set before 1970"})
        );
    }
}
