//! Enrollment: the `otpauth://pipush/…` link (step 1) and the key exchange (step 2).
//!
//! Protocol doc §3 and §4.

use std::fmt;

use serde_json::Value;
use url::{Host, Url};
use zeroize::Zeroizing;

use super::keys::{DeviceKey, ServerKey};
use super::response::Envelope;
use crate::{PushError, UriError};

/// A parsed push enrollment link.
///
/// Holds the one-time enrollment credential, so `Debug` is written by hand and leaves it out.
pub struct EnrollmentUri {
    label: String,
    serial: String,
    url: Url,
    url_text: String,
    issuer: Option<String>,
    credential: Zeroizing<String>,
    sslverify: bool,
    ttl_minutes: Option<u32>,
    poll_only: bool,
    pin: bool,
    force_unlock: Option<ForceUnlock>,
    /// The user chose to enroll although the link turns TLS certificate checks off.
    unverified_tls_chosen: bool,
}

/// Whether `url` names this computer (127.0.0.0/8, `::1`, `localhost`): the only place plain
/// `http://` may go, since no network lies between client and server there. One rule for push
/// enrollment links, self-service servers and the clock offset.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// What the organisation asks before this device approves a sign-in (protocol doc §3: the
/// `push_force_app_pin` policy writes `pin=True`, `push_app_force_unlock` writes
/// `app_force_unlock=any|biometric|pin`). A desktop has no app PIN: the OS verification
/// (login password or fingerprint through polkit, Windows Hello, Touch ID) stands for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForceUnlock {
    /// Any OS verification (`any`, `pin`, or `pin=True` alone).
    Any,
    /// A biometric-capable verifier where the OS offers one (`biometric`).
    Biometric,
}

/// Whether `text` is meant as a push enrollment link (`otpauth://pipush/…`, `pia://…`) rather
/// than an otpauth account, before it is parsed: so a broken push link is reported as one.
pub fn is_push_link(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("otpauth://pipush/") || lower.starts_with("pia://")
}

/// A token's id: `<serial>@<origin>`, e.g. `PIPU00005FB7@https://pi.example.com` (the same
/// serial on two servers is two tokens).
pub(crate) fn token_id(serial: &str, origin: &str) -> String {
    format!("{serial}@{origin}")
}

impl EnrollmentUri {
    /// Parses `otpauth://pipush/<label>?…` or `pia://pipush/<label>?…` (the scheme the
    /// `push_use_pia_scheme` policy selects). Parameters are read unordered.
    pub fn parse(text: &str) -> Result<Self, UriError> {
        let text = text.trim();
        let parsed = Url::parse(text).map_err(|_| UriError::NotPush)?;
        let scheme_ok = parsed.scheme().eq_ignore_ascii_case("otpauth")
            || parsed.scheme().eq_ignore_ascii_case("pia");
        let host_ok = parsed
            .host_str()
            .is_some_and(|host| host.eq_ignore_ascii_case("pipush"));
        if !scheme_ok || !host_ok {
            return Err(UriError::NotPush);
        }
        let label = percent_decode(parsed.path().trim_start_matches('/'));

        let mut serial = None;
        let mut url = None;
        let mut issuer = None;
        let mut credential = None;
        let mut sslverify = true;
        let mut ttl_minutes = None;
        let mut version = None;
        let mut poll_only = false;
        let mut pin = false;
        let mut force_unlock = None;
        // Values never hold a raw `+` (the server writes `%20`), so form decoding is exact.
        for (key, value) in parsed.query_pairs() {
            match key.as_ref() {
                "serial" => serial = Some(value.into_owned()),
                "url" => url = Some(value.into_owned()),
                "issuer" => issuer = Some(value.into_owned()),
                "enrollment_credential" => credential = Some(Zeroizing::new(value.into_owned())),
                "sslverify" => {
                    sslverify = match value.as_ref() {
                        "0" => false,
                        "1" => true,
                        _ => return Err(UriError::Invalid("sslverify")),
                    }
                }
                "ttl" => ttl_minutes = Some(value.parse().map_err(|_| UriError::Invalid("ttl"))?),
                "v" => version = Some(value.into_owned()),
                "poll_only" => poll_only = python_bool(&value),
                "pin" => pin = python_bool(&value),
                // An unknown value still asks for verification: never less than the server meant.
                "app_force_unlock" if !value.is_empty() => {
                    force_unlock = Some(if value.eq_ignore_ascii_case("biometric") {
                        ForceUnlock::Biometric
                    } else {
                        ForceUnlock::Any
                    });
                }
                _ => {}
            }
        }
        if version.as_deref() != Some("1") {
            return Err(UriError::Version);
        }
        let serial = serial
            .filter(|s| !s.is_empty())
            .ok_or(UriError::Missing("serial"))?;
        if serial.len() > 128 || serial.contains('|') || serial.chars().any(char::is_control) {
            return Err(UriError::Invalid("serial"));
        }
        let url_text = url
            .filter(|u| !u.is_empty())
            .ok_or(UriError::Missing("url"))?;
        let url_parsed = Url::parse(&url_text).map_err(|_| UriError::BadUrl)?;
        if !matches!(url_parsed.scheme(), "http" | "https") || url_parsed.host().is_none() {
            return Err(UriError::BadUrl);
        }
        // The server key is pinned from the enrollment answer: over plain http to another
        // computer, whoever sits in between would own the token. Refused here, before any key
        // is made or anything is sent.
        if url_parsed.scheme() == "http" && !is_loopback(&url_parsed) {
            return Err(UriError::InsecureUrl);
        }
        let credential = credential
            .filter(|c| !c.is_empty())
            .ok_or(UriError::Missing("enrollment_credential"))?;
        Ok(Self {
            label: if label.is_empty() {
                serial.clone()
            } else {
                label
            },
            serial,
            url: url_parsed,
            url_text,
            issuer: issuer.filter(|i| !i.is_empty()),
            credential,
            sslverify,
            ttl_minutes,
            poll_only,
            pin,
            force_unlock: force_unlock.or(pin.then_some(ForceUnlock::Any)),
            unverified_tls_chosen: false,
        })
    }

    /// The same link, with the user's explicit choice to enroll it although it turns TLS
    /// certificate checks off (`sslverify=0`): the CLI's `--allow-unverified-tls`, the app's
    /// deliberate second step. Without it such a link is refused by [`Self::check_transport`].
    pub fn allowing_unverified_tls(self, chosen: bool) -> Self {
        Self {
            unverified_tls_chosen: chosen,
            ..self
        }
    }

    /// Whether step 2 may go ahead: a link that turns TLS checks off needs the user's choice
    /// ([`Self::allowing_unverified_tls`]). Call it before making the device key;
    /// [`crate::PushClient::enroll`] checks it again before sending anything.
    pub fn check_transport(&self) -> Result<(), PushError> {
        if self.sslverify || self.unverified_tls_chosen {
            Ok(())
        } else {
            Err(PushError::UnverifiedTls)
        }
    }

    /// The label (the `tokenlabel` policy; the serial by default).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The token serial, e.g. `PIPU00005FB7`.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The registration URL, where step 2, polls and answers go.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The id of the token this link enrolls ([`crate::PushToken::id`]): a second enrollment
    /// of the same token is recognised before a key is made.
    pub fn token_id(&self) -> String {
        token_id(&self.serial, &self.url.origin().ascii_serialization())
    }

    /// The registration URL exactly as written in the link.
    pub fn url_text(&self) -> &str {
        &self.url_text
    }

    /// The issuer (organisation), when given.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// Whether TLS certificates must be checked (`sslverify=1`, the default). `false` is shown
    /// as a warning on the token.
    pub fn sslverify(&self) -> bool {
        self.sslverify
    }

    /// Minutes the server gives the client to finish step 2 (advice; 3.14 does not enforce it).
    pub fn ttl_minutes(&self) -> Option<u32> {
        self.ttl_minutes
    }

    /// `poll_only=True`: the server never pushes through Firebase. Tessera only polls anyway.
    pub fn poll_only(&self) -> bool {
        self.poll_only
    }

    /// `pin=True`: the organisation wants the token behind an app PIN.
    pub fn pin_required(&self) -> bool {
        self.pin
    }

    /// The verification the organisation demands before an approval (`None`: the user's own
    /// settings decide).
    pub fn force_unlock(&self) -> Option<ForceUnlock> {
        self.force_unlock
    }

    /// The form of enrollment step 2 (`POST <url>`), with the device's public key.
    pub fn enroll_request(&self, key: &DeviceKey) -> Result<EnrollRequest, PushError> {
        Ok(EnrollRequest {
            url: self.url.clone(),
            fields: vec![
                ("enrollment_credential", self.credential.clone()),
                ("serial", Zeroizing::new(self.serial.clone())),
                // A poll-only client has no Firebase token, but the field must be present:
                // serial + fbtoken + pubkey is what marks a request as step 2 (§4).
                ("fbtoken", Zeroizing::new("no_firebase_token".to_owned())),
                ("pubkey", Zeroizing::new(key.public_key_field()?)),
            ],
        })
    }
}

impl fmt::Debug for EnrollmentUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollmentUri")
            .field("label", &self.label)
            .field("serial", &self.serial)
            .field("url", &self.url_text)
            .field("issuer", &self.issuer)
            .field("sslverify", &self.sslverify)
            .finish_non_exhaustive()
    }
}

fn python_bool(value: &str) -> bool {
    matches!(value, "True" | "true" | "1")
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// Enrollment step 2 as a form post. Holds the enrollment credential: no `Debug` of values.
pub struct EnrollRequest {
    url: Url,
    fields: Vec<(&'static str, Zeroizing<String>)>,
}

impl EnrollRequest {
    /// Where to post.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The form fields, in order.
    pub fn form(&self) -> Vec<(&'static str, &str)> {
        self.fields
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
            .collect()
    }
}

impl fmt::Debug for EnrollRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollRequest")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

/// Reads the answer to step 2: the server's public key for this token (`detail.public_key`).
pub fn parse_enroll_response(status: u16, body: &[u8]) -> Result<ServerKey, PushError> {
    let envelope = Envelope::parse(status, body)?;
    if let Some(error) = envelope.error() {
        return Err(match error.code {
            Some(905) => PushError::EnrollmentRefused,
            Some(601) => PushError::EnrollmentNotPending,
            code => PushError::Server { status, code },
        });
    }
    let key = envelope
        .detail()
        .and_then(|detail| detail.get("public_key"))
        .and_then(Value::as_str)
        .ok_or(PushError::InvalidResponse(
            "no server key in enrollment answer",
        ))?;
    ServerKey::from_server_text(key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_links_are_told_from_accounts_by_their_scheme() {
        assert!(super::is_push_link("pia://pipush/X?v=1"));
        assert!(super::is_push_link("OTPAUTH://pipush/X"));
        assert!(super::is_push_link("  otpauth://pipush/X"));
        assert!(!super::is_push_link("otpauth://totp/X?secret=A"));
        assert!(!super::is_push_link("https://pia.example/"));
    }

    use super::*;

    const LINK: &str = "otpauth://pipush/PIPU00005FB7?url=http%3A//127.0.0.1%3A5000/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=7f4a9bb0c87bbb0b501ac98abae0976c67ac2f15&v=1&serial=PIPU00005FB7&sslverify=0&poll_only=True";

    #[test]
    fn a_links_token_id_is_its_serial_at_the_servers_origin() {
        let uri = EnrollmentUri::parse(LINK).unwrap();
        assert_eq!(uri.token_id(), "PIPU00005FB7@http://127.0.0.1:5000");
        let https = EnrollmentUri::parse(
            "otpauth://pipush/W?v=1&serial=PIPU1&enrollment_credential=c&url=https://pi.example:443/ttype/push",
        )
        .unwrap();
        // The default port is not part of the origin: the same server either way.
        assert_eq!(https.token_id(), "PIPU1@https://pi.example");
    }

    #[test]
    fn parses_the_server_link_from_the_doc() {
        let uri = EnrollmentUri::parse(LINK).unwrap();
        assert_eq!(uri.serial(), "PIPU00005FB7");
        assert_eq!(uri.label(), "PIPU00005FB7");
        assert_eq!(uri.url_text(), "http://127.0.0.1:5000/ttype/push");
        assert_eq!(uri.issuer(), Some("privacyIDEA"));
        assert!(!uri.sslverify());
        assert!(uri.poll_only());
        assert!(!uri.pin_required());
        assert_eq!(uri.ttl_minutes(), Some(10));
        let printed = format!("{uri:?}");
        assert!(!printed.contains("7f4a9bb0"), "{printed}");
    }

    #[test]
    fn the_organisations_unlock_policy_is_read() {
        let with = |extra: &str| EnrollmentUri::parse(&format!("{LINK}{extra}")).unwrap();
        assert_eq!(with("").force_unlock(), None);
        assert_eq!(
            with("&app_force_unlock=any").force_unlock(),
            Some(ForceUnlock::Any)
        );
        assert_eq!(
            with("&app_force_unlock=pin").force_unlock(),
            Some(ForceUnlock::Any)
        );
        assert_eq!(
            with("&app_force_unlock=biometric").force_unlock(),
            Some(ForceUnlock::Biometric)
        );
        // push_force_app_pin alone: any verification.
        let pin = with("&pin=True");
        assert!(pin.pin_required());
        assert_eq!(pin.force_unlock(), Some(ForceUnlock::Any));
        // A value this client does not know still asks: never less than the server meant.
        assert_eq!(
            with("&app_force_unlock=face").force_unlock(),
            Some(ForceUnlock::Any)
        );
        assert_eq!(
            with("&pin=True&app_force_unlock=biometric").force_unlock(),
            Some(ForceUnlock::Biometric)
        );
    }

    #[test]
    fn pia_scheme_label_and_parameter_order() {
        let uri = EnrollmentUri::parse(
            "pia://pipush/alice%40example%20corp?serial=PIPU1&v=1&enrollment_credential=ab&url=https://pi.example/ttype/push&pin=True",
        )
        .unwrap();
        assert_eq!(uri.label(), "alice@example corp");
        assert!(uri.sslverify(), "sslverify defaults to on");
        assert!(uri.pin_required());
    }

    #[test]
    fn refusals_are_named() {
        let cases = [
            ("otpauth://totp/x?secret=JBSWY3DP", UriError::NotPush),
            ("https://pipush/x", UriError::NotPush),
            ("not a uri", UriError::NotPush),
            (
                "otpauth://pipush/x?url=http://h/p&enrollment_credential=a&serial=S",
                UriError::Version,
            ),
            (
                "otpauth://pipush/x?v=2&url=http://h/p&enrollment_credential=a&serial=S",
                UriError::Version,
            ),
            (
                "otpauth://pipush/x?v=1&url=http://h/p&enrollment_credential=a",
                UriError::Missing("serial"),
            ),
            (
                "otpauth://pipush/x?v=1&enrollment_credential=a&serial=S",
                UriError::Missing("url"),
            ),
            (
                "otpauth://pipush/x?v=1&url=https://h/p&serial=S",
                UriError::Missing("enrollment_credential"),
            ),
            (
                "otpauth://pipush/x?v=1&url=http://192.0.2.1/ttype/push&enrollment_credential=a&serial=S",
                UriError::InsecureUrl,
            ),
            (
                "otpauth://pipush/x?v=1&url=http://pi.example.com/ttype/push&enrollment_credential=a&serial=S",
                UriError::InsecureUrl,
            ),
            (
                "otpauth://pipush/x?v=1&url=http://localhost.pi.example.com/p&enrollment_credential=a&serial=S",
                UriError::InsecureUrl,
            ),
            (
                "otpauth://pipush/x?v=1&url=file:///etc/passwd&enrollment_credential=a&serial=S",
                UriError::BadUrl,
            ),
            (
                "otpauth://pipush/x?v=1&url=http://h/p&enrollment_credential=a&serial=S&sslverify=maybe",
                UriError::Invalid("sslverify"),
            ),
            (
                "otpauth://pipush/x?v=1&url=http://h/p&enrollment_credential=a&serial=S%7CT",
                UriError::Invalid("serial"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(EnrollmentUri::parse(text).unwrap_err(), expected, "{text}");
        }
    }

    #[test]
    fn plain_http_only_to_this_computer() {
        let link = |url: &str| {
            format!("otpauth://pipush/x?v=1&enrollment_credential=a&serial=S&url={url}")
        };
        for url in [
            "http://127.0.0.1:5000/ttype/push",
            "http://127.8.9.10/ttype/push",
            "http://[::1]:5000/ttype/push",
            "http://localhost:5000/ttype/push",
            "http://LOCALHOST/ttype/push",
            "https://pi.example.com/ttype/push",
            "https://192.0.2.1/ttype/push",
        ] {
            assert!(EnrollmentUri::parse(&link(url)).is_ok(), "{url}");
        }
        for url in [
            "http://192.0.2.1/ttype/push",
            "http://[2001:db8::1]/ttype/push",
            "http://pi.example.com/ttype/push",
            "http://0.0.0.0:5000/ttype/push",
        ] {
            let error = EnrollmentUri::parse(&link(url)).unwrap_err();
            assert_eq!(error, UriError::InsecureUrl, "{url}");
            assert_eq!(PushError::from(error).code(), "push_insecure_url");
        }
    }

    #[test]
    fn unverified_tls_needs_the_users_choice() {
        let off = EnrollmentUri::parse(LINK).unwrap();
        assert!(matches!(
            off.check_transport(),
            Err(PushError::UnverifiedTls)
        ));
        assert!(off.allowing_unverified_tls(true).check_transport().is_ok());
        let on = EnrollmentUri::parse(&LINK.replace("sslverify=0", "sslverify=1")).unwrap();
        assert!(on.check_transport().is_ok());
        // Choosing it back off is refused again.
        let off = EnrollmentUri::parse(LINK)
            .unwrap()
            .allowing_unverified_tls(true)
            .allowing_unverified_tls(false);
        assert_eq!(
            off.check_transport().unwrap_err().code(),
            "push_unverified_tls"
        );
    }

    #[test]
    fn step_two_form_has_the_spki_key_and_placeholder_fbtoken() {
        let uri = EnrollmentUri::parse(LINK).unwrap();
        let key = super::super::keys::test_key();
        let request = uri.enroll_request(key).unwrap();
        assert_eq!(request.url().as_str(), "http://127.0.0.1:5000/ttype/push");
        let form = request.form();
        let names: Vec<_> = form.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            ["enrollment_credential", "serial", "fbtoken", "pubkey"]
        );
        assert_eq!(form[0].1, "7f4a9bb0c87bbb0b501ac98abae0976c67ac2f15");
        assert_eq!(form[2].1, "no_firebase_token");
        assert_eq!(form[3].1, key.public_key_field().unwrap());
        assert!(!format!("{request:?}").contains("7f4a9bb0"));
    }

    #[test]
    fn enroll_response_errors_map_to_codes() {
        let refused = br#"{"detail": null, "result": {"error": {"code": 905, "message": "ERR905: Invalid enrollment credential."}, "status": false}}"#;
        assert!(matches!(
            parse_enroll_response(400, refused),
            Err(PushError::EnrollmentRefused)
        ));
        let again =
            br#"{"result": {"error": {"code": 601, "message": "No token"}, "status": false}}"#;
        assert!(matches!(
            parse_enroll_response(404, again),
            Err(PushError::EnrollmentNotPending)
        ));
        let no_key = br#"{"detail": {"rollout_state": "enrolled"}, "result": {"status": true, "value": true}}"#;
        assert!(matches!(
            parse_enroll_response(200, no_key),
            Err(PushError::InvalidResponse(_))
        ));
        let ok = format!(
            r#"{{"detail": {{"public_key": "{}"}}, "result": {{"status": true, "value": true}}}}"#,
            super::super::tests::VECTOR_SERVER_KEY.replace('\n', "\\n")
        );
        assert!(parse_enroll_response(200, ok.as_bytes()).is_ok());
    }
}
