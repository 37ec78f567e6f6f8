//! What crosses IPC for push: prompts (texts of verified requests only), tokens without keys,
//! answers, status, and the events of the push channel. Their TypeScript declarations are
//! generated into `ui/src/lib/ipc/generated.ts` (`crate::contract`); the tests below pin
//! the JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tessera_push::answer::Answered;
use tessera_push::protocol::expires_at;
use tessera_push::store::{ActivityDecision, ActivityEntry};
use tessera_push::{Decision, DeclineReason, Outcome, PushRequest, PushToken, Verified};

/// A token as the UI lists it: never a key.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushToken"))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PushTokenDto {
    pub(crate) id: String,
    pub(crate) serial: String,
    pub(crate) server: String,
    pub(crate) label: String,
    pub(crate) issuer: Option<String>,
    /// `false`: the link said `sslverify=0`; shown as a warning on the token.
    pub(crate) sslverify: bool,
    /// Unix seconds.
    pub(crate) enrolled: u64,
    /// A `push_*` error code that polling keeps hitting for this token, e.g.
    /// `push_token_unknown_to_server` ("revoked by your organisation").
    pub(crate) problem: Option<&'static str>,
}

impl PushTokenDto {
    pub(crate) fn new(token: &PushToken, problem: Option<&'static str>) -> Self {
        Self {
            id: token.id(),
            serial: token.serial().to_owned(),
            server: token.server().to_owned(),
            label: token.label.clone(),
            issuer: token.issuer.clone(),
            sslverify: token.sslverify(),
            enrolled: token.enrolled.0,
            problem,
        }
    }
}

fn unix_millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// One sign-in request to show. Built only from a `PushRequest<Verified>`, so its texts are
/// the ones the server signed.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushPrompt"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PromptDto {
    pub(crate) nonce: String,
    pub(crate) token_id: String,
    pub(crate) label: String,
    pub(crate) issuer: Option<String>,
    pub(crate) serial: String,
    pub(crate) server: String,
    /// Server text, as signed: shown as plain text.
    pub(crate) title: String,
    /// Server text, as signed: shown as plain text.
    pub(crate) question: String,
    /// When this device first received it (Unix milliseconds, local clock).
    pub(crate) received: u64,
    /// When it stops being answerable here (Unix milliseconds, local clock).
    pub(crate) expires: u64,
    /// Number matching: the options to pick from (the sign-in page shows the right one).
    pub(crate) options: Option<Vec<String>>,
    /// The server takes a decline reason ("this was not me" is reported as such).
    pub(crate) takes_reason: bool,
    /// The request's own `sslverify` is off.
    pub(crate) insecure: bool,
}

impl PromptDto {
    pub(crate) fn new(token: &PushToken, request: &PushRequest<Verified>) -> Self {
        Self {
            nonce: request.nonce().to_owned(),
            token_id: token.id(),
            label: token.label.clone(),
            issuer: token.issuer.clone(),
            serial: token.serial().to_owned(),
            server: token.server().to_owned(),
            title: request.title().to_owned(),
            question: request.question().to_owned(),
            received: unix_millis(request.received()),
            expires: unix_millis(expires_at(request)),
            options: request
                .presence_options()
                .map(|options| options.into_iter().map(str::to_owned).collect()),
            takes_reason: request.accepts_decline_reason(),
            insecure: !request.sslverify() || !token.sslverify(),
        }
    }
}

/// The user's answer, from the UI.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushDecision", optional_fields))]
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub(crate) enum DecisionIn {
    Approve {
        #[serde(default)]
        number: Option<String>,
    },
    Deny {
        #[serde(default)]
        reason: Option<ReasonIn>,
    },
}

/// Why the user denied.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "DenyReason"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum ReasonIn {
    /// "I started it but stopped."
    Cancelled,
    /// "This was not me": reported to the organisation as a possible attack.
    NotMe,
}

impl ReasonIn {
    pub(crate) fn into_reason(self) -> DeclineReason {
        match self {
            Self::Cancelled => DeclineReason::Cancelled,
            Self::NotMe => DeclineReason::UnknownTrigger,
        }
    }
}

impl DecisionIn {
    pub(crate) fn into_decision(self) -> Decision {
        match self {
            Self::Approve { number } => Decision::Approve { number },
            Self::Deny { reason } => Decision::Decline {
                reason: reason.map(ReasonIn::into_reason),
            },
        }
    }
}

/// How an answer ended.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushAnswerOutcome"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum AnswerOutcomeDto {
    /// The server recorded the decision.
    Accepted,
    /// The server said no (wrong number, already answered, expired there).
    Refused,
    /// Too late: expired before it could be sent.
    Expired,
    /// Not delivered (network, server error); `error` has the code.
    Failed,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushAnswer"))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AnswerDto {
    pub(crate) nonce: String,
    pub(crate) outcome: AnswerOutcomeDto,
    /// Code to phone: type this on the sign-in page.
    pub(crate) display_code: Option<String>,
    /// The server's text beside `display_code` (plain text).
    pub(crate) message: Option<String>,
    /// The prompt stays open: a refused number-matching pick (pick again), or an answer not
    /// delivered for a passing reason (send it again).
    pub(crate) retry: bool,
    /// For `failed`: the `push_*` code.
    pub(crate) error: Option<&'static str>,
}

impl AnswerDto {
    /// What the UI hears of an answer to the prompt `nonce`: the shared result, as it was.
    pub(crate) fn new(nonce: &str, answered: &Answered) -> Self {
        let outcome = match &answered.outcome {
            _ if answered.accepted() => AnswerOutcomeDto::Accepted,
            Outcome::Refused => AnswerOutcomeDto::Refused,
            Outcome::Expired => AnswerOutcomeDto::Expired,
            _ => AnswerOutcomeDto::Failed,
        };
        Self {
            nonce: nonce.to_owned(),
            outcome,
            display_code: answered.display_code().map(ToOwned::to_owned),
            message: answered.message.clone(),
            retry: answered.retry,
            error: answered.error,
        }
    }
}

/// One server's poller.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushServerStatus"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServerStatusDto {
    pub(crate) server: String,
    pub(crate) up: bool,
    /// While down: seconds until the next try (exponential back-off).
    pub(crate) retry_in_secs: Option<u64>,
    /// While down: why (`push_*` code).
    pub(crate) error: Option<&'static str>,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushMode"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum ModeDto {
    Active,
    Idle,
    /// Locked, or no push token: nothing polls.
    Stopped,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushStatus"))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PushStatusDto {
    pub(crate) mode: ModeDto,
    pub(crate) servers: Vec<ServerStatusDto>,
    /// Server time minus local time, from the last `Date` header (whole seconds).
    pub(crate) clock_offset_secs: i64,
    /// The offset is beyond what privacyIDEA accepts unaided (±60 s): polls are compensated,
    /// but the user should fix the clock (TOTP codes are off too).
    pub(crate) clock_warning: bool,
    /// Open prompts, oldest first.
    pub(crate) prompts: Vec<PromptDto>,
    /// A push enrollment link opened from outside, waiting for "add it?".
    pub(crate) link: Option<PushLinkDto>,
    /// TOTP codes are computed at the server's time (`clock_offset_secs` applied).
    pub(crate) server_time_for_codes: bool,
    /// Requests dropped unshown since the app started (forged or altered, replayed, for an
    /// unknown token): counted in memory, never written to the activity log.
    pub(crate) dropped_count: u64,
}

/// An enrollment link opened from outside (deep link), as the UI asks about it: never the
/// link itself (its enrollment credential stays in Rust).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushLinkPreview"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PushLinkDto {
    pub(crate) label: String,
    pub(crate) issuer: Option<String>,
    pub(crate) server: String,
    pub(crate) sslverify: bool,
}

impl PushLinkDto {
    pub(crate) fn new(uri: &tessera_push::EnrollmentUri) -> Self {
        Self {
            label: uri.label().to_owned(),
            issuer: uri.issuer().map(str::to_owned),
            server: uri.url().origin().ascii_serialization(),
            sslverify: uri.sslverify(),
        }
    }
}

/// Enrollment progress, sent on the channel given to `enroll_push`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum EnrollStep {
    /// Making the device key (seconds of CPU, off the UI thread).
    Key,
    /// Sending the public key to the server and receiving its key.
    Register,
    /// Stored in the vault.
    Saved,
}

/// Why a prompt closed without an answer from this window.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushClosedReason"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum ClosedReason {
    Answered,
    Expired,
    /// Answered elsewhere or cancelled at the server.
    Withdrawn,
    /// The vault locked: prompts are gone with the keys.
    Locked,
}

/// Events on the push channel `first_screen` opens.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub(crate) enum PushEvent {
    /// A new verified request.
    Prompt { prompt: PromptDto },
    /// A prompt is gone.
    Closed { nonce: String, reason: ClosedReason },
    /// Pollers, clock or tokens changed.
    Status { status: PushStatusDto },
    /// The activity log grew.
    Activity,
}

/// One line of the sign-in history, newest first. A copy of the stored
/// `tessera_push::ActivityEntry` made for the webview, so the vault's storage format can change
/// without changing the IPC contract (the JSON is the one the UI has always read).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushActivityEntry"))]
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActivityEntryDto {
    /// Unix seconds.
    pub(crate) time: u64,
    pub(crate) server: String,
    pub(crate) serial: String,
    pub(crate) nonce: String,
    /// Empty for requests dropped unverified (their texts are not the server's).
    pub(crate) title: String,
    pub(crate) question: String,
    pub(crate) decision: ActivityDecisionDto,
    pub(crate) outcome: ActivityOutcomeDto,
}

/// What the user decided on a prompt (if they saw one).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushActivityDecision"))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum ActivityDecisionDto {
    Approved,
    Declined {
        /// `cancelled` or `unknown_trigger` (privacyIDEA's `decline_reason`).
        #[cfg_attr(test, ts(as = "Option<DeclineReasonTs>"))]
        reason: Option<&'static str>,
    },
    None,
}

/// How a prompt ended; `code` is a `push_*` error code or the code shown to type.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushActivityOutcome"))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum ActivityOutcomeDto {
    Accepted,
    Refused,
    Expired,
    Withdrawn,
    CodeShown { code: String },
    Dropped { code: String },
    Failed { code: String },
}

/// `DeclineReason::as_str()`, for TypeScript only.
#[cfg(test)]
#[derive(ts_rs::TS)]
#[ts(rename = "PushDeclineReason", rename_all = "snake_case")]
#[allow(dead_code)] // never built: it exists for its TypeScript declaration
pub(crate) enum DeclineReasonTs {
    Cancelled,
    UnknownTrigger,
}

impl From<&ActivityEntry> for ActivityEntryDto {
    fn from(entry: &ActivityEntry) -> Self {
        let decision = match entry.decision {
            ActivityDecision::Approved => ActivityDecisionDto::Approved,
            ActivityDecision::Declined { reason } => ActivityDecisionDto::Declined {
                reason: reason.map(DeclineReason::as_str),
            },
            ActivityDecision::None => ActivityDecisionDto::None,
        };
        let outcome = match &entry.outcome {
            Outcome::Accepted => ActivityOutcomeDto::Accepted,
            Outcome::Refused => ActivityOutcomeDto::Refused,
            Outcome::Expired => ActivityOutcomeDto::Expired,
            Outcome::Withdrawn => ActivityOutcomeDto::Withdrawn,
            Outcome::CodeShown { code } => ActivityOutcomeDto::CodeShown { code: code.clone() },
            Outcome::Dropped { code } => ActivityOutcomeDto::Dropped { code: code.clone() },
            Outcome::Failed { code } => ActivityOutcomeDto::Failed { code: code.clone() },
            // `Outcome` is non-exhaustive: an outcome a newer push crate adds shows as a
            // failure named by its debug form, until it gets its own line here.
            other => ActivityOutcomeDto::Failed {
                code: format!("{other:?}"),
            },
        };
        Self {
            time: entry.time.0,
            server: entry.server.clone(),
            serial: entry.serial.clone(),
            nonce: entry.nonce.clone(),
            title: entry.title.clone(),
            question: entry.question.clone(),
            decision,
            outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn decisions_from_the_ui() {
        let approve: DecisionIn =
            serde_json::from_value(json!({"kind": "approve", "number": "73"})).unwrap();
        assert_eq!(
            approve.into_decision(),
            Decision::Approve {
                number: Some("73".into())
            }
        );
        let deny: DecisionIn =
            serde_json::from_value(json!({"kind": "deny", "reason": "notMe"})).unwrap();
        assert_eq!(
            deny.into_decision(),
            Decision::Decline {
                reason: Some(DeclineReason::UnknownTrigger)
            }
        );
        let plain: DecisionIn = serde_json::from_value(json!({"kind": "deny"})).unwrap();
        assert_eq!(plain.into_decision(), Decision::Decline { reason: None });
        assert!(serde_json::from_value::<DecisionIn>(json!({"kind": "maybe"})).is_err());
    }

    #[test]
    fn events_serialize_as_the_ui_reads_them() {
        let closed = PushEvent::Closed {
            nonce: "N".into(),
            reason: ClosedReason::Withdrawn,
        };
        assert_eq!(
            serde_json::to_value(closed).unwrap(),
            json!({"type": "closed", "nonce": "N", "reason": "withdrawn"})
        );
        assert_eq!(
            serde_json::to_value(PushEvent::Activity).unwrap(),
            json!({"type": "activity"})
        );
        let answer = AnswerDto {
            nonce: "N".into(),
            outcome: AnswerOutcomeDto::Accepted,
            display_code: Some("38".into()),
            message: None,
            retry: false,
            error: None,
        };
        assert_eq!(
            serde_json::to_value(answer).unwrap(),
            json!({"nonce": "N", "outcome": "accepted", "displayCode": "38", "message": null,
                   "retry": false, "error": null})
        );
    }
}
