//! What an import yields: entries, per-entry problems, and the shared rules that turn one
//! file's fields into an [`Otp`] (defaults, ranges, type names) the same way for every format.

use std::fmt;

use tessera_core::migration::BatchInfo;
use tessera_core::uri::{UriError, decode_base32};
use tessera_core::{Account, Algorithm, Digits, Otp, OtpSecret, Period, UnixTime};

use crate::limits::{Limit, MAX_ENTRIES};
use crate::{Format, ImportError};

/// The result of reading one export file.
#[derive(Debug)]
pub struct Import {
    /// The format the file was read as.
    pub format: Format,
    /// Accounts read, in file order.
    pub entries: Vec<ImportedEntry>,
    /// Entries that could not be imported, in file order, each with its reason.
    pub problems: Vec<EntryProblem>,
    /// The batch fields of every Google Authenticator export code read (one per
    /// `otpauth-migration://` payload, from text lines or QR codes); empty for other formats.
    pub export_codes: Vec<BatchInfo>,
}

impl Import {
    /// The codes of Google Authenticator exports that this import lacks (codes 2 and 3 of 3,
    /// say). Their accounts are not in [`Import::entries`]; the accounts of the codes given are.
    pub fn missing_codes(&self) -> Vec<crate::MissingCodes> {
        crate::MissingCodes::of(&self.export_codes)
    }

    /// Problems that are other OTP types (mOTP, Yandex), as opposed to invalid entries.
    pub fn unsupported(&self) -> impl Iterator<Item = &EntryProblem> {
        self.problems.iter().filter(|p| p.is_unsupported())
    }

    /// Problems that are invalid entries (bad digits, period, algorithm or secret, ...).
    pub fn rejected(&self) -> impl Iterator<Item = &EntryProblem> {
        self.problems.iter().filter(|p| !p.is_unsupported())
    }
}

/// One account read from an export file.
///
/// `Debug` is derived but safe: the secret prints only its length.
#[derive(Debug)]
pub struct ImportedEntry {
    /// Position of the entry in the file (0-based), counted over entries and problems alike.
    pub position: usize,
    /// Service name; may be empty.
    pub issuer: String,
    /// Account name; may be empty.
    pub name: String,
    /// The shared secret.
    pub secret: OtpSecret,
    /// How codes are generated.
    pub otp: Otp,
    /// Tags, groups or folders the source app filed the entry under.
    pub tags: Vec<String>,
}

impl ImportedEntry {
    /// "Issuer (name)", "Issuer" or "name", as the account list shows it.
    pub fn label(&self) -> String {
        label(&self.issuer, &self.name)
    }

    /// A new vault account from this entry, created at `now`, keeping its tags. The entry keeps
    /// its secret too: a vault update may run again after a concurrent write, and takes the
    /// entries again each time.
    pub fn to_account(&self, now: UnixTime) -> Account {
        let mut account = Account::new(
            self.issuer.clone(),
            self.name.clone(),
            self.secret.duplicate(),
            self.otp,
            now,
        );
        account.tags = self.tags.clone();
        account
    }
}

/// An entry of the file that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProblem {
    /// Position of the entry in the file (0-based), counted over entries and problems alike.
    pub position: usize,
    /// What the user knows the entry by ("Issuer (name)", or "line 3" when nothing better is
    /// readable). Never the secret.
    pub label: String,
    /// Why it was not imported.
    pub error: EntryError,
}

impl EntryProblem {
    /// Whether the entry is another OTP type (mOTP, Yandex) rather than an invalid one.
    pub fn is_unsupported(&self) -> bool {
        matches!(self.error, EntryError::UnsupportedType { .. })
    }
}

/// OTP types that exist in other apps but that Tessera does not generate codes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OtherKind {
    /// Mobile-OTP (MD5 of secret, PIN and time).
    Motp,
    /// Yandex Key (PIN-based).
    Yandex,
}

impl fmt::Display for OtherKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Motp => "mOTP",
            Self::Yandex => "Yandex",
        })
    }
}

/// Why one entry was not imported. Messages never quote the entry's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The entry's key could not be decrypted although the file's password was right.
    #[error("the entry's secret could not be decrypted")]
    CannotDecrypt,
    /// The algorithm is not SHA1, SHA256 or SHA512.
    #[error("unsupported algorithm: only SHA1, SHA256 and SHA512 are supported")]
    InvalidAlgorithm,
    /// The HOTP counter is not a whole number from 0 to 2^64-1.
    #[error("the HOTP counter is not a valid number")]
    InvalidCounter,
    /// The number of digits is outside 5 to 10.
    #[error("the number of digits must be from 5 to 10")]
    InvalidDigits,
    /// The period is zero or not a whole number of seconds.
    #[error("the period must be a whole number of seconds greater than zero")]
    InvalidPeriod,
    /// The secret is not valid base32 (or base64, or bytes, as the format stores it).
    #[error("the secret is not valid")]
    InvalidSecret,
    /// The entry lacks fields the format requires, or has them with the wrong type.
    #[error("the entry is incomplete or malformed")]
    Malformed,
    /// A file the entry refers to is missing (Steam manifest without its maFile).
    #[error("a file this entry needs is missing")]
    MissingFile,
    /// The entry has no secret.
    #[error("the entry has no secret")]
    MissingSecret,
    /// A line of a URI list that is not an `otpauth://` URI.
    #[error("not an otpauth:// URI")]
    NotAUri,
    /// An OTP type Tessera does not know at all.
    #[error("unknown OTP type")]
    UnknownType,
    /// A known OTP type Tessera does not generate codes for.
    #[error("{kind} accounts are not supported")]
    UnsupportedType {
        /// Which type.
        kind: OtherKind,
    },
}

tessera_core::error_codes!(pub EntryError {
    CannotDecrypt => "cannot_decrypt",
    InvalidAlgorithm => "invalid_algorithm",
    InvalidCounter => "invalid_counter",
    InvalidDigits => "invalid_digits",
    InvalidPeriod => "invalid_period",
    InvalidSecret => "invalid_secret",
    Malformed => "malformed_entry",
    MissingFile => "missing_file",
    MissingSecret => "missing_secret",
    NotAUri => "not_a_uri",
    UnknownType => "unknown_type",
    UnsupportedType => "unsupported_type",
});

impl EntryError {
    /// The entry error for a URI the core parser refused.
    pub(crate) fn from_uri(error: UriError, uri: &str) -> Self {
        match error {
            UriError::InvalidAlgorithm => Self::InvalidAlgorithm,
            UriError::InvalidCounter => Self::InvalidCounter,
            UriError::InvalidDigits => Self::InvalidDigits,
            UriError::InvalidLabel => Self::Malformed,
            UriError::InvalidPeriod => Self::InvalidPeriod,
            UriError::InvalidSecret => Self::InvalidSecret,
            UriError::MissingSecret => Self::MissingSecret,
            UriError::NotOtpauth if has_scheme(uri, "motp") => Self::UnsupportedType {
                kind: OtherKind::Motp,
            },
            UriError::NotOtpauth => Self::NotAUri,
            UriError::UnknownType if uri_type_is(uri, "motp") => Self::UnsupportedType {
                kind: OtherKind::Motp,
            },
            UriError::UnknownType => Self::UnknownType,
            UriError::UnsupportedType => Self::UnsupportedType {
                kind: OtherKind::Yandex,
            },
            _ => Self::Malformed,
        }
    }
}

fn has_scheme(uri: &str, scheme: &str) -> bool {
    uri.trim()
        .split_once("://")
        .is_some_and(|(s, _)| s.eq_ignore_ascii_case(scheme))
}

fn uri_type_is(uri: &str, kind: &str) -> bool {
    uri.trim()
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?']).next())
        .is_some_and(|k| k.eq_ignore_ascii_case(kind))
}

pub(crate) use tessera_core::model::display_label as label;

/// Builds an [`Import`], numbering entries and problems in file order. Past
/// [`MAX_ENTRIES`] it keeps nothing more, and [`Collector::finish`] refuses the file.
pub(crate) struct Collector {
    format: Format,
    entries: Vec<ImportedEntry>,
    problems: Vec<EntryProblem>,
    export_codes: Vec<BatchInfo>,
    next: usize,
}

impl Collector {
    pub(crate) fn new(format: Format) -> Self {
        Self {
            format,
            entries: Vec::new(),
            problems: Vec::new(),
            export_codes: Vec::new(),
            next: 0,
        }
    }

    /// Whether the import already holds more than [`MAX_ENTRIES`]: loops over a file's entries
    /// stop early then (the file is refused anyway).
    pub(crate) fn is_full(&self) -> bool {
        self.next > MAX_ENTRIES
    }

    /// Records one entry of the file: imported if `parsed` is `Ok`, reported otherwise.
    pub(crate) fn add(
        &mut self,
        issuer: String,
        name: String,
        parsed: Result<(OtpSecret, Otp), EntryError>,
        tags: Vec<String>,
    ) {
        let position = self.next;
        self.next += 1;
        if self.is_full() {
            return;
        }
        match parsed {
            Ok((secret, otp)) => self.entries.push(ImportedEntry {
                position,
                issuer,
                name,
                secret,
                otp,
                tags,
            }),
            Err(error) => self.problems.push(EntryProblem {
                position,
                label: label(&issuer, &name),
                error,
            }),
        }
    }

    /// Records an entry that failed before its names could be read.
    pub(crate) fn problem(&mut self, label: String, error: EntryError) {
        let position = self.next;
        self.next += 1;
        if self.is_full() {
            return;
        }
        self.problems.push(EntryProblem {
            position,
            label,
            error,
        });
    }

    /// Records that a Google Authenticator export code was read (its accounts are added one
    /// by one with [`Collector::add`]).
    pub(crate) fn export_code(&mut self, info: BatchInfo) {
        self.export_codes.push(info);
    }

    /// Appends everything another import read (used when one file holds several payloads).
    pub(crate) fn extend(&mut self, other: Import) {
        self.export_codes.extend(other.export_codes);
        let base = self.next;
        if base.saturating_add(other.entries.len() + other.problems.len()) > MAX_ENTRIES {
            self.next = MAX_ENTRIES + 1;
            return;
        }
        let mut count = 0;
        for mut entry in other.entries {
            count = count.max(entry.position + 1);
            entry.position += base;
            self.entries.push(entry);
        }
        for mut problem in other.problems {
            count = count.max(problem.position + 1);
            problem.position += base;
            self.problems.push(problem);
        }
        self.next += count;
    }

    /// The import, or [`ImportError::LimitExceeded`] if the file held more than
    /// [`MAX_ENTRIES`] entries.
    pub(crate) fn finish(self) -> Result<Import, ImportError> {
        if self.is_full() {
            return Err(ImportError::LimitExceeded {
                format: Some(self.format),
                limit: Limit::Entries,
            });
        }
        Ok(Import {
            format: self.format,
            entries: self.entries,
            problems: self.problems,
            export_codes: self.export_codes,
        })
    }
}

/// The code-generating kinds a file's type field can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Hotp,
    Steam,
    Totp,
}

impl Kind {
    /// Case-insensitive type names used across the formats (`TOTP`, `hotp`, `Steam`, `MOTP`,
    /// `yandex`...).
    pub(crate) fn parse(text: &str) -> Result<Self, EntryError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "totp" => Ok(Self::Totp),
            "hotp" => Ok(Self::Hotp),
            "steam" => Ok(Self::Steam),
            "motp" => Err(EntryError::UnsupportedType {
                kind: OtherKind::Motp,
            }),
            "yandex" | "yaotp" => Err(EntryError::UnsupportedType {
                kind: OtherKind::Yandex,
            }),
            _ => Err(EntryError::UnknownType),
        }
    }
}

/// A numeric field as found in a file: absent (or null), a value, or something unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    Absent,
    Invalid,
    Value(u64),
}

/// The parameters of one entry as the file gives them; [`Params::otp`] applies the shared
/// defaults (SHA1, 6 digits, 30 s, counter 0) and ranges.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params<'a> {
    pub(crate) kind: Kind,
    pub(crate) algorithm: Option<&'a str>,
    pub(crate) digits: Num,
    pub(crate) period: Num,
    pub(crate) counter: Num,
}

impl<'a> Params<'a> {
    pub(crate) fn new(kind: Kind) -> Self {
        Self {
            kind,
            algorithm: None,
            digits: Num::Absent,
            period: Num::Absent,
            counter: Num::Absent,
        }
    }

    pub(crate) fn otp(&self) -> Result<Otp, EntryError> {
        match self.kind {
            // Steam fixes SHA1, 5 characters and 30 s; files' other values are ignored (§2.3).
            Kind::Steam => Ok(Otp::Steam),
            Kind::Hotp => Ok(Otp::Hotp {
                algorithm: self.algorithm()?,
                digits: self.digits()?,
                counter: match self.counter {
                    Num::Absent => 0,
                    Num::Value(counter) => counter,
                    Num::Invalid => return Err(EntryError::InvalidCounter),
                },
            }),
            Kind::Totp => Ok(Otp::Totp {
                algorithm: self.algorithm()?,
                digits: self.digits()?,
                period: match self.period {
                    Num::Absent => Period::THIRTY,
                    Num::Value(seconds) => u32::try_from(seconds)
                        .ok()
                        .and_then(Period::new)
                        .ok_or(EntryError::InvalidPeriod)?,
                    Num::Invalid => return Err(EntryError::InvalidPeriod),
                },
            }),
        }
    }

    fn algorithm(&self) -> Result<Algorithm, EntryError> {
        match self.algorithm {
            None => Ok(Algorithm::Sha1),
            Some(text) if text.trim().is_empty() || text.eq_ignore_ascii_case("null") => {
                Ok(Algorithm::Sha1)
            }
            Some(text) => Algorithm::parse(text).ok_or(EntryError::InvalidAlgorithm),
        }
    }

    fn digits(&self) -> Result<Digits, EntryError> {
        match self.digits {
            Num::Absent => Ok(Digits::SIX),
            Num::Value(digits) => u32::try_from(digits)
                .ok()
                .and_then(Digits::new)
                .ok_or(EntryError::InvalidDigits),
            Num::Invalid => Err(EntryError::InvalidDigits),
        }
    }
}

/// A base32 secret field (formats.md §1 lenient decoding, shared with the URI parser).
pub(crate) fn base32_secret(text: Option<&str>) -> Result<OtpSecret, EntryError> {
    let text = text.ok_or(EntryError::MissingSecret)?;
    if text.trim().is_empty() {
        return Err(EntryError::MissingSecret);
    }
    decode_base32(text)
        .map(|decoded| decoded.secret)
        .ok_or(EntryError::InvalidSecret)
}

/// Splits an `otpauth://` URI's label into issuer and account without reading the secret, to
/// name an entry whose URI was refused. Lossy: it only has to be recognisable.
pub(crate) fn uri_label(uri: &str) -> (String, String) {
    let Some((scheme, rest)) = uri.trim().split_once("://") else {
        return (String::new(), String::new());
    };
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    // `otpauth://TYPE/LABEL`; other schemes (`motp://LABEL`) have no type segment.
    let label = if scheme.eq_ignore_ascii_case("otpauth") {
        match path.split_once('/') {
            Some((_, label)) => label,
            None => return (String::new(), String::new()),
        }
    } else {
        path
    };
    let decoded = percent_encoding::percent_decode_str(label)
        .decode_utf8_lossy()
        .into_owned();
    match decoded.split_once(':') {
        Some((issuer, name)) => (issuer.to_owned(), name.trim_start().to_owned()),
        None => (String::new(), decoded),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_defaults_and_ranges() {
        let cases: &[(&str, Params<'_>, Result<Otp, EntryError>)] = &[
            ("defaults", Params::new(Kind::Totp), Ok(Otp::DEFAULT_TOTP)),
            (
                "steam_ignores_digits",
                Params {
                    digits: Num::Value(9),
                    ..Params::new(Kind::Steam)
                },
                Ok(Otp::Steam),
            ),
            (
                "digits_zero",
                Params {
                    digits: Num::Value(0),
                    ..Params::new(Kind::Totp)
                },
                Err(EntryError::InvalidDigits),
            ),
            (
                "period_zero",
                Params {
                    period: Num::Value(0),
                    ..Params::new(Kind::Totp)
                },
                Err(EntryError::InvalidPeriod),
            ),
            (
                "period_huge",
                Params {
                    period: Num::Value(u64::MAX),
                    ..Params::new(Kind::Totp)
                },
                Err(EntryError::InvalidPeriod),
            ),
            (
                "sha384",
                Params {
                    algorithm: Some("SHA384"),
                    ..Params::new(Kind::Totp)
                },
                Err(EntryError::InvalidAlgorithm),
            ),
            (
                "hotp_period_ignored",
                Params {
                    period: Num::Value(0),
                    counter: Num::Value(7),
                    ..Params::new(Kind::Hotp)
                },
                Ok(Otp::Hotp {
                    algorithm: Algorithm::Sha1,
                    digits: Digits::SIX,
                    counter: 7,
                }),
            ),
            (
                "hotp_bad_counter",
                Params {
                    counter: Num::Invalid,
                    ..Params::new(Kind::Hotp)
                },
                Err(EntryError::InvalidCounter),
            ),
        ];
        for (case, params, expected) in cases {
            assert_eq!(&params.otp(), expected, "{case}");
        }
    }

    #[test]
    fn kind_names() {
        assert_eq!(Kind::parse("TOTP"), Ok(Kind::Totp));
        assert_eq!(Kind::parse("Steam"), Ok(Kind::Steam));
        assert_eq!(
            Kind::parse("MOTP"),
            Err(EntryError::UnsupportedType {
                kind: OtherKind::Motp
            })
        );
        assert_eq!(Kind::parse("xotp"), Err(EntryError::UnknownType));
    }

    #[test]
    fn uri_errors_map_motp_and_yandex_to_unsupported() {
        let motp = "motp://x?secret=ABC";
        assert!(matches!(
            EntryError::from_uri(UriError::NotOtpauth, motp),
            EntryError::UnsupportedType {
                kind: OtherKind::Motp
            }
        ));
        assert_eq!(
            EntryError::from_uri(UriError::NotOtpauth, "https://x"),
            EntryError::NotAUri
        );
        assert!(matches!(
            EntryError::from_uri(UriError::UnsupportedType, "otpauth://yaotp/x"),
            EntryError::UnsupportedType {
                kind: OtherKind::Yandex
            }
        ));
    }

    #[test]
    fn uri_label_never_reads_the_query() {
        assert_eq!(
            uri_label("otpauth://totp/Ex%20A:bob?secret=JBSWY3DP&digits=0"),
            ("Ex A".to_owned(), "bob".to_owned())
        );
        assert_eq!(uri_label("garbage"), (String::new(), String::new()));
    }
}
