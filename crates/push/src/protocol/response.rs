//! The JSON envelope every privacyIDEA answer comes in (protocol doc §13).
//!
//! `{"result": {"status": bool, "value": …, "error": {"code", "message"}}, "detail": …}`.
//! The `signature` field (`rsa_sha256_pss:…`, the audit key) is ignored on purpose: push trust
//! rests on the per-token keys (doc §14).

use serde_json::Value;

use crate::PushError;

/// An error object from the server. The message is kept for matching, never shown as is.
#[derive(Debug)]
pub(crate) struct ServerError {
    pub(crate) code: Option<i64>,
    pub(crate) message: String,
}

#[derive(Debug)]
pub(crate) struct Envelope {
    status: u16,
    body: Value,
}

impl Envelope {
    /// Parses a body that must be a JSON object with a `result` object. A non-JSON body on an
    /// error status is that status; on 200 it is an invalid response.
    pub(crate) fn parse(status: u16, body: &[u8]) -> Result<Self, PushError> {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        match parsed {
            Some(body @ Value::Object(_)) if body.get("result").is_some_and(Value::is_object) => {
                Ok(Self { status, body })
            }
            _ if !(200..300).contains(&status) => Err(PushError::Server { status, code: None }),
            _ => Err(PushError::InvalidResponse("not a privacyIDEA JSON answer")),
        }
    }

    /// The error, when the server reports one (HTTP error status or `result.status: false`).
    pub(crate) fn error(&self) -> Option<ServerError> {
        let result = &self.body["result"];
        let failed = result.get("status").and_then(Value::as_bool) != Some(true)
            || !(200..300).contains(&self.status);
        if !failed {
            return None;
        }
        let error = result.get("error");
        Some(ServerError {
            code: error.and_then(|e| e.get("code")).and_then(Value::as_i64),
            message: error
                .and_then(|e| e.get("message"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        })
    }

    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn value(&self) -> Option<&Value> {
        self.body["result"].get("value")
    }

    pub(crate) fn detail(&self) -> Option<&Value> {
        self.body.get("detail").filter(|detail| !detail.is_null())
    }

    /// The error as a [`PushError`], for answers without a more specific mapping.
    pub(crate) fn generic_error(&self, error: &ServerError) -> PushError {
        PushError::Server {
            status: self.status,
            code: error.code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_classified_by_status() {
        assert!(matches!(
            Envelope::parse(200, b"<html>"),
            Err(PushError::InvalidResponse(_))
        ));
        assert!(matches!(
            Envelope::parse(502, b"<html>bad gateway"),
            Err(PushError::Server {
                status: 502,
                code: None
            })
        ));
        assert!(matches!(
            Envelope::parse(200, b"[1,2]"),
            Err(PushError::InvalidResponse(_))
        ));
        assert!(matches!(
            Envelope::parse(200, br#"{"result": 5}"#),
            Err(PushError::InvalidResponse(_))
        ));
        let deep = "[".repeat(100_000);
        assert!(Envelope::parse(200, deep.as_bytes()).is_err());
    }

    #[test]
    fn errors_and_values() {
        let envelope = Envelope::parse(
            400,
            br#"{"detail": null, "result": {"error": {"code": 10, "message": "ERR10: Could not verify signature!"}, "status": false}}"#,
        )
        .unwrap();
        let error = envelope.error().unwrap();
        assert_eq!(error.code, Some(10));
        assert!(error.message.contains("Could not verify"));
        assert!(envelope.detail().is_none());
        let ok = Envelope::parse(200, br#"{"result": {"status": true, "value": [1]}}"#).unwrap();
        assert!(ok.error().is_none());
        assert_eq!(ok.value().unwrap()[0], 1);
    }
}
