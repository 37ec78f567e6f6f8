//! What a QR code holds: one account, a Google Authenticator export batch, a push enrollment,
//! or something else.

use tessera_core::migration::{self, MigrationBatch, MigrationError};
use tessera_core::uri::{OtpUri, UriError};

/// What one QR code's text is, for the scan result list.
#[derive(Debug)]
#[non_exhaustive]
pub enum Payload {
    /// One batch of a Google Authenticator export; gather them with a
    /// [`crate::MigrationCollector`].
    Migration(MigrationBatch),
    /// One account (`otpauth://totp/…`, `otpauth://hotp/…`, `otpauth://steam/…`).
    OtpAuth(OtpUri),
    /// Anything else. `preview` says what it is without quoting it: the scheme and host of a
    /// URI (`https://example.com`), or the length of plain text.
    Other {
        /// Safe to show and log: no path, query or fragment, only printable ASCII.
        preview: String,
    },
    /// A privacyIDEA push enrollment (`otpauth://pipush/…` or `pia://pipush/…`), for the push
    /// feature to read with its own parser.
    PushEnrollment,
}

/// Why a text that claims to be an account or an export could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClassifyError {
    /// An `otpauth-migration://` text that is not a valid export.
    #[error("the Google Authenticator export code is damaged: {0}")]
    InvalidMigration(#[source] MigrationError),
    /// An `otpauth://` text that is not a valid account.
    #[error("the account QR code is invalid: {0}")]
    InvalidOtpAuth(#[source] UriError),
}

tessera_core::error_codes!(pub ClassifyError {
    InvalidMigration => "qr_invalid_migration",
    InvalidOtpAuth => "qr_invalid_otpauth",
});

/// Says what a QR code's text is, parsing accounts and exports with the core parsers.
///
/// Only the `otpauth` and `otpauth-migration` schemes are read as accounts: other schemes that
/// the core accepts in export files (`steam://`) are ordinary links inside a QR code.
pub fn classify(text: &str) -> Result<Payload, ClassifyError> {
    let text = text.trim();
    let Some(scheme) = scheme_of(text) else {
        return Ok(Payload::Other {
            preview: format!("text ({} characters)", text.chars().count()),
        });
    };
    if scheme.eq_ignore_ascii_case("otpauth-migration") {
        return migration::parse(text)
            .map(Payload::Migration)
            .map_err(ClassifyError::InvalidMigration);
    }
    if is_push(scheme, text) {
        return Ok(Payload::PushEnrollment);
    }
    if scheme.eq_ignore_ascii_case("otpauth") {
        return OtpUri::parse(text)
            .map(Payload::OtpAuth)
            .map_err(ClassifyError::InvalidOtpAuth);
    }
    Ok(Payload::Other {
        preview: preview(scheme, text),
    })
}

/// `otpauth://pipush/LABEL?…`, or `pia://pipush/LABEL?…` when the server's
/// `push_use_pia_scheme` policy is set: privacyIDEA's push token enrollment.
fn is_push(scheme: &str, text: &str) -> bool {
    if !scheme.eq_ignore_ascii_case("otpauth") && !scheme.eq_ignore_ascii_case("pia") {
        return false;
    }
    let Some(rest) = text
        .get(scheme.len() + 1..)
        .and_then(|r| r.strip_prefix("//"))
    else {
        return false;
    };
    rest.get(.."pipush".len())
        .is_some_and(|kind| kind.eq_ignore_ascii_case("pipush"))
        && rest
            .as_bytes()
            .get("pipush".len())
            .is_none_or(|c| matches!(c, b'/' | b'?'))
}

/// The URI scheme of a text (`otpauth`, `https`); `None` when the text does not start with one.
pub(crate) fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok && scheme.len() <= 32).then_some(scheme)
}

/// `scheme://host` with the host cut at its first character that is not a hostname character:
/// a user, a path, a query (where tokens live) and control characters never reach the preview.
fn preview(scheme: &str, text: &str) -> String {
    let scheme = scheme.to_ascii_lowercase();
    let Some(rest) = text
        .get(scheme.len() + 1..)
        .and_then(|r| r.strip_prefix("//"))
    else {
        return format!("{scheme}: link");
    };
    // Drop any `user:password@` part: it is a credential.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host: String = host
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        .take(64)
        .collect();
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otpauth_is_an_account() {
        let payload = classify("otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME");
        let Ok(Payload::OtpAuth(uri)) = payload else {
            panic!("expected an account, got {payload:?}");
        };
        assert_eq!((uri.issuer.as_str(), uri.name.as_str()), ("ACME", "alice"));
    }

    #[test]
    fn invalid_otpauth_is_an_error_without_the_secret() {
        let err = classify("otpauth://totp/A:b?secret=NOT*BASE32").unwrap_err();
        assert_eq!(err, ClassifyError::InvalidOtpAuth(UriError::InvalidSecret));
        assert_eq!(err.code(), "qr_invalid_otpauth");
        assert!(!err.to_string().contains("NOT*BASE32"));
    }

    #[test]
    fn push_enrollment_is_recognised_in_any_case() {
        for text in [
            "otpauth://pipush/PIPU0001?url=https://pi.example/ttype/push&ttl=10",
            "OTPAUTH://PIPUSH/label?x=1",
            "otpauth://pipush?x=1",
            "pia://pipush/PIPU0001?url=https://pi.example/ttype/push&v=1",
            "PIA://PiPush/label",
        ] {
            assert!(
                matches!(classify(text), Ok(Payload::PushEnrollment)),
                "{text}"
            );
        }
        // `pipushx` is just an unknown type, not a push token.
        assert!(classify("otpauth://pipushx/a?secret=JBSWY3DP").is_err());
        // Any other `pia://` link is just a link.
        assert!(matches!(
            classify("pia://other/x?token=SECRET"),
            Ok(Payload::Other { preview }) if preview == "pia://other"
        ));
    }

    #[test]
    fn migration_is_a_batch() {
        let text = "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D";
        let Ok(Payload::Migration(batch)) = classify(text) else {
            panic!("expected a migration batch");
        };
        assert_eq!(batch.entries.len(), 1);
        assert_eq!(batch.entries[0].name, "hotp demo");
        let err = classify("otpauth-migration://offline?data=%%%").unwrap_err();
        assert_eq!(err.code(), "qr_invalid_migration");
    }

    #[test]
    fn other_previews_show_scheme_and_host_only() {
        let cases = [
            (
                "https://user:pw@example.com:8443/reset?token=SECRET",
                "https://example.com:8443",
            ),
            ("HTTPS://Example.com", "https://Example.com"),
            ("mailto:someone@example.com", "mailto: link"),
            ("steam://openurl/https://store.example", "steam://openurl"),
            ("https://evil\u{1b}[31m.example/", "https://evil"),
            ("WIFI:S:home;T:WPA;P:hunter2;;", "wifi: link"),
            ("just some words: hello", "text (22 characters)"),
            ("", "text (0 characters)"),
        ];
        for (text, expected) in cases {
            let Ok(Payload::Other { preview }) = classify(text) else {
                panic!("{text:?} should be Other");
            };
            assert_eq!(preview, expected, "{text:?}");
        }
    }
}
