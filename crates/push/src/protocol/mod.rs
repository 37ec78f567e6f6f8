//! The privacyIDEA push protocol without I/O: messages, signatures, request states.
//!
//! Nothing here opens a socket, reads the clock or spawns a task: callers pass the time, the
//! HTTP status and body, and get back what to send. Protocol doc: §3-§10.

mod clock;
mod enroll;
mod inbox;
mod keys;
mod request;
mod response;

pub use clock::{ClockOffset, format_timestamp};
pub(crate) use enroll::is_loopback;
pub use enroll::{EnrollRequest, EnrollmentUri, ForceUnlock, is_push_link, parse_enroll_response};
pub use inbox::{Admission, Inbox, REQUEST_LIFETIME, expires_at};
pub use keys::{DeviceKey, KeySize, ServerKey};
pub use request::{
    AnswerOutcome, AnswerRequest, Decision, DeclineReason, MAX_NONCE_LEN, PollRequest, PushRequest,
    Unverified, Verified, parse_answer_response, parse_poll_response,
};

#[cfg(test)]
pub(crate) mod tests {
    //! The real challenge captured from privacyIDEA 3.14 (protocol doc §19).

    use std::time::SystemTime;

    use serde_json::Value;

    use super::keys::{test_key, test_key_as_server};
    use super::{PushRequest, ServerKey, Verified, parse_poll_response};

    /// `detail.public_key` exactly as received, with its `\n` line breaks.
    pub(crate) const VECTOR_SERVER_KEY: &str =
        "MIICCgKCAgEAq6zM29t+KdHjeykDbi43buyLBl0AY/MDFZw7knum6iTnzd3dqs1t
VYWGt6jHEVQxeq+cxv803j2l0obQ9D0cVuffchzEb3qGuWg56CCLNmbPCckwlkLe
6pqLnowRFaUrmT9UbDqPwulnR3ReEyufAcn2FlVecnrRTT92BHt+ZE/HbZwzLF7M
ANpnwGCh4QKelnmTOBz26AKF/noFeKMbCgnxUpd/So+BDThC1fH5a+X+BFPWyAoA
5yK4lcPuc3XiBOYnlIOpQtjgVe9hHbc63cLOFPitqoFqrY6SMlXZqRkcYjiv0+xY
jwzlXKDg4pqDhiz+1xw38L/l3aVY8THtOMWy20Sb8vHDkVsvD2NLNu+P8ogZKW8q
BEPEB+Xkmj8NoW6t5TJbnT2IY7uTpmZUmjWkS6wrmPRTxmu9jSAaay8cSw+JcML9
CxxlQOaTZ57oOu52Cs3vvB3xIUOFt/ftKYytkFtUB4P/kKE4QGhYG0o8FqcQgJCj
pu815P5eKN5gAg22WSukhjPJJXB5dbXK9+zA+A1+wgxHdOIX7U8b9GDTcwBI61g3
Sqf4xTxZ37Z/fWHFClRuGDkIVtYF6mQqUs7mymbNrQNCPwTWA3SpgtkHa8fbG9Ro
5+X7IvNGJjoeyEOD/eebcqDEfFAPOhaMMWRF6Zn+FHG39wmbBbPZhuMCAwEAAQ==";

    pub(crate) fn vector_server_key() -> ServerKey {
        #[allow(clippy::unwrap_used)]
        ServerKey::from_server_text(VECTOR_SERVER_KEY).unwrap()
    }

    /// The challenge entry from the poll answer, verbatim.
    pub(crate) fn vector_entry() -> Value {
        #[allow(clippy::unwrap_used)]
        serde_json::from_str(include_str!("../../tests/data/challenge-3.14.json")).unwrap()
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
