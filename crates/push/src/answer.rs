//! Answering a verified request, one way for the desktop app and the CLI: the number-matching
//! check, the send, and what the server's verdict means (the outcome to log, what the log says
//! was decided, whether the prompt stays open for another try).
//!
//! The OS verification an approval may need ([`crate::approval`]) is the shells' (they own the
//! verifier and know whether the vault is unlocked): it goes between [`check_number`], so that
//! nobody is asked for a fingerprint to send a number that cannot be right, and [`answer`].

use crate::PushError;
use crate::protocol::{AnswerOutcome, Decision, PushRequest, Verified};
use crate::store::{ActivityDecision, Outcome, PushToken};
use crate::transport::PushClient;

/// Why an approval does not fit its request's number matching. Nothing was sent: the request
/// is still open and can be answered again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberError {
    /// The request uses number matching and the approval picked no number.
    #[error("this request uses number matching: pick the number the sign-in page shows")]
    Missing,
    /// The picked number is not one of the request's options.
    #[error("the number is not one of the request's options")]
    NotAnOption,
    /// A number for a request without number matching (the server would refuse the signature).
    #[error("this request does not use number matching")]
    NotAsked,
}

tessera_core::error_codes!(pub NumberError {
    Missing => "push_number_missing",
    NotAnOption => "push_number_not_an_option",
    NotAsked => "push_number_not_asked",
});

/// Whether `decision` fits `request`: an approval of a number-matching request carries one of
/// [`PushRequest::presence_options`], an approval of any other request none. A decline always
/// fits.
pub fn check_number(
    request: &PushRequest<Verified>,
    decision: &Decision,
) -> Result<(), NumberError> {
    let Decision::Approve { number } = decision else {
        return Ok(());
    };
    match (request.presence_options(), number) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(NumberError::NotAsked),
        (Some(_), None) => Err(NumberError::Missing),
        (Some(options), Some(pick)) if options.contains(&pick.as_str()) => Ok(()),
        (Some(_), Some(_)) => Err(NumberError::NotAnOption),
    }
}

/// The decision as the activity log keeps it: what the server was told. A decline reason is
/// sent only when the request announced it takes one (the answer drops it otherwise, as the
/// official app does), so only then is it logged.
pub fn activity_decision(request: &PushRequest<Verified>, decision: &Decision) -> ActivityDecision {
    match decision {
        Decision::Approve { .. } => ActivityDecision::Approved,
        Decision::Decline { reason } => ActivityDecision::Declined {
            reason: reason.filter(|_| request.accepts_decline_reason()),
        },
    }
}

/// What became of an answer that was sent (or tried).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answered {
    /// For the activity log.
    pub outcome: Outcome,
    /// For the activity log ([`activity_decision`]).
    pub decision: ActivityDecision,
    /// The prompt stays open for another try: a number-matching approval the server refused
    /// (pick again), or an answer not delivered for a passing reason (send it again).
    pub retry: bool,
    /// The server's message beside an accepted answer (its text: show as plain text); never
    /// blank.
    pub message: Option<String>,
    /// For [`Outcome::Failed`]: the [`PushError::code`].
    pub error: Option<&'static str>,
}

impl Answered {
    /// What the server's verdict on `decision` means; `sent` is what [`PushClient::answer`]
    /// returned.
    pub fn new(
        request: &PushRequest<Verified>,
        decision: &Decision,
        sent: Result<AnswerOutcome, PushError>,
    ) -> Self {
        let mut answered = Self {
            outcome: Outcome::Accepted,
            decision: activity_decision(request, decision),
            retry: false,
            message: None,
            error: None,
        };
        match sent {
            Ok(verdict) if verdict.accepted => {
                if let Some(code) = verdict.display_code {
                    answered.outcome = Outcome::CodeShown { code };
                }
                answered.message = verdict.message.filter(|text| !text.trim().is_empty());
            }
            Ok(_) => {
                answered.outcome = Outcome::Refused;
                // The server does not say why; with number matching a wrong pick is the likely
                // one, and the request may still be open for the right one. Any other "no" is
                // final (already answered, expired, bad signature).
                answered.retry = matches!(decision, Decision::Approve { .. })
                    && request.presence_options().is_some();
            }
            Err(PushError::Expired) => answered.outcome = Outcome::Expired,
            Err(error) => {
                answered.outcome = Outcome::Failed {
                    code: error.code().to_owned(),
                };
                answered.retry = error.is_transient();
                answered.error = Some(error.code());
            }
        }
        answered
    }

    /// The server accepted the answer (approve or deny recorded), with or without a code.
    pub fn accepted(&self) -> bool {
        matches!(self.outcome, Outcome::Accepted | Outcome::CodeShown { .. })
    }

    /// Code to phone: the code to type on the sign-in page.
    pub fn display_code(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::CodeShown { code } => Some(code),
            _ => None,
        }
    }
}

/// Checks `decision` against `request` ([`check_number`]), sends it for `token` and says what
/// came of it. Verify the user first where [`crate::approval::verification_due`] says so.
pub async fn answer(
    client: &PushClient,
    token: &PushToken,
    request: &PushRequest<Verified>,
    decision: &Decision,
) -> Result<Answered, NumberError> {
    check_number(request, decision)?;
    let sent = client.answer(token, request, decision).await;
    Ok(Answered::new(request, decision, sent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::DeclineReason;
    use crate::protocol::tests::signed_request;

    fn approve(number: Option<&str>) -> Decision {
        Decision::Approve {
            number: number.map(str::to_owned),
        }
    }

    fn decline(reason: Option<DeclineReason>) -> Decision {
        Decision::Decline { reason }
    }

    #[test]
    fn number_check() {
        let plain = signed_request(None, true);
        let matching = signed_request(Some("75,76,73,99"), true);
        let cases = [
            ("plain approve", &plain, approve(None), Ok(())),
            (
                "plain approve with a number",
                &plain,
                approve(Some("75")),
                Err(NumberError::NotAsked),
            ),
            ("plain decline", &plain, decline(None), Ok(())),
            (
                "matching, right option",
                &matching,
                approve(Some("73")),
                Ok(()),
            ),
            (
                "matching, no number",
                &matching,
                approve(None),
                Err(NumberError::Missing),
            ),
            (
                "matching, another number",
                &matching,
                approve(Some("74")),
                Err(NumberError::NotAnOption),
            ),
            (
                "matching, empty",
                &matching,
                approve(Some("")),
                Err(NumberError::NotAnOption),
            ),
            (
                "matching, two options at once",
                &matching,
                approve(Some("73,76")),
                Err(NumberError::NotAnOption),
            ),
            (
                "matching, decline needs no number",
                &matching,
                decline(Some(DeclineReason::UnknownTrigger)),
                Ok(()),
            ),
        ];
        for (name, request, decision, expected) in cases {
            assert_eq!(check_number(request, &decision), expected, "{name}");
        }
    }

    #[test]
    fn number_error_codes_are_distinct() {
        let codes = [
            NumberError::Missing.code(),
            NumberError::NotAnOption.code(),
            NumberError::NotAsked.code(),
        ];
        assert!(codes.iter().all(|code| code.starts_with("push_number_")));
        assert!(codes[0] != codes[1] && codes[1] != codes[2] && codes[0] != codes[2]);
    }

    #[test]
    fn activity_decisions_log_what_the_server_was_told() {
        let with_reasons = signed_request(None, true);
        let without = signed_request(None, false);
        let not_me = decline(Some(DeclineReason::UnknownTrigger));
        let cases = [
            (
                "approve",
                &with_reasons,
                approve(None),
                ActivityDecision::Approved,
            ),
            (
                "not me, reasons taken",
                &with_reasons,
                not_me.clone(),
                ActivityDecision::Declined {
                    reason: Some(DeclineReason::UnknownTrigger),
                },
            ),
            (
                "not me, reasons not taken: a plain decline was sent",
                &without,
                not_me,
                ActivityDecision::Declined { reason: None },
            ),
            (
                "plain decline",
                &with_reasons,
                decline(None),
                ActivityDecision::Declined { reason: None },
            ),
        ];
        for (name, request, decision, expected) in cases {
            assert_eq!(activity_decision(request, &decision), expected, "{name}");
        }
    }

    fn verdict(accepted: bool, code: Option<&str>, message: Option<&str>) -> AnswerOutcome {
        AnswerOutcome {
            accepted,
            display_code: code.map(str::to_owned),
            message: message.map(str::to_owned),
        }
    }

    #[test]
    fn verdicts_map_to_one_result() {
        let plain = signed_request(None, true);
        let matching = signed_request(Some("75,76,73,99"), true);
        let deny = decline(Some(DeclineReason::Cancelled));
        let failed = |code: &'static str, retry| Answered {
            outcome: Outcome::Failed {
                code: code.to_owned(),
            },
            decision: ActivityDecision::Approved,
            retry,
            message: None,
            error: Some(code),
        };
        let plain_result = |outcome, retry| Answered {
            outcome,
            decision: ActivityDecision::Approved,
            retry,
            message: None,
            error: None,
        };
        let cases: Vec<(&str, &PushRequest<Verified>, Decision, _, Answered)> = vec![
            (
                "accepted",
                &plain,
                approve(None),
                Ok(verdict(true, None, None)),
                plain_result(Outcome::Accepted, false),
            ),
            (
                "accepted with a code to phone and a message",
                &plain,
                approve(None),
                Ok(verdict(true, Some("38"), Some("Type it in"))),
                Answered {
                    message: Some("Type it in".into()),
                    ..plain_result(Outcome::CodeShown { code: "38".into() }, false)
                },
            ),
            (
                "a blank message is no message",
                &plain,
                approve(None),
                Ok(verdict(true, None, Some("  "))),
                plain_result(Outcome::Accepted, false),
            ),
            (
                "refused plain approval: final",
                &plain,
                approve(None),
                Ok(verdict(false, None, Some("no"))),
                plain_result(Outcome::Refused, false),
            ),
            (
                "refused number-matching approval: pick again",
                &matching,
                approve(Some("75")),
                Ok(verdict(false, None, None)),
                plain_result(Outcome::Refused, true),
            ),
            (
                "refused decline of a number-matching request: final",
                &matching,
                deny.clone(),
                Ok(verdict(false, None, None)),
                Answered {
                    decision: ActivityDecision::Declined {
                        reason: Some(DeclineReason::Cancelled),
                    },
                    ..plain_result(Outcome::Refused, false)
                },
            ),
            (
                "expired",
                &plain,
                approve(None),
                Err(PushError::Expired),
                plain_result(Outcome::Expired, false),
            ),
            (
                "network: send again",
                &plain,
                approve(None),
                Err(PushError::Network("down".into())),
                failed("push_network", true),
            ),
            (
                "timeout: send again",
                &plain,
                approve(None),
                Err(PushError::Timeout),
                failed("push_timeout", true),
            ),
            (
                "server error: send again",
                &plain,
                approve(None),
                Err(PushError::Server {
                    status: 500,
                    code: None,
                }),
                failed("push_server", true),
            ),
            (
                "unknown serial: final",
                &plain,
                approve(None),
                Err(PushError::UnknownSerial),
                failed("push_unknown_serial", false),
            ),
        ];
        for (name, request, decision, sent, expected) in cases {
            let answered = Answered::new(request, &decision, sent);
            assert_eq!(answered, expected, "{name}");
        }
    }

    #[test]
    fn accepted_and_display_code() {
        let plain = signed_request(None, true);
        let shown = Answered::new(&plain, &approve(None), Ok(verdict(true, Some("38"), None)));
        assert!(shown.accepted());
        assert_eq!(shown.display_code(), Some("38"));
        let refused = Answered::new(&plain, &approve(None), Ok(verdict(false, None, None)));
        assert!(!refused.accepted());
        assert_eq!(refused.display_code(), None);
    }
}
