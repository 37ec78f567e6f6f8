//! privacyIDEA push tokens (poll-only mode) for Tessera.
//!
//! - [`protocol`] is sans-IO: enrollment links, device keys, signed poll and answer requests,
//!   and the checks a challenge must pass before anyone sees it. Time, randomness and bytes are
//!   passed in; it names no runtime and no HTTP client.
//! - [`transport`] runs the protocol over HTTP (tokio + reqwest with rustls): enroll, poll,
//!   answer, clock-offset tracking, timeouts, body caps, and a [`transport::Poller`] with
//!   back-off.
//! - [`answer`] answers a verified request the same way in every shell: the number-matching
//!   check, the send, and what the server's verdict means (outcome logged, prompt kept open).
//! - [`pollers`] supervises one poller per server for a changing set of tokens.
//! - [`selfservice`] is the user's self-service at the same server: sign in (with a second
//!   factor), list, enroll here, disable/enable/delete/reset/resync, backup codes.
//! - [`store`] is the stored form: [`store::PushToken`] and the activity log.
//! - [`sealed`] is where that form lives: the push key store beside the vault, which opens
//!   without the vault so prompts arrive while it is locked.
//!
//! The protocol is described in `shared/docs/privacyidea-push-protocol.md` (verified against
//! privacyIDEA 3.14). A challenge can only be shown or answered as a
//! [`protocol::PushRequest<Verified>`](protocol::PushRequest), which only
//! [`protocol::PushRequest::verify`] makes: an unverified prompt is unrepresentable.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod answer;
pub mod approval;
mod error;
pub mod pollers;
pub mod protocol;
pub mod sealed;
pub mod selfservice;
pub mod store;
pub mod transport;

pub use error::{PushError, UriError};
pub use protocol::{
    AnswerOutcome, ClockOffset, Decision, DeclineReason, DeviceKey, EnrollmentUri, ForceUnlock,
    KeySize, PushRequest, ServerKey, Unverified, Verified,
};
pub use store::{ActivityEntry, Outcome, PushToken};
pub use transport::{PollEvent, Poller, PollerMode, PushClient};
