//! `otpauth://` Key URIs: parse everything real apps write, write what they all read back.
//!
//! The format is Google's "Key Uri Format" wiki page; the quirks accepted here are those of
//! `shared/docs/formats.md` §3, each one seen in another app's export or test data.
//!
//! The URI is split by hand rather than with the `url` crate on purpose: WHATWG parsing removes
//! tabs and newlines anywhere in the input and resolves `.`/`..` path segments, which would
//! silently change labels. Percent- and form-decoding use the `percent-encoding` and
//! `form_urlencoded` crates.

use std::borrow::Cow;
use std::sync::LazyLock;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, Digits, Otp, Period, UnixTime};
use crate::secret::OtpSecret;

/// One account as carried by an `otpauth://` URI.
///
/// `Debug` is derived but safe: the secret prints only its length.
#[derive(Debug, PartialEq, Eq)]
pub struct OtpUri {
    /// Service name; may be empty.
    pub issuer: String,
    /// Account name; may be empty.
    pub name: String,
    /// The shared secret.
    pub secret: OtpSecret,
    /// How codes are generated.
    pub otp: Otp,
}

/// Why a URI could not be read. Messages never quote the URI (it may carry the secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// The algorithm is not SHA1, SHA256 or SHA512 (MD5 included).
    #[error("unsupported algorithm: use SHA1, SHA256 or SHA512")]
    InvalidAlgorithm,
    /// `counter` is not a whole number from 0 to 2^64-1.
    #[error("the HOTP counter is not a whole number from 0 to 18446744073709551615")]
    InvalidCounter,
    /// `digits` is not a whole number from 5 to 10.
    #[error("the number of digits must be from 5 to 10")]
    InvalidDigits,
    /// The label is not percent-encoded UTF-8.
    #[error("the account label is not valid percent-encoded UTF-8")]
    InvalidLabel,
    /// `period` is zero or not a whole number of seconds.
    #[error("the period must be a whole number of seconds greater than zero")]
    InvalidPeriod,
    /// The secret is not base32, or decodes to no bytes.
    #[error("the secret is not valid base32")]
    InvalidSecret,
    /// There is no `secret` parameter, or it is empty.
    #[error("the URI has no secret")]
    MissingSecret,
    /// The text does not start with `otpauth://` (or `steam://`).
    #[error("not an otpauth:// URI")]
    NotOtpauth,
    /// The type is neither `totp`, `hotp` nor `steam`.
    #[error("unknown OTP type: expected totp, hotp or steam")]
    UnknownType,
    /// A known type that Tessera does not generate codes for (Yandex).
    #[error("unsupported OTP type (Yandex)")]
    UnsupportedType,
}

crate::error_codes!(pub UriError {
    InvalidAlgorithm => "invalid_algorithm",
    InvalidCounter => "invalid_counter",
    InvalidDigits => "invalid_digits",
    InvalidLabel => "invalid_label",
    InvalidPeriod => "invalid_period",
    InvalidSecret => "invalid_secret",
    MissingSecret => "missing_secret",
    NotOtpauth => "not_otpauth",
    UnknownType => "unknown_type",
    UnsupportedType => "unsupported_type",
});

/// A secret read from base32 text.
#[derive(Debug)]
pub struct Base32Secret {
    /// The key bytes.
    pub secret: OtpSecret,
    /// `false` when only the lenient decoder accepted the text (its length or its last
    /// character's unused bits are non-canonical); importers may warn about it.
    pub canonical: bool,
}

/// Decodes a base32 secret the way formats.md §1 says real apps need: case-insensitive, with
/// spaces, `-` and `=` ignored, and non-canonical lengths decoded leniently (5 bits per
/// character, a byte per 8 bits, leftover bits dropped). `None` for other characters or for
/// text that yields no bytes.
pub fn decode_base32(text: &str) -> Option<Base32Secret> {
    let normalized: Zeroizing<String> = Zeroizing::new(
        text.chars()
            .filter(|c| !(c.is_whitespace() || *c == '-' || *c == '='))
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    );
    if !normalized
        .bytes()
        .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c))
    {
        return None;
    }
    let (bytes, canonical) = match data_encoding::BASE32_NOPAD.decode(normalized.as_bytes()) {
        Ok(bytes) => (bytes, true),
        Err(_) => {
            // Keep only the characters that complete a byte; the rest are the dropped bits.
            let whole_bytes = normalized.len() * 5 / 8;
            let used_chars = (whole_bytes * 8).div_ceil(5);
            let prefix = normalized.as_bytes().get(..used_chars)?;
            (LENIENT_BASE32.as_ref()?.decode(prefix).ok()?, false)
        }
    };
    if bytes.is_empty() {
        return None;
    }
    Some(Base32Secret {
        secret: OtpSecret::from_bytes(bytes),
        canonical,
    })
}

/// RFC 4648 base32 that ignores non-zero unused bits in the last character.
static LENIENT_BASE32: LazyLock<Option<data_encoding::Encoding>> = LazyLock::new(|| {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    spec.encoding().ok()
});

impl OtpUri {
    /// Parses an `otpauth://TYPE/LABEL?PARAMS` URI (or Bitwarden/Proton's `steam://SECRET`).
    pub fn parse(text: &str) -> Result<OtpUri, UriError> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").ok_or(UriError::NotOtpauth)?;
        if scheme.eq_ignore_ascii_case("steam") {
            return parse_steam_scheme(rest);
        }
        if !scheme.eq_ignore_ascii_case("otpauth") {
            return Err(UriError::NotOtpauth);
        }
        // A fragment is not part of the key URI; `#` never occurs unescaped in a real one.
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (kind, label) = path.split_once('/').unwrap_or((path, ""));
        let kind = Kind::parse(kind)?;
        let params = Params::parse(query);
        let (label_issuer, name) = split_label(label)?;

        let secret = params.secret.as_deref().ok_or(UriError::MissingSecret)?;
        if secret.trim().is_empty() {
            return Err(UriError::MissingSecret);
        }
        let secret = decode_base32(secret).ok_or(UriError::InvalidSecret)?.secret;
        let otp = params.otp(kind)?;
        // The parameter wins over the label prefix (formats.md §3: 2FAuth's Microsoft account).
        let issuer = match params.issuer {
            Some(issuer) => issuer.into_owned(),
            None => label_issuer,
        };
        Ok(OtpUri {
            issuer,
            name,
            secret,
            otp,
        })
    }

    /// The URI in the form Aegis exports and Google Authenticator and Aegis read back:
    /// `otpauth://totp/Issuer:name?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30`
    /// (`counter=` for HOTP, type `steam` for Steam). Wiped on drop: it carries the secret.
    pub fn to_uri(&self) -> Zeroizing<String> {
        let label = self.label();
        let issuer = utf8_percent_encode(&self.issuer, COMPONENT).to_string();
        let secret = self.secret.to_base32();
        let (kind, tail) = match self.otp {
            Otp::Hotp {
                algorithm,
                digits,
                counter,
            } => (
                "hotp",
                format!(
                    "&algorithm={}&digits={}&counter={counter}",
                    algorithm.as_str(),
                    digits.get()
                ),
            ),
            Otp::Steam => ("steam", "&algorithm=SHA1&digits=5&period=30".to_owned()),
            Otp::Totp {
                algorithm,
                digits,
                period,
            } => (
                "totp",
                format!(
                    "&algorithm={}&digits={}&period={}",
                    algorithm.as_str(),
                    digits.get(),
                    period.get()
                ),
            ),
        };
        // Reserve everything up front: a reallocation would free a copy of the secret unwiped.
        let capacity = 64 + label.len() + secret.len() + issuer.len() + tail.len();
        let mut uri = Zeroizing::new(String::with_capacity(capacity));
        for part in ["otpauth://", kind, "/", &label, "?secret=", &secret] {
            uri.push_str(part);
        }
        if !self.issuer.is_empty() {
            uri.push_str("&issuer=");
            uri.push_str(&issuer);
        }
        uri.push_str(&tail);
        uri
    }

    /// A new account from this URI, created at `now`.
    pub fn into_account(self, now: UnixTime) -> Account {
        Account::new(self.issuer, self.name, self.secret, self.otp, now)
    }

    /// The URI of an existing account (for export and QR codes).
    pub fn from_account(account: &Account) -> OtpUri {
        OtpUri {
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            // A second owner is unavoidable: the URI outlives the borrow of the account.
            secret: account.secret.duplicate(),
            otp: account.otp,
        }
    }

    /// `enc(issuer):enc(name)`, with `:` inside either part escaped so the first literal colon
    /// stays the separator. Without an issuer the label is just the name, unless the name has a
    /// colon: then a leading `:` (Ente's empty-prefix form) keeps it from being read as one.
    fn label(&self) -> String {
        let name = utf8_percent_encode(&self.name, COMPONENT).to_string();
        if !self.issuer.is_empty() {
            format!("{}:{name}", utf8_percent_encode(&self.issuer, COMPONENT))
        } else if self.name.contains(':') {
            format!(":{name}")
        } else {
            name
        }
    }
}

/// Characters written as-is in labels and query values: RFC 3986 unreserved, plus `@` (valid in
/// paths and queries, and what every app writes in account names).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// `steam://BASE32` (Bitwarden `login.totp`, Proton Authenticator): a Steam key and nothing else.
fn parse_steam_scheme(rest: &str) -> Result<OtpUri, UriError> {
    if rest.trim().is_empty() {
        return Err(UriError::MissingSecret);
    }
    let secret = decode_base32(rest).ok_or(UriError::InvalidSecret)?.secret;
    Ok(OtpUri {
        issuer: String::new(),
        name: String::new(),
        secret,
        otp: Otp::Steam,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hotp,
    Steam,
    Totp,
}

impl Kind {
    fn parse(text: &str) -> Result<Self, UriError> {
        match text.to_ascii_lowercase().as_str() {
            "hotp" => Ok(Self::Hotp),
            "steam" => Ok(Self::Steam),
            "totp" => Ok(Self::Totp),
            "yaotp" | "yandex" => Err(UriError::UnsupportedType),
            _ => Err(UriError::UnknownType),
        }
    }
}

/// Splits `issuer:account` on the first literal colon, or failing that on the first `%3A`
/// (Stratum and Aegis text exports escape it), then decodes both parts. Spaces after the
/// separator are dropped (the spec allows `Issuer:%20account`).
fn split_label(label: &str) -> Result<(String, String), UriError> {
    let split = label
        .split_once(':')
        .or_else(|| {
            let at = label.to_ascii_uppercase().find("%3A")?;
            Some((label.get(..at)?, label.get(at + 3..)?))
        })
        .map_or(("", label), |(issuer, name)| (issuer, name));
    let decode = |part: &str| -> Result<String, UriError> {
        percent_decode_str(part)
            .decode_utf8()
            .map(Cow::into_owned)
            .map_err(|_| UriError::InvalidLabel)
    };
    let issuer = decode(split.0)?;
    let name = decode(split.1)?;
    Ok((issuer, name.trim_start_matches(' ').to_owned()))
}

/// The query parameters Tessera reads; the first occurrence of each wins, unknown ones
/// (`image`, `codeDisplay`, `pin`, ...) are ignored.
#[derive(Default)]
struct Params<'a> {
    algorithm: Option<Cow<'a, str>>,
    counter: Option<Cow<'a, str>>,
    digits: Option<Cow<'a, str>>,
    encoder: Option<Cow<'a, str>>,
    issuer: Option<Cow<'a, str>>,
    period: Option<Cow<'a, str>>,
    secret: Option<Zeroizing<String>>,
}

impl<'a> Params<'a> {
    fn parse(query: &'a str) -> Self {
        let mut params = Params::default();
        // Form decoding: `+` is a space (Aegis vectors write `issuer=Air+Canada`).
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let key = key.to_ascii_lowercase();
            if key == "secret" {
                if params.secret.is_none() {
                    params.secret = Some(Zeroizing::new(value.into_owned()));
                }
                continue;
            }
            // An empty value or the literal `null` (Ente, Proton) means "use the default".
            if value.trim().is_empty() || value.eq_ignore_ascii_case("null") {
                continue;
            }
            let slot = match key.as_str() {
                "algorithm" => &mut params.algorithm,
                "counter" => &mut params.counter,
                "digits" => &mut params.digits,
                "encoder" => &mut params.encoder,
                "issuer" => &mut params.issuer,
                "period" => &mut params.period,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        params
    }

    fn otp(&self, kind: Kind) -> Result<Otp, UriError> {
        let is_steam_encoder = self
            .encoder
            .as_deref()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case("steam"));
        match kind {
            // Steam fixes SHA1, 5 characters and 30 s: any other values are ignored.
            Kind::Steam => Ok(Otp::Steam),
            Kind::Totp if is_steam_encoder => Ok(Otp::Steam),
            Kind::Hotp => Ok(Otp::Hotp {
                algorithm: self.algorithm()?,
                digits: self.digits()?,
                // Ente writes `period` on HOTP URIs too; it is ignored here.
                counter: match &self.counter {
                    Some(text) => text.trim().parse().map_err(|_| UriError::InvalidCounter)?,
                    None => 0,
                },
            }),
            Kind::Totp => Ok(Otp::Totp {
                algorithm: self.algorithm()?,
                digits: self.digits()?,
                period: match &self.period {
                    Some(text) => text
                        .trim()
                        .parse()
                        .ok()
                        .and_then(Period::new)
                        .ok_or(UriError::InvalidPeriod)?,
                    None => Period::default(),
                },
            }),
        }
    }

    fn algorithm(&self) -> Result<Algorithm, UriError> {
        match &self.algorithm {
            Some(text) => Algorithm::parse(text).ok_or(UriError::InvalidAlgorithm),
            None => Ok(Algorithm::default()),
        }
    }

    fn digits(&self) -> Result<Digits, UriError> {
        match &self.digits {
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .and_then(Digits::new)
                .ok_or(UriError::InvalidDigits),
            None => Ok(Digits::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "JBSWY3DPEHPK3PXP";
    const KEY_BYTES: &[u8] = b"Hello!\xde\xad\xbe\xef";

    fn totp(algorithm: Algorithm, digits: u32, period: u32) -> Otp {
        Otp::Totp {
            algorithm,
            digits: Digits::new(digits).unwrap(),
            period: Period::new(period).unwrap(),
        }
    }

    fn hotp(counter: u64) -> Otp {
        Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter,
        }
    }

    /// Named cases, valid ones: (name, uri, issuer, account, otp). All carry the key `KEY`.
    #[test]
    fn accepted_forms() {
        let cases: &[(&str, &str, &str, &str, Otp)] = &[
            (
                "google_wiki_example",
                "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
                "Example",
                "alice@google.com",
                Otp::DEFAULT_TOTP,
            ),
            (
                "issuer_only_in_label",
                "otpauth://totp/ACME%20Co:john.doe@email.com?secret=JBSWY3DPEHPK3PXP",
                "ACME Co",
                "john.doe@email.com",
                Otp::DEFAULT_TOTP,
            ),
            (
                "param_issuer_wins_account_from_label",
                "otpauth://totp/MyOrganization:account?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft",
                "Microsoft",
                "account",
                Otp::DEFAULT_TOTP,
            ),
            (
                "escaped_colon_and_space_after_it",
                "otpauth://totp/Sha%3A%20256?secret=JBSWY3DPEHPK3PXP",
                "Sha",
                "256",
                Otp::DEFAULT_TOTP,
            ),
            (
                "literal_colon_beats_escaped_one",
                "otpauth://totp/a%3Ab:c%3Ad?secret=JBSWY3DPEHPK3PXP",
                "a:b",
                "c:d",
                Otp::DEFAULT_TOTP,
            ),
            (
                "empty_label",
                "otpauth://totp/?secret=JBSWY3DPEHPK3PXP",
                "",
                "",
                Otp::DEFAULT_TOTP,
            ),
            (
                "no_label_at_all",
                "otpauth://totp?secret=JBSWY3DPEHPK3PXP",
                "",
                "",
                Otp::DEFAULT_TOTP,
            ),
            (
                "ente_empty_prefix_and_empty_issuer_param",
                "otpauth://totp/:account?secret=JBSWY3DPEHPK3PXP&issuer",
                "",
                "account",
                Otp::DEFAULT_TOTP,
            ),
            (
                "utf8_label",
                "otpauth://totp/%C3%84pfel:J%C3%BCrgen?secret=JBSWY3DPEHPK3PXP",
                "\u{c4}pfel",
                "J\u{fc}rgen",
                Otp::DEFAULT_TOTP,
            ),
            (
                "plus_is_space_in_query",
                "otpauth://hotp/AC:Ben?secret=JBSWY3DPEHPK3PXP&issuer=Air+Canada&counter=50",
                "Air Canada",
                "Ben",
                hotp(50),
            ),
            (
                "plus_is_literal_in_label",
                "otpauth://totp/a+b?secret=JBSWY3DPEHPK3PXP",
                "",
                "a+b",
                Otp::DEFAULT_TOTP,
            ),
            (
                "lowercase_padded_spaced_base32",
                "otpauth://totp/x?secret=jbsw%20y3dp-ehpk3pxp%3D%3D%3D%3D",
                "",
                "x",
                Otp::DEFAULT_TOTP,
            ),
            (
                "null_literals_mean_default",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=null&digits=null&period=null",
                "",
                "x",
                Otp::DEFAULT_TOTP,
            ),
            (
                "case_insensitive_scheme_type_and_algorithm",
                "OTPAUTH://TOTP/x?secret=JBSWY3DPEHPK3PXP&algorithm=sha512&digits=8&period=60",
                "",
                "x",
                totp(Algorithm::Sha512, 8, 60),
            ),
            (
                "unknown_params_ignored",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fa.b%2Fi.png&codeDisplay=%7B%7D",
                "",
                "x",
                Otp::DEFAULT_TOTP,
            ),
            (
                "hotp_counter_beyond_32_bits",
                "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615&period=30",
                "",
                "x",
                hotp(u64::MAX),
            ),
            (
                "hotp_without_counter_starts_at_zero",
                "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP",
                "",
                "x",
                hotp(0),
            ),
            (
                "steam_type_ignores_digits",
                "otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXP&digits=7&algorithm=SHA256",
                "Steam",
                "me",
                Otp::Steam,
            ),
            (
                "keepassxc_steam_encoder",
                "otpauth://totp/Steam:me?secret=JBSWY3DPEHPK3PXP&encoder=steam",
                "Steam",
                "me",
                Otp::Steam,
            ),
            (
                "steam_scheme",
                "steam://JBSWY3DPEHPK3PXP",
                "",
                "",
                Otp::Steam,
            ),
            (
                "digits_five_and_ten",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=10&period=1",
                "",
                "x",
                totp(Algorithm::Sha1, 10, 1),
            ),
            (
                "surrounding_whitespace_and_fragment",
                "  otpauth://totp/x?secret=JBSWY3DPEHPK3PXP#frag \r\n",
                "",
                "x",
                Otp::DEFAULT_TOTP,
            ),
        ];
        for (case, uri, issuer, name, otp) in cases {
            let parsed = OtpUri::parse(uri).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(parsed.issuer, *issuer, "{case}");
            assert_eq!(parsed.name, *name, "{case}");
            assert_eq!(parsed.otp, *otp, "{case}");
            assert_eq!(parsed.secret.expose_secret(), KEY_BYTES, "{case}");
        }
    }

    /// Named cases, invalid ones: (name, uri, error code).
    #[test]
    fn rejected_forms() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "http_scheme",
                "https://example.com/?secret=JBSWY3DPEHPK3PXP",
                "not_otpauth",
            ),
            ("no_scheme", "JBSWY3DPEHPK3PXP", "not_otpauth"),
            ("motp", "motp://x?secret=JBSWY3DPEHPK3PXP", "not_otpauth"),
            (
                "unknown_type",
                "otpauth://xotp/x?secret=JBSWY3DPEHPK3PXP",
                "unknown_type",
            ),
            (
                "yandex",
                "otpauth://yaotp/x?secret=JBSWY3DPEHPK3PXP&pin=1",
                "unsupported_type",
            ),
            ("no_secret", "otpauth://totp/x?issuer=a", "missing_secret"),
            (
                "empty_secret",
                "otpauth://totp/x?secret=&issuer=a",
                "missing_secret",
            ),
            (
                "bad_base32_char",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PX1",
                "invalid_secret",
            ),
            (
                "one_char_secret",
                "otpauth://totp/x?secret=A",
                "invalid_secret",
            ),
            (
                "digits_zero",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=0",
                "invalid_digits",
            ),
            (
                "digits_eleven",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=11",
                "invalid_digits",
            ),
            (
                "digits_word",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six",
                "invalid_digits",
            ),
            (
                "period_zero",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0",
                "invalid_period",
            ),
            (
                "period_negative",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=-30",
                "invalid_period",
            ),
            (
                "counter_negative",
                "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1",
                "invalid_counter",
            ),
            (
                "counter_overflow",
                "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551616",
                "invalid_counter",
            ),
            (
                "md5",
                "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
                "invalid_algorithm",
            ),
            (
                "bad_utf8_label",
                "otpauth://totp/%FF%FE?secret=JBSWY3DPEHPK3PXP",
                "invalid_label",
            ),
        ];
        for (case, uri, code) in cases {
            match OtpUri::parse(uri) {
                Ok(parsed) => panic!("{case}: accepted as {parsed:?}"),
                Err(e) => assert_eq!(e.code(), *code, "{case}"),
            }
        }
    }

    #[test]
    fn errors_never_carry_the_secret() {
        let secret = "JBSWY3DPEHPK3PXPSECRETSECRET";
        let uris = [
            format!("otpauth://totp/x?secret={secret}&digits=99"),
            format!("otpauth://totp/x?secret={secret}&algorithm=MD5"),
            format!("otpauth://xotp/x?secret={secret}"),
            format!("otpauth://totp/%FF?secret={secret}"),
            format!("otpauth://totp/x?secret={secret}!"),
            format!("otpauth://totp/x?digits={secret}&secret={secret}"),
            format!("otpauth://totp/x?period={secret}&secret={secret}"),
        ];
        for uri in &uris {
            let error = OtpUri::parse(uri).unwrap_err();
            let shown = format!("{error} {error:?} {}", error.code());
            assert!(!shown.contains("JBSWY3DP"), "{shown}");
            assert!(
                !shown.to_ascii_uppercase().contains("SECRETSECRET"),
                "{shown}"
            );
        }
    }

    #[test]
    fn parsed_uri_debug_hides_the_secret() {
        let parsed = OtpUri::parse("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{parsed:?}");
        assert!(shown.contains("OtpSecret(len=10)"), "{shown}");
        assert!(!shown.contains(KEY), "{shown}");
    }

    #[test]
    fn lenient_base32_matches_formats_md() {
        // (text, key hex, canonical): non-canonical secrets and their keys from the import
        // samples' expected files (formats.md §1 lenient decoding), plus canonical controls.
        let cases = [
            ("JBSWY3DPEHPK3PXP", "48656c6c6f21deadbeef", true),
            ("GE======", "31", true),
            ("AAAAAAAAA", "0000000000", false),
            ("ASDFADF", "0486500c", false),
            ("BDKSIEHWBDBBDBDZBZJ", "08d52410f608c21184790e", false),
            ("CBJXCBCBCBCB", "10537104411044", false),
            ("DJDJDJHDJDHFHHFHF", "1a4691a4e348ce539ca7", false),
            ("NDJDJFNXNNCNCNC", "68d23495b76b44d134", false),
            ("ndjdjfnx nncn-cnc", "68d23495b76b44d134", false),
        ];
        for (text, hex, canonical) in cases {
            let decoded = decode_base32(text).unwrap_or_else(|| panic!("{text}"));
            let got: String = decoded
                .secret
                .expose_secret()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(got, hex, "{text}");
            assert_eq!(decoded.canonical, canonical, "{text}");
        }
        assert!(decode_base32("").is_none());
        assert!(decode_base32("A").is_none());
        assert!(decode_base32("AB0").is_none());
        assert!(decode_base32("ÄÖ").is_none());
    }

    #[test]
    fn writes_the_aegis_form() {
        let cases: &[(&str, &str, &str, Otp, &str)] = &[
            (
                "totp",
                "Deno",
                "Mason",
                Otp::DEFAULT_TOTP,
                "otpauth://totp/Deno:Mason?secret=JBSWY3DPEHPK3PXP&issuer=Deno&algorithm=SHA1&digits=6&period=30",
            ),
            (
                "hotp_escapes",
                "Air Canada",
                "a:b@c.d",
                Otp::Hotp {
                    algorithm: Algorithm::Sha256,
                    digits: Digits::new(7).unwrap(),
                    counter: 50,
                },
                "otpauth://hotp/Air%20Canada:a%3Ab@c.d?secret=JBSWY3DPEHPK3PXP&issuer=Air%20Canada&algorithm=SHA256&digits=7&counter=50",
            ),
            (
                "steam",
                "Steam",
                "me",
                Otp::Steam,
                "otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXP&issuer=Steam&algorithm=SHA1&digits=5&period=30",
            ),
            (
                "no_issuer",
                "",
                "bob",
                Otp::DEFAULT_TOTP,
                "otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30",
            ),
            (
                "no_issuer_colon_in_name",
                "",
                "a:b",
                Otp::DEFAULT_TOTP,
                "otpauth://totp/:a%3Ab?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30",
            ),
        ];
        for (case, issuer, name, otp, expected) in cases {
            let uri = OtpUri {
                issuer: (*issuer).to_owned(),
                name: (*name).to_owned(),
                secret: OtpSecret::from_slice(KEY_BYTES),
                otp: *otp,
            };
            let written = uri.to_uri();
            assert_eq!(written.as_str(), *expected, "{case}");
            assert_eq!(OtpUri::parse(&written).unwrap(), uri, "{case}");
        }
    }

    #[test]
    fn account_conversions_keep_every_field() {
        let uri = OtpUri::parse(
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&digits=8&period=60",
        )
        .unwrap();
        let account = uri.into_account(UnixTime(1_700_000_000));
        assert_eq!(account.issuer, "GitHub");
        assert_eq!(account.name, "alice");
        assert_eq!(account.otp, totp(Algorithm::Sha1, 8, 60));
        assert_eq!(account.created, UnixTime(1_700_000_000));
        let back = OtpUri::from_account(&account);
        assert_eq!(back.secret, account.secret);
        assert_eq!(back.issuer, "GitHub");
        assert_eq!(back.otp, account.otp);
    }
}
