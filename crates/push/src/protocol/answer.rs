//! Answering a verified sign-in request (doc §7, §10): the user's decision, signed and posted
//! to the URL the server signed into the request, and the server's answer to it.

use serde_json::Value;
use url::Url;

use super::keys::DeviceKey;
use super::poll::{PushRequest, Verified};
use super::response::Envelope;
use crate::PushError;

/// What the user decided.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Approve. With number matching, `number` is the option the user picked.
    Approve {
        /// The picked option (number matching), `None` otherwise.
        number: Option<String>,
    },
    /// Deny, optionally saying why (sent only if the server announced `decline_reason`).
    Decline {
        /// Why, when the user said.
        reason: Option<DeclineReason>,
    },
}

/// Why the user denied (privacyIDEA's `decline_reason` values, doc §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// "I started it but stopped": polltransaction reports `cancelled`.
    Cancelled,
    /// "This was not me": a report of a possible attack; polltransaction reports `declined`.
    UnknownTrigger,
}

impl DeclineReason {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cancelled => "cancelled",
            Self::UnknownTrigger => "unknown_trigger",
        }
    }
}

impl PushRequest<Verified> {
    /// Builds the signed answer. Number matching needs `Approve { number: Some(option) }` with
    /// one of [`Self::presence_options`]; a decline reason is dropped (plain decline) when the
    /// server did not announce `decline_reason`, as the official app does.
    pub fn answer(&self, key: &DeviceKey, decision: &Decision) -> Result<AnswerRequest, PushError> {
        let url = Url::parse(self.url())
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or(PushError::InvalidResponse("answer URL is not http(s)"))?;
        let mut form = vec![
            ("serial", self.serial().to_owned()),
            ("nonce", self.nonce().to_owned()),
        ];
        let mut signed = format!("{}|{}", self.nonce(), self.serial());
        let mut reason_sent = None;
        match decision {
            Decision::Approve { number } => match (self.presence_options(), number) {
                (None, None) => {}
                (Some(options), Some(pick)) if options.contains(&pick.as_str()) => {
                    signed.push('|');
                    signed.push_str(pick);
                    form.push(("presence_answer", pick.clone()));
                }
                _ => return Err(PushError::AnswerMismatch),
            },
            Decision::Decline { reason } => {
                signed.push_str("|decline");
                form.push(("decline", "1".to_owned()));
                if let Some(reason) = reason.filter(|_| self.accepts_decline_reason()) {
                    signed.push('|');
                    signed.push_str(reason.as_str());
                    form.push(("decline_reason", reason.as_str().to_owned()));
                    reason_sent = Some(reason);
                }
            }
        }
        // The signature always goes padded: unpadded base32 makes 3.14 answer HTTP 500 (§7).
        form.push(("signature", key.sign_b32(&signed)));
        Ok(AnswerRequest {
            url,
            form,
            reason_sent,
        })
    }
}

/// A signed answer, posted as a form to the request's URL.
#[derive(Debug, Clone)]
pub struct AnswerRequest {
    url: Url,
    form: Vec<(&'static str, String)>,
    reason_sent: Option<DeclineReason>,
}

impl AnswerRequest {
    /// Where to post (the URL the server signed into the request).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The form fields.
    pub fn form(&self) -> &[(&'static str, String)] {
        &self.form
    }

    /// The decline reason actually sent (`None` when none was asked or the server does not
    /// take reasons).
    pub fn reason_sent(&self) -> Option<DeclineReason> {
        self.reason_sent
    }
}

/// What the server said to an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOutcome {
    /// `true`: a challenge matched and the decision was recorded. `false` covers every "no"
    /// (wrong number, expired, already answered, bad signature): the server does not say which.
    pub accepted: bool,
    /// Code to phone: the code the user types on the sign-in page, with its message.
    pub display_code: Option<String>,
    /// The server's message to show beside `display_code` (server text: show as plain text).
    pub message: Option<String>,
}

/// Reads the answer to an approve or decline (doc §7, §10).
pub fn parse_answer_response(status: u16, body: &[u8]) -> Result<AnswerOutcome, PushError> {
    let envelope = Envelope::parse(status, body)?;
    if let Some(error) = envelope.error() {
        return Err(envelope.generic_error(&error));
    }
    let accepted = envelope
        .value()
        .and_then(Value::as_bool)
        .ok_or(PushError::InvalidResponse("answer result is not a boolean"))?;
    let detail_text = |name: &str| {
        envelope
            .detail()
            .and_then(|detail| detail.get(name))
            .and_then(|value| match value {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            })
    };
    Ok(AnswerOutcome {
        accepted,
        display_code: detail_text("display_code"),
        message: detail_text("message"),
    })
}

#[cfg(test)]
mod tests {
    use super::super::keys::{test_key, test_key_as_server};
    use super::super::tests::{parsed, signed_entry};
    use super::*;

    fn form_of(answer: &AnswerRequest) -> Vec<(&str, &str)> {
        answer
            .form()
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect()
    }

    #[test]
    fn answers_sign_the_documented_strings() {
        let key = test_key();
        let server = test_key_as_server();
        let plain = parsed(signed_entry(None, true)).verify(&server).unwrap();
        let approve = plain
            .answer(key, &Decision::Approve { number: None })
            .unwrap();
        assert_eq!(approve.url().as_str(), "http://pi.example/ttype/push");
        assert_eq!(
            form_of(&approve),
            [
                ("serial", "PIPU1"),
                ("nonce", "NONCE1"),
                ("signature", key.sign_b32("NONCE1|PIPU1").as_str())
            ]
        );
        let decline = plain
            .answer(key, &Decision::Decline { reason: None })
            .unwrap();
        assert_eq!(
            form_of(&decline),
            [
                ("serial", "PIPU1"),
                ("nonce", "NONCE1"),
                ("decline", "1"),
                ("signature", key.sign_b32("NONCE1|PIPU1|decline").as_str())
            ]
        );
        let reasoned = plain
            .answer(
                key,
                &Decision::Decline {
                    reason: Some(DeclineReason::UnknownTrigger),
                },
            )
            .unwrap();
        assert_eq!(reasoned.reason_sent(), Some(DeclineReason::UnknownTrigger));
        assert_eq!(
            form_of(&reasoned),
            [
                ("serial", "PIPU1"),
                ("nonce", "NONCE1"),
                ("decline", "1"),
                ("decline_reason", "unknown_trigger"),
                (
                    "signature",
                    key.sign_b32("NONCE1|PIPU1|decline|unknown_trigger")
                        .as_str()
                )
            ]
        );
        // Approve with a number on a request without number matching is refused.
        assert!(matches!(
            plain.answer(
                key,
                &Decision::Approve {
                    number: Some("12".into())
                }
            ),
            Err(PushError::AnswerMismatch)
        ));
    }

    #[test]
    fn decline_reason_falls_back_without_the_capability() {
        let key = test_key();
        let request = parsed(signed_entry(None, false))
            .verify(&test_key_as_server())
            .unwrap();
        let answer = request
            .answer(
                key,
                &Decision::Decline {
                    reason: Some(DeclineReason::Cancelled),
                },
            )
            .unwrap();
        assert_eq!(answer.reason_sent(), None);
        assert!(form_of(&answer).iter().all(|(k, _)| *k != "decline_reason"));
    }

    #[test]
    fn number_matching() {
        let key = test_key();
        let request = parsed(signed_entry(Some("75,76,73,99"), true))
            .verify(&test_key_as_server())
            .unwrap();
        assert_eq!(
            request.presence_options().unwrap(),
            ["75", "76", "73", "99"]
        );
        let answer = request
            .answer(
                key,
                &Decision::Approve {
                    number: Some("73".into()),
                },
            )
            .unwrap();
        assert_eq!(
            form_of(&answer),
            [
                ("serial", "PIPU1"),
                ("nonce", "NONCE1"),
                ("presence_answer", "73"),
                ("signature", key.sign_b32("NONCE1|PIPU1|73").as_str())
            ]
        );
        for bad in [
            None,
            Some("74".to_owned()),
            Some("".to_owned()),
            Some("73,76".to_owned()),
        ] {
            assert!(
                matches!(
                    request.answer(
                        key,
                        &Decision::Approve {
                            number: bad.clone()
                        }
                    ),
                    Err(PushError::AnswerMismatch)
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn answer_responses() {
        let accepted = parse_answer_response(
            200,
            br#"{"id": 1, "jsonrpc": "2.0", "nonce": "H5", "result": {"status": true, "value": true}}"#,
        )
        .unwrap();
        assert_eq!(
            accepted,
            AnswerOutcome {
                accepted: true,
                display_code: None,
                message: None
            }
        );
        let code = parse_answer_response(
            200,
            br#"{"detail": {"display_code": "38", "message": "Type this code on the login page"}, "result": {"status": true, "value": true}}"#,
        )
        .unwrap();
        assert_eq!(code.display_code.as_deref(), Some("38"));
        assert_eq!(
            code.message.as_deref(),
            Some("Type this code on the login page")
        );
        let refused =
            parse_answer_response(200, br#"{"result": {"status": true, "value": false}}"#).unwrap();
        assert!(!refused.accepted);
        assert!(parse_answer_response(500, b"Internal Server Error").is_err());
        assert!(
            parse_answer_response(200, br#"{"result": {"status": true, "value": "yes"}}"#).is_err()
        );
    }
}
