//! The privacyIDEA push protocol without I/O: messages, signatures, request states.
//!
//! Nothing here opens a socket, reads the clock or spawns a task: callers pass the time, the
//! HTTP status and body, and get back what to send. Protocol doc: §3-§10.

mod answer;
mod clock;
mod enroll;
mod inbox;
mod keys;
mod poll;
mod response;

pub use answer::{AnswerOutcome, AnswerRequest, Decision, DeclineReason, parse_answer_response};
pub use clock::{ClockOffset, format_timestamp};
pub(crate) use enroll::is_loopback;
pub(crate) use enroll::token_id;
pub use enroll::{EnrollRequest, EnrollmentUri, ForceUnlock, is_push_link, parse_enroll_response};
pub use inbox::{Admission, Inbox, REQUEST_LIFETIME, expires_at};
pub use keys::{DeviceKey, KeySize, ServerKey};
pub use poll::{
    MAX_NONCE_LEN, PollRequest, PushRequest, Unverified, Verified, parse_poll_response,
};

#[cfg(test)]
pub(crate) mod tests {
    //! The real challenge captured from privacyIDEA 3.14 (protocol doc §19).

    use std::time::SystemTime;

    use serde_json::Value;

    use super::keys::{test_key, test_key_as_server};
    use super::{PushRequest, ServerKey, Unverified, Verified, parse_poll_response};

    /// `detail.public_key` exactly as received, with its `\n` line breaks.
    pub(crate) const VECTOR_SERVER_KEY: &str = tessera_testkit::capture::SERVER_KEY;

    pub(crate) fn vector_server_key() -> ServerKey {
        #[allow(clippy::unwrap_used)]
        ServerKey::from_server_text(VECTOR_SERVER_KEY).unwrap()
    }

    /// The challenge entry from the poll answer, verbatim.
    pub(crate) fn vector_entry() -> Value {
        #[allow(clippy::unwrap_used)]
        serde_json::from_str(tessera_testkit::capture::CHALLENGE).unwrap()
    }

    /// A challenge signed like the server does, with our test key in the server's role.
    pub(crate) fn signed_entry(require_presence: Option<&str>, capabilities: bool) -> Value {
        let key = test_key();
        let mut main = "NONCE1|http://pi.example/ttype/push|PIPU1|Q|T|1".to_owned();
        let mut entry = serde_json::json!({
            "nonce": "NONCE1", "url": "http://pi.example/ttype/push", "serial": "PIPU1",
            "question": "Q", "title": "T", "sslverify": "1",
        });
        if let Some(options) = require_presence {
            main.push('|');
            main.push_str(options);
            entry["require_presence"] = Value::String(options.into());
            entry["version"] = Value::String("2".into());
        }
        entry["signature"] = Value::String(key.sign_b32(&main));
        if capabilities {
            entry["capabilities"] = Value::String(r#"{"decline_reason": true}"#.into());
            entry["capabilities_signature"] = Value::String(
                key.sign_b32(r#"{"capabilities":{"decline_reason":true},"nonce":"NONCE1"}"#),
            );
        }
        entry
    }

    /// A fixed "now" for parsing (the capture's day).
    pub(crate) fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_946_876)
    }

    /// A poll answer carrying `entries`.
    #[allow(clippy::unwrap_used)]
    pub(crate) fn poll_body(entries: &[Value]) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "id": 1, "jsonrpc": "2.0",
            "result": {"status": true, "value": entries},
        }))
        .unwrap()
    }

    /// One well-formed `entry`, parsed from a poll answer (not verified).
    #[allow(clippy::unwrap_used)]
    pub(crate) fn parsed(entry: Value) -> PushRequest<Unverified> {
        let (mut requests, malformed) =
            parse_poll_response(200, &poll_body(&[entry]), now()).unwrap();
        assert_eq!(malformed, 0);
        requests.pop().unwrap()
    }

    /// [`signed_entry`] as the verified request a poll brings.
    #[allow(clippy::unwrap_used)]
    pub(crate) fn signed_request(
        require_presence: Option<&str>,
        capabilities: bool,
    ) -> PushRequest<Verified> {
        let body = serde_json::json!({
            "result": {"status": true, "value": [signed_entry(require_presence, capabilities)]},
        });
        let (mut requests, _) =
            parse_poll_response(200, body.to_string().as_bytes(), SystemTime::now()).unwrap();
        requests
            .pop()
            .unwrap()
            .verify(&test_key_as_server())
            .unwrap()
    }

    #[test]
    fn vector_key_is_rsa_4096() {
        assert_eq!(format!("{:?}", vector_server_key()), "ServerKey(rsa-4096)");
    }
}
