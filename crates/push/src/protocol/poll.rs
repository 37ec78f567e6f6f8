//! Polling (doc §5, §6): the signed poll, its answer read into sign-in requests (challenges),
//! and their check.
//!
//! Typestate: a poll yields [`PushRequest<Unverified>`], which exposes only what is needed to
//! route it (serial, nonce). [`PushRequest::verify`] checks both server signatures and is the
//! only way to a [`PushRequest<Verified>`], the only state with the texts to show and with
//! [`PushRequest::answer`] (`answer.rs`). pi-authenticator only logs a failed check; here it
//! cannot be skipped.

use std::marker::PhantomData;
use std::time::SystemTime;

use serde_json::Value;

use super::clock::format_timestamp;
use super::keys::{DeviceKey, ServerKey};
use super::response::Envelope;
use crate::PushError;

/// Marker: signatures not checked yet.
#[derive(Debug, Clone, Copy)]
pub enum Unverified {}
/// Marker: both server signatures verified with the token's server key.
#[derive(Debug, Clone, Copy)]
pub enum Verified {}

/// A challenge as the server sent it. Field values are kept exactly as received: the
/// signatures cover the raw strings, and a normalised URL would not verify (doc §6).
#[derive(Debug, Clone)]
pub struct PushRequest<S> {
    nonce: String,
    url: String,
    serial: String,
    question: String,
    title: String,
    sslverify: String,
    require_presence: Option<String>,
    capabilities: Option<Value>,
    capabilities_signature: Option<String>,
    signature: String,
    received: SystemTime,
    state: PhantomData<S>,
}

/// Most challenges one poll answer may carry; more is a hostile or broken server.
const MAX_REQUESTS_PER_POLL: usize = 64;
/// Longest nonce read. privacyIDEA's are 32 base32 characters (20 random bytes); nonces are
/// kept in memory to report a rejection once, so their size is what bounds that memory.
pub const MAX_NONCE_LEN: usize = 128;

impl<S> PushRequest<S> {
    /// The token serial the request is for (routing: find the token and its key).
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The nonce: unique per request, the key for de-duplication and replay checks.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// When this client first received it (local clock).
    pub fn received(&self) -> SystemTime {
        self.received
    }

    fn main_message(&self) -> String {
        let mut message = format!(
            "{}|{}|{}|{}|{}|{}",
            self.nonce, self.url, self.serial, self.question, self.title, self.sslverify
        );
        if let Some(options) = &self.require_presence {
            message.push('|');
            message.push_str(options);
        }
        message
    }
}

impl PushRequest<Unverified> {
    /// Checks both server signatures with the token's server key: the main one over
    /// `nonce|url|serial|question|title|sslverify[|require_presence]`, and, when the server
    /// sends capabilities, the one over the canonical JSON `{"capabilities":…,"nonce":…}`.
    /// Any changed field, a missing or malformed signature, or another key fails with
    /// [`PushError::BadSignature`].
    pub fn verify(self, key: &ServerKey) -> Result<PushRequest<Verified>, PushError> {
        if !key.verifies(self.main_message().as_bytes(), &self.signature) {
            return Err(PushError::BadSignature);
        }
        if let Some(capabilities) = &self.capabilities {
            let signature = self
                .capabilities_signature
                .as_deref()
                .ok_or(PushError::BadSignature)?;
            let signed = capabilities_message(capabilities, &self.nonce);
            if !key.verifies(signed.as_bytes(), signature) {
                return Err(PushError::BadSignature);
            }
        }
        Ok(PushRequest {
            nonce: self.nonce,
            url: self.url,
            serial: self.serial,
            question: self.question,
            title: self.title,
            sslverify: self.sslverify,
            require_presence: self.require_presence,
            capabilities: self.capabilities,
            capabilities_signature: self.capabilities_signature,
            signature: self.signature,
            received: self.received,
            state: PhantomData,
        })
    }
}

impl PushRequest<Verified> {
    /// The question, e.g. `Log in from 10.0.0.5?` (server text: show as plain text).
    pub fn question(&self) -> &str {
        &self.question
    }

    /// The title, e.g. the organisation's name (server text: show as plain text).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Where the answer goes (signed by the server).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's `sslverify` for this request.
    pub fn sslverify(&self) -> bool {
        self.sslverify != "0"
    }

    /// Number matching: the options to offer, in the server's order. The sign-in page shows
    /// the right one; the user must pick it.
    pub fn presence_options(&self) -> Option<Vec<&str>> {
        self.require_presence
            .as_deref()
            .map(|options| options.split(',').collect())
    }

    /// Whether the server accepts a decline reason (announced in signed capabilities).
    pub fn accepts_decline_reason(&self) -> bool {
        self.capabilities
            .as_ref()
            .and_then(|capabilities| capabilities.get("decline_reason"))
            .and_then(Value::as_bool)
            == Some(true)
    }
}

/// The canonical (RFC 8785) JSON of `{"capabilities": …, "nonce": …}`, what the capabilities
/// signature covers (doc §6). Keys are sorted here, so the result does not depend on
/// serde_json's `preserve_order` feature being on somewhere in the build.
fn capabilities_message(capabilities: &Value, nonce: &str) -> String {
    let mut out = String::from("{\"capabilities\":");
    write_canonical(capabilities, &mut out);
    out.push_str(",\"nonce\":");
    write_canonical(&Value::String(nonce.to_owned()), &mut out);
    out.push('}');
    out
}

/// RFC 8785: object members sorted by the UTF-16 code units of their names, no whitespace,
/// strings escaped as serde_json does (the JCS escapes: `\"`, `\\`, `\b\f\n\r\t`, other
/// controls as lower-case `\u00xx`). Numbers are written by serde_json; JCS' ECMAScript form
/// differs only for floats with exponents, which no capability uses.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (index, (key, value)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A signed poll: `GET <url>?serial=…&timestamp=…&signature=…` (doc §5).
#[derive(Debug, Clone)]
pub struct PollRequest {
    query: [(&'static str, String); 3],
}

impl PollRequest {
    /// Signs `serial|timestamp` with the device key. `server_now` is the local time corrected
    /// by the known [`super::ClockOffset`], since the server allows ±60 s.
    pub fn new(serial: &str, server_now: SystemTime, key: &DeviceKey) -> Self {
        let timestamp = format_timestamp(server_now);
        let signature = key.sign_b32(&format!("{serial}|{timestamp}"));
        Self {
            query: [
                ("serial", serial.to_owned()),
                ("timestamp", timestamp),
                ("signature", signature),
            ],
        }
    }

    /// The query pairs, unencoded (the HTTP client percent-encodes; the `+`… of an offset
    /// would need it, though ours always ends in `Z`).
    pub fn query(&self) -> &[(&'static str, String)] {
        &self.query
    }
}

/// Reads a poll answer into unverified requests, plus how many entries were malformed
/// (dropped: they cannot be verified or shown).
pub fn parse_poll_response(
    status: u16,
    body: &[u8],
    received: SystemTime,
) -> Result<(Vec<PushRequest<Unverified>>, usize), PushError> {
    let envelope = Envelope::parse(status, body)?;
    if let Some(error) = envelope.error() {
        return Err(match (envelope.status(), error.code) {
            (_, Some(10)) if error.message.contains("not in valid range") => {
                PushError::ClockSkew { offset_secs: 0 }
            }
            // Bad signature, unknown serial and bad base32 all read the same on purpose (§5):
            // the token is gone from the server or holds another key.
            (_, Some(10)) => PushError::TokenUnknownToServer,
            (403, _) => PushError::PollingNotAllowed,
            _ => envelope.generic_error(&error),
        });
    }
    let entries = envelope
        .value()
        .and_then(Value::as_array)
        .ok_or(PushError::InvalidResponse("poll answer has no list"))?;
    let mut requests = Vec::new();
    let mut malformed = 0;
    for entry in entries.iter().take(MAX_REQUESTS_PER_POLL) {
        match parse_entry(entry, received) {
            Ok(request) => requests.push(request),
            Err(_) => malformed += 1,
        }
    }
    malformed += entries.len().saturating_sub(MAX_REQUESTS_PER_POLL);
    Ok((requests, malformed))
}

/// One challenge of a poll answer. An entry that is not one is
/// [`PushError::InvalidResponse`]; a nonce over [`MAX_NONCE_LEN`] is `"nonce too long"`.
fn parse_entry(entry: &Value, received: SystemTime) -> Result<PushRequest<Unverified>, PushError> {
    let malformed = PushError::InvalidResponse("malformed challenge");
    let text = |name: &str| entry.get(name).and_then(Value::as_str).map(str::to_owned);
    let capabilities = match entry.get("capabilities") {
        None | Some(Value::Null) => None,
        // 3.14 sends a JSON text; re-parse it to canonicalise (do not sign the raw string).
        Some(Value::String(text)) => {
            Some(serde_json::from_str::<Value>(text).map_err(|_| malformed)?)
        }
        Some(object @ Value::Object(_)) => Some(object.clone()),
        Some(_) => return Err(malformed),
    };
    let nonce = text("nonce")
        .filter(|nonce| !nonce.is_empty())
        .ok_or(PushError::InvalidResponse("malformed challenge"))?;
    if nonce.len() > MAX_NONCE_LEN {
        return Err(PushError::InvalidResponse("nonce too long"));
    }
    let field = |name: &str| text(name).ok_or(PushError::InvalidResponse("malformed challenge"));
    Ok(PushRequest {
        nonce,
        url: field("url")?,
        serial: field("serial")?,
        question: field("question")?,
        title: field("title")?,
        sslverify: field("sslverify")?,
        require_presence: text("require_presence"),
        capabilities,
        capabilities_signature: text("capabilities_signature"),
        signature: field("signature")?,
        received,
        state: PhantomData,
    })
}

#[cfg(test)]
mod tests {
    use super::super::keys::{test_key, test_key_as_server};
    use super::super::tests::{now, parsed, poll_body, vector_entry, vector_server_key};
    use super::*;

    #[test]
    fn the_captured_challenge_verifies() {
        let request = parsed(vector_entry());
        assert_eq!(
            request.main_message(),
            "H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK|http://127.0.0.1:5000/ttype/push|PIPU00005FB7|Log in to 127.0.0.1?|CI test|0"
        );
        assert_eq!(
            capabilities_message(request.capabilities.as_ref().unwrap(), request.nonce()),
            r#"{"capabilities":{"decline_reason":true},"nonce":"H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK"}"#
        );
        let verified = request.verify(&vector_server_key()).unwrap();
        assert_eq!(verified.question(), "Log in to 127.0.0.1?");
        assert_eq!(verified.title(), "CI test");
        assert_eq!(verified.serial(), "PIPU00005FB7");
        assert!(!verified.sslverify());
        assert!(verified.accepts_decline_reason());
        assert!(verified.presence_options().is_none());
    }

    #[test]
    fn any_changed_field_fails() {
        let fields = [
            "nonce",
            "url",
            "serial",
            "question",
            "title",
            "sslverify",
            "signature",
            "capabilities_signature",
        ];
        for field in fields {
            let mut entry = vector_entry();
            let original = entry[field].as_str().unwrap().to_owned();
            // Change one character in the middle (base32 stays base32 for the signatures).
            let mut chars: Vec<char> = original.chars().collect();
            let middle = chars.len() / 2;
            chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
            entry[field] = Value::String(chars.into_iter().collect());
            let result = parsed(entry).verify(&vector_server_key());
            assert!(
                matches!(result, Err(PushError::BadSignature)),
                "field {field}"
            );
        }
        // The capabilities themselves (a reason the server never offered must not verify).
        let mut entry = vector_entry();
        entry["capabilities"] = Value::String(r#"{"decline_reason": false}"#.into());
        assert!(parsed(entry).verify(&vector_server_key()).is_err());
        // Dropped padding, lower case, a trailing space in the URL.
        let mut entry = vector_entry();
        let signature = entry["signature"]
            .as_str()
            .unwrap()
            .trim_end_matches('=')
            .to_owned();
        entry["signature"] = Value::String(signature);
        assert!(parsed(entry).verify(&vector_server_key()).is_err());
        let mut entry = vector_entry();
        let lower = entry["signature"].as_str().unwrap().to_lowercase();
        entry["signature"] = Value::String(lower);
        assert!(parsed(entry).verify(&vector_server_key()).is_err());
        let mut entry = vector_entry();
        entry["url"] = Value::String("http://127.0.0.1:5000/ttype/push ".into());
        assert!(parsed(entry).verify(&vector_server_key()).is_err());
        // A presence list added by someone in between.
        let mut entry = vector_entry();
        entry["require_presence"] = Value::String("11,22,33".into());
        assert!(parsed(entry).verify(&vector_server_key()).is_err());
        // Capabilities removed: main signature still verifies (older servers send none), and
        // then no decline reason is offered.
        let mut entry = vector_entry();
        entry.as_object_mut().unwrap().remove("capabilities");
        let verified = parsed(entry).verify(&vector_server_key()).unwrap();
        assert!(!verified.accepts_decline_reason());
        // Capabilities without their signature.
        let mut entry = vector_entry();
        entry
            .as_object_mut()
            .unwrap()
            .remove("capabilities_signature");
        assert!(parsed(entry).verify(&vector_server_key()).is_err());
        // Another key.
        assert!(
            parsed(vector_entry())
                .verify(&test_key_as_server())
                .is_err()
        );
    }

    #[test]
    fn poll_request_signs_serial_and_timestamp() {
        let key = test_key();
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_micros(1_795_946_940_797_327);
        let poll = PollRequest::new("PIPU00005FB7", time, key);
        let query = poll.query();
        assert_eq!(query[0], ("serial", "PIPU00005FB7".to_owned()));
        assert_eq!(
            query[1],
            ("timestamp", "2026-11-29T10:09:00.797327Z".to_owned())
        );
        assert_eq!(
            query[2].1,
            key.sign_b32("PIPU00005FB7|2026-11-29T10:09:00.797327Z")
        );
    }

    #[test]
    fn poll_errors_map_to_codes() {
        let error = |status: u16, code: i64, message: &str| {
            let body = serde_json::json!({"detail": null, "result": {"error": {"code": code, "message": message}, "status": false}});
            parse_poll_response(status, &serde_json::to_vec(&body).unwrap(), now()).unwrap_err()
        };
        assert!(matches!(
            error(
                400,
                10,
                "ERR10: Timestamp 2026-11-29T10:09:00Z not in valid range."
            ),
            PushError::ClockSkew { .. }
        ));
        assert!(matches!(
            error(400, 10, "ERR10: Could not verify signature!"),
            PushError::TokenUnknownToServer
        ));
        assert!(matches!(
            error(403, 303, "Polling not allowed!"),
            PushError::PollingNotAllowed
        ));
        assert!(matches!(
            error(500, 0, "oops"),
            PushError::Server {
                status: 500,
                code: Some(0)
            }
        ));
    }

    #[test]
    fn malformed_entries_are_counted_not_fatal() {
        let mut missing = vector_entry();
        missing.as_object_mut().unwrap().remove("title");
        let mut wrong_type = vector_entry();
        wrong_type["question"] = Value::from(5);
        let mut bad_caps = vector_entry();
        bad_caps["capabilities"] = Value::String("{not json".into());
        let body = poll_body(&[missing, vector_entry(), wrong_type, bad_caps, Value::Null]);
        let (requests, malformed) = parse_poll_response(200, &body, now()).unwrap();
        assert_eq!(requests.len(), 1);
        assert_eq!(malformed, 4);
        let many: Vec<Value> = (0..100).map(|_| vector_entry()).collect();
        let (requests, malformed) = parse_poll_response(200, &poll_body(&many), now()).unwrap();
        assert_eq!((requests.len(), malformed), (64, 36));
        let (requests, _) = parse_poll_response(200, &poll_body(&[]), now()).unwrap();
        assert!(requests.is_empty());
    }

    #[test]
    fn a_nonce_too_long_is_refused_at_parse() {
        let mut long = vector_entry();
        long["nonce"] = Value::String("N".repeat(MAX_NONCE_LEN + 1));
        assert!(matches!(
            parse_entry(&long, now()),
            Err(PushError::InvalidResponse("nonce too long"))
        ));
        let mut longest = vector_entry();
        longest["nonce"] = Value::String("N".repeat(MAX_NONCE_LEN));
        assert!(parse_entry(&longest, now()).is_ok());
        // In a poll answer it is one malformed entry; the genuine one beside it still comes.
        let (requests, malformed) =
            parse_poll_response(200, &poll_body(&[long, vector_entry()]), now()).unwrap();
        assert_eq!((requests.len(), malformed), (1, 1));
        assert_eq!(requests[0].nonce(), "H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK");
    }

    #[test]
    fn canonical_json_sorts_by_utf16_and_escapes() {
        let value: Value = serde_json::from_str(r#"{"b": [1, true, null], "a": "x\n\u0001\"", "\u00e9": 1, "\ud83d\ude00": 2, "\uffff": 3}"#).unwrap();
        let mut out = String::new();
        write_canonical(&value, &mut out);
        // U+1F600 (surrogates D83D…) sorts before U+FFFF in UTF-16 order.
        assert_eq!(
            out,
            "{\"a\":\"x\\n\\u0001\\\"\",\"b\":[1,true,null],\"é\":1,\"😀\":2,\"\u{ffff}\":3}"
        );
    }
}
