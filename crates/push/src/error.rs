//! The push crate's errors: one enum, typed causes, a stable [`PushError::code`].
//!
//! Messages never carry key material, signatures or the enrollment credential. Server texts
//! are not echoed either: a hostile server must not be able to put words in our error dialogs.

/// Why an enrollment link (`otpauth://pipush/…`, `pia://pipush/…`) was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// A required query parameter is absent or empty.
    #[error("the enrollment link has no `{0}`")]
    Missing(&'static str),
    /// Not a URI, or not the `pipush` host under `otpauth`/`pia`.
    #[error("not a privacyIDEA push enrollment link")]
    NotPush,
    /// The registration URL is not an absolute `http`/`https` URL.
    #[error("the registration URL of the enrollment link is not http(s)")]
    BadUrl,
    /// A parameter has a value this client cannot use (named, value not repeated).
    #[error("the enrollment link has an invalid `{0}`")]
    Invalid(&'static str),
    /// `v` is not `1`, the only version privacyIDEA and its apps speak.
    #[error("unsupported push enrollment version")]
    Version,
    /// The registration URL is plain `http://` to another computer: the server key would be
    /// pinned from an answer anyone in between could write.
    #[error("the enrollment link must use https:// (plain http is only allowed to this computer)")]
    InsecureUrl,
}

// `push_insecure_url` for a plain-http link (the user can ask for an https one),
// `push_invalid_uri` for everything else.
tessera_core::error_codes!(pub UriError {
    Missing => "push_invalid_uri",
    NotPush => "push_invalid_uri",
    BadUrl => "push_invalid_uri",
    Invalid => "push_invalid_uri",
    Version => "push_invalid_uri",
    InsecureUrl => "push_insecure_url",
});

/// Everything that can go wrong with a push token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// An answer was refused before sending: the picked number is not one of the options, or
    /// a decline reason the server did not announce.
    #[error("this answer does not fit the request")]
    AnswerMismatch,
    /// A challenge's signature (main or capabilities) does not verify with the server key:
    /// forged, altered on the way, or from another server.
    #[error("the sign-in request is not signed by the server")]
    BadSignature,
    /// The response body exceeded the size cap.
    #[error("the server sent more than {limit} bytes")]
    BodyTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// privacyIDEA refused the poll timestamp (±60 s window) even after compensating with the
    /// offset read from its `Date` header.
    #[error("the computer clock is off by about {offset_secs} s from the server")]
    ClockSkew {
        /// Server time minus local time, in seconds (as far as known).
        offset_secs: i64,
    },
    /// The request expired before it was shown or answered.
    #[error("the sign-in request has expired")]
    Expired,
    /// The one-time enrollment credential was refused (privacyIDEA error 905).
    #[error("the server refused the enrollment link (already used or wrong)")]
    EnrollmentRefused,
    /// The token is not waiting for enrollment (repeated enrollment or unknown serial, 601).
    #[error("the server has no token waiting for this enrollment")]
    EnrollmentNotPending,
    /// The server's public key or an answer to a request is not what the protocol says.
    #[error("the server's answer is not valid ({0})")]
    InvalidResponse(&'static str),
    /// A stored token or key that cannot be read back.
    #[error("the stored push token is damaged ({0})")]
    InvalidStoredToken(&'static str),
    /// A bad enrollment link.
    #[error(transparent)]
    InvalidUri(#[from] UriError),
    /// An enrollment link that turns TLS certificate checks off (`sslverify=0`), without the
    /// user's explicit choice to enroll it anyway.
    #[error(
        "the enrollment link turns TLS certificate checks off; enroll it only if you choose to"
    )]
    UnverifiedTls,
    /// Key generation or signing failed in the RSA library.
    #[error("the device key could not be made or used")]
    Key,
    /// Connection refused, DNS, reset, TLS handshake or certificate failure, and the like.
    #[error("the server cannot be reached")]
    Network(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A policy forbids polling for this token (privacyIDEA 403/303).
    #[error("the server does not allow polling for this token")]
    PollingNotAllowed,
    /// The nonce was already answered, withdrawn or expired: a replay.
    #[error("this sign-in request was already handled (replay)")]
    Replay,
    /// The server answered with an error this client does not map more precisely.
    #[error("the server answered HTTP {status} (error {code:?})")]
    Server {
        /// HTTP status.
        status: u16,
        /// privacyIDEA's error code, when the body had one.
        code: Option<i64>,
    },
    /// No answer within the time limit.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server refused the poll signature: it no longer knows this token or key (deleted or
    /// revoked by the organisation, or re-enrolled elsewhere).
    #[error("the server no longer knows this token")]
    TokenUnknownToServer,
    /// A challenge names a serial no stored token has.
    #[error("the sign-in request is for an unknown token")]
    UnknownSerial,
}

tessera_core::error_codes!(pub PushError {
    AnswerMismatch => "push_answer_mismatch",
    BadSignature => "push_bad_signature",
    BodyTooLarge => "push_body_too_large",
    ClockSkew => "push_clock_skew",
    Expired => "push_expired",
    EnrollmentRefused => "push_enrollment_refused",
    EnrollmentNotPending => "push_enrollment_not_pending",
    InvalidResponse => "push_invalid_response",
    InvalidStoredToken => "push_invalid_stored_token",
    Key => "push_key",
    Network => "push_network",
    PollingNotAllowed => "push_polling_not_allowed",
    Replay => "push_replay",
    Server => "push_server",
    Timeout => "push_timeout",
    TokenUnknownToServer => "push_token_unknown_to_server",
    UnknownSerial => "push_unknown_serial",
    UnverifiedTls => "push_unverified_tls",
} nested {
    InvalidUri(UriError),
});

impl PushError {
    /// Whether retrying later may help (the poller backs off on these instead of giving up).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Network(_)
                | Self::Timeout
                | Self::Server { .. }
                | Self::BodyTooLarge { .. }
                | Self::InvalidResponse(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct() {
        let errors = [
            PushError::AnswerMismatch,
            PushError::BadSignature,
            PushError::BodyTooLarge { limit: 1 },
            PushError::ClockSkew { offset_secs: 1 },
            PushError::Expired,
            PushError::EnrollmentRefused,
            PushError::EnrollmentNotPending,
            PushError::InvalidResponse("x"),
            PushError::InvalidStoredToken("x"),
            PushError::InvalidUri(UriError::NotPush),
            PushError::InvalidUri(UriError::InsecureUrl),
            PushError::Key,
            PushError::Network("x".into()),
            PushError::PollingNotAllowed,
            PushError::Replay,
            PushError::Server {
                status: 500,
                code: None,
            },
            PushError::Timeout,
            PushError::TokenUnknownToServer,
            PushError::UnknownSerial,
            PushError::UnverifiedTls,
        ];
        let mut codes: Vec<_> = errors.iter().map(PushError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        assert!(codes.iter().all(|code| code.starts_with("push_")));
    }
}
