//! Errors of the self-service API: one enum, typed causes, a stable [`SelfServiceError::code`].
//!
//! Messages are plain words for the person at the keyboard. They never carry a password, a
//! session token, a code or a secret, and never echo the server's own text (a hostile server
//! must not put words in our dialogs).

use super::rights::Right;
use crate::PushError;

/// Everything that can go wrong while managing one's own factors at a privacyIDEA server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SelfServiceError {
    /// `/auth` refused the user name, the password, or the code of the second step (privacyIDEA
    /// 401, error 4031).
    #[error("{}", if *.with_code {
        "the user name, password or one-time code is wrong (this server checks a code from one of \
         your tokens together with the password)"
    } else {
        "the user name, password or code is wrong"
    })]
    BadCredentials {
        /// The server checks the password together with a one-time code (its `webui` policy
        /// `login_mode=privacyIDEA`): a password sent alone is refused like a wrong one when
        /// no challenge-response policy opens a second step. Give the code with it
        /// ([`super::Session::sign_in_with_code`]).
        with_code: bool,
    },
    /// The server URL is not an absolute `https://` URL (or `http://` to this computer).
    #[error("the server address is not a valid https:// URL")]
    BadServerUrl,
    /// The response body exceeded the size cap.
    #[error("the server sent more than {limit} bytes")]
    BodyTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The sign-in request was declined on the push token.
    #[error("the sign-in was declined on the push token")]
    Declined,
    /// Plain `http://` to another computer: passwords and codes would cross the network in
    /// clear text.
    #[error("the server address must use https:// (plain http is only allowed to this computer)")]
    InsecureServerUrl,
    /// An enrollment link from the server that Tessera cannot use (the cause names the field,
    /// never the link, which carries the secret).
    #[error("the server's enrollment link cannot be used")]
    InvalidOtpUri(#[source] tessera_core::uri::UriError),
    /// The server's answer is not what privacyIDEA sends.
    #[error("the server's answer is not valid ({0})")]
    InvalidResponse(&'static str),
    /// The user's rights (the server's `user` policies) do not include this action; checked
    /// before asking and again when the server refuses (privacyIDEA 403, error 303).
    #[error("your organisation does not allow you to {} (missing right `{}`)", .0.describe(), .0.as_str())]
    NotAllowed(Right),
    /// Connection refused, DNS, reset, TLS handshake or certificate failure, and the like.
    #[error("the server cannot be reached")]
    Network(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A server policy refused the request for a reason other than a missing right (for
    /// instance sign-in is disabled for this user).
    #[error("the server's policy refuses this request")]
    PolicyRefused,
    /// Push enrollment step 2 or a push answer failed.
    #[error(transparent)]
    Push(PushError),
    /// The two codes given to resync did not match the token within the server's window.
    #[error("the server could not resync the token with these two codes")]
    ResyncFailed,
    /// The server answered with an error this client does not map more precisely.
    #[error("the server answered HTTP {status} (error {code:?})")]
    Server {
        /// HTTP status.
        status: u16,
        /// privacyIDEA's error code, when the body had one.
        code: Option<i64>,
    },
    /// The session token expired or was refused: sign in again.
    #[error("the session has expired: sign in again")]
    SessionExpired,
    /// The second step was not completed in time (no push approval, challenge expired).
    #[error("the sign-in request expired before it was approved")]
    SignInExpired,
    /// No answer within the time limit.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server knows no token with this serial for this user.
    #[error("the server has no such token for you")]
    TokenNotFound,
}

tessera_core::error_codes!(pub SelfServiceError {
    BadCredentials => "selfservice_bad_credentials",
    BadServerUrl => "selfservice_bad_server_url",
    BodyTooLarge => "selfservice_body_too_large",
    Declined => "selfservice_declined",
    InsecureServerUrl => "selfservice_insecure_server_url",
    InvalidOtpUri => "selfservice_invalid_otp_uri",
    InvalidResponse => "selfservice_invalid_response",
    NotAllowed => "selfservice_not_allowed",
    Network => "selfservice_network",
    PolicyRefused => "selfservice_policy_refused",
    Push => "selfservice_push",
    ResyncFailed => "selfservice_resync_failed",
    Server => "selfservice_server",
    SessionExpired => "selfservice_session_expired",
    SignInExpired => "selfservice_sign_in_expired",
    Timeout => "selfservice_timeout",
    TokenNotFound => "selfservice_token_not_found",
});

impl From<PushError> for SelfServiceError {
    /// Transport failures keep their own variants; everything else is a push-protocol problem.
    fn from(error: PushError) -> Self {
        match error {
            PushError::Network(source) => Self::Network(source),
            PushError::Timeout => Self::Timeout,
            PushError::BodyTooLarge { limit } => Self::BodyTooLarge { limit },
            other => Self::Push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let errors = [
            SelfServiceError::BadCredentials { with_code: false },
            SelfServiceError::BadServerUrl,
            SelfServiceError::BodyTooLarge { limit: 1 },
            SelfServiceError::Declined,
            SelfServiceError::InsecureServerUrl,
            SelfServiceError::InvalidOtpUri(tessera_core::uri::UriError::MissingSecret),
            SelfServiceError::InvalidResponse("x"),
            SelfServiceError::NotAllowed(Right::Delete),
            SelfServiceError::Network("x".into()),
            SelfServiceError::PolicyRefused,
            SelfServiceError::Push(PushError::Key),
            SelfServiceError::ResyncFailed,
            SelfServiceError::Server {
                status: 500,
                code: None,
            },
            SelfServiceError::SessionExpired,
            SelfServiceError::SignInExpired,
            SelfServiceError::Timeout,
            SelfServiceError::TokenNotFound,
        ];
        let mut codes: Vec<_> = errors.iter().map(SelfServiceError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        assert!(codes.iter().all(|code| code.starts_with("selfservice_")));
    }

    #[test]
    fn missing_right_is_explained_in_plain_words() {
        let text = SelfServiceError::NotAllowed(Right::EnrollTan).to_string();
        assert_eq!(
            text,
            "your organisation does not allow you to create backup codes (missing right `enrollTAN`)"
        );
    }

    #[test]
    fn transport_errors_keep_their_kind() {
        assert!(matches!(
            SelfServiceError::from(PushError::Timeout),
            SelfServiceError::Timeout
        ));
        assert!(matches!(
            SelfServiceError::from(PushError::BodyTooLarge { limit: 9 }),
            SelfServiceError::BodyTooLarge { limit: 9 }
        ));
        assert!(matches!(
            SelfServiceError::from(PushError::EnrollmentRefused),
            SelfServiceError::Push(PushError::EnrollmentRefused)
        ));
    }
}
