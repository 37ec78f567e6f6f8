//! Google Authenticator's export: `otpauth-migration://offline?data=<base64 protobuf>`.
//!
//! The payload is the `MigrationPayload` protobuf of formats.md §4 (field numbers from Aegis'
//! `google_auth.proto` and dim13/otpauth's `migration.proto`). The messages are declared by hand
//! with `prost` derives, so no `protoc` or build script is needed.
//!
//! Reading is partial by design: one bad account (MD5, an unknown enum value, an empty key) is
//! reported in [`MigrationBatch::rejected`] and the others are still imported. Only a payload
//! that is not a migration URI, not base64 or not protobuf fails as a whole.

use std::collections::BTreeMap;

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message as _;
use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, Digits, Otp, Period, UnixTime};
use crate::secret::OtpSecret;

/// Which QR code of an export a payload is. Google splits large exports over several codes
/// sharing `id` and `size`; proto3 omits zeros, so old exports read as all zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BatchInfo {
    /// Payload version: 1 in older exports, 2 in newer ones.
    pub version: i32,
    /// Number of QR codes in the export.
    pub size: i32,
    /// 0-based index of this QR code.
    pub index: i32,
    /// Random id shared by all QR codes of one export (negative about half the time).
    pub id: i32,
}

impl BatchInfo {
    /// What a single-code export writes (formats.md §4): version 1, one code, index 0.
    pub fn single(id: i32) -> Self {
        Self {
            version: 1,
            size: 1,
            index: 0,
            id,
        }
    }
}

/// One account read from, or to be written to, a migration payload.
///
/// `Debug` is derived but safe: the secret prints only its length.
#[derive(Debug, PartialEq, Eq)]
pub struct MigrationEntry {
    /// Service name; may be empty.
    pub issuer: String,
    /// Account name, with a redundant `Issuer:` prefix removed.
    pub name: String,
    /// The shared secret.
    pub secret: OtpSecret,
    /// TOTP (always 30 s here) or HOTP.
    pub otp: Otp,
}

impl MigrationEntry {
    /// A new account from this entry, created at `now`.
    pub fn into_account(self, now: UnixTime) -> Account {
        Account::new(self.issuer, self.name, self.secret, self.otp, now)
    }

    /// The entry for an existing account (checked for portability by [`write`]).
    pub fn from_account(account: &Account) -> Self {
        Self {
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            // A second owner is unavoidable: the entry outlives the borrow of the account.
            secret: account.secret.duplicate(),
            otp: account.otp,
        }
    }
}

/// An account the payload holds but Tessera cannot import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedEntry {
    /// Position in the payload (0-based).
    pub index: usize,
    /// Issuer as stored, so the user can tell which account it was.
    pub issuer: String,
    /// Name as stored.
    pub name: String,
    /// Why it was rejected.
    pub error: EntryError,
}

/// A payload read from one QR code: the accounts it could read and those it could not.
#[derive(Debug)]
pub struct MigrationBatch {
    /// Position of this payload in its export.
    pub info: BatchInfo,
    /// Accounts read, in payload order.
    pub entries: Vec<MigrationEntry>,
    /// Accounts that could not be read, in payload order.
    pub rejected: Vec<RejectedEntry>,
}

/// Why a whole payload could not be read. Messages never quote the payload (it holds secrets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    /// `data` is not base64.
    #[error("the migration data is not valid base64")]
    InvalidBase64,
    /// The decoded data is not a migration protobuf.
    #[error("the migration data is not a valid Google Authenticator payload")]
    InvalidPayload,
    /// There is no `data` parameter.
    #[error("the migration URI has no data")]
    MissingData,
    /// The text does not start with `otpauth-migration://`.
    #[error("not an otpauth-migration:// URI")]
    NotMigrationUri,
}

crate::error_codes!(pub MigrationError {
    InvalidBase64 => "invalid_base64",
    InvalidPayload => "invalid_payload",
    MissingData => "missing_data",
    NotMigrationUri => "not_migration_uri",
});

/// Why one account of a payload was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The account has no key.
    #[error("the account has no secret")]
    EmptySecret,
    /// An HOTP counter below zero.
    #[error("the HOTP counter is negative")]
    InvalidCounter,
    /// MD5 is in Google's enum, but no app generates codes with it.
    #[error("MD5 accounts are not supported")]
    UnsupportedAlgorithm,
    /// An algorithm value outside Google's enum.
    #[error("unknown algorithm")]
    UnknownAlgorithm,
    /// A digit-count value outside Google's enum (1 = six, 2 = eight).
    #[error("unknown number of digits")]
    UnknownDigits,
    /// An OTP type outside Google's enum (1 = HOTP, 2 = TOTP).
    #[error("unknown OTP type")]
    UnknownType,
}

crate::error_codes!(pub EntryError {
    EmptySecret => "empty_secret",
    InvalidCounter => "invalid_counter",
    UnsupportedAlgorithm => "unsupported_algorithm",
    UnknownAlgorithm => "unknown_algorithm",
    UnknownDigits => "unknown_digits",
    UnknownType => "unknown_type",
});

/// Why accounts cannot be written to a migration payload: Google's format cannot express them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// HOTP counters above 2^63-1 do not fit Google's signed field.
    #[error("account {index}: the HOTP counter is too large for Google Authenticator")]
    CounterTooLarge {
        /// Position of the account in the input.
        index: usize,
    },
    /// Only 6 and 8 digits can be expressed.
    #[error("account {index}: Google Authenticator supports only 6 or 8 digits")]
    UnsupportedDigits {
        /// Position of the account in the input.
        index: usize,
    },
    /// There is no period field: every TOTP is 30 s.
    #[error("account {index}: Google Authenticator supports only a 30 second period")]
    UnsupportedPeriod {
        /// Position of the account in the input.
        index: usize,
    },
    /// Steam codes cannot be expressed.
    #[error("account {index}: Google Authenticator cannot hold Steam accounts")]
    UnsupportedSteam {
        /// Position of the account in the input.
        index: usize,
    },
}

crate::error_codes!(pub WriteError {
    CounterTooLarge => "counter_too_large",
    UnsupportedDigits => "unsupported_digits",
    UnsupportedPeriod => "unsupported_period",
    UnsupportedSteam => "unsupported_steam",
});

/// Reads one `otpauth-migration://offline?data=…` URI.
pub fn parse(text: &str) -> Result<MigrationBatch, MigrationError> {
    let text = text.trim();
    let (scheme, rest) = text
        .split_once("://")
        .ok_or(MigrationError::NotMigrationUri)?;
    if !scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(MigrationError::NotMigrationUri);
    }
    let (_, query) = rest.split_once('?').ok_or(MigrationError::MissingData)?;
    let data = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("data="))
        .ok_or(MigrationError::MissingData)?;
    let bytes = decode_data(data)?;
    let mut payload =
        proto::Payload::decode(bytes.as_slice()).map_err(|_| MigrationError::InvalidPayload)?;

    let info = BatchInfo {
        version: payload.version,
        size: payload.batch_size,
        index: payload.batch_index,
        id: payload.batch_id,
    };
    let mut batch = MigrationBatch {
        info,
        entries: Vec::with_capacity(payload.otp_parameters.len()),
        rejected: Vec::new(),
    };
    for (index, parameters) in payload.otp_parameters.iter_mut().enumerate() {
        match read_entry(parameters) {
            Ok(entry) => batch.entries.push(entry),
            Err(error) => batch.rejected.push(RejectedEntry {
                index,
                issuer: String::from_utf8_lossy(&parameters.issuer).into_owned(),
                name: String::from_utf8_lossy(&parameters.name).into_owned(),
                error,
            }),
        }
    }
    Ok(batch)
}

/// Writes one migration URI holding `entries` (formats.md §4: standard base64 with padding,
/// percent-encoded). The caller picks `info`, e.g. [`BatchInfo::single`] with a random id.
///
/// Fails on the first account Google's format cannot express (Steam, digits other than 6 or 8,
/// periods other than 30 s) rather than exporting a code that would silently differ.
/// SHA-256/512 are written as such; Google Authenticator's support for them varies by version.
pub fn write(info: BatchInfo, entries: &[MigrationEntry]) -> Result<Zeroizing<String>, WriteError> {
    let otp_parameters = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| write_entry(index, entry))
        .collect::<Result<Vec<_>, _>>()?;
    let payload = proto::Payload {
        otp_parameters,
        version: info.version,
        batch_size: info.size,
        batch_index: info.index,
        batch_id: info.id,
    };
    let bytes = Zeroizing::new(payload.encode_to_vec());
    let base64 = Zeroizing::new(data_encoding::BASE64.encode(&bytes));
    const PREFIX: &str = "otpauth-migration://offline?data=";
    // Percent-encoding at most triples the text; reserving that avoids unwiped reallocations.
    let mut uri = Zeroizing::new(String::with_capacity(PREFIX.len() + 3 * base64.len()));
    uri.push_str(PREFIX);
    for piece in utf8_percent_encode(&base64, NON_ALPHANUMERIC) {
        uri.push_str(piece);
    }
    Ok(uri)
}

/// Indices not yet seen for each batch id among scanned payloads, so a QR scanner can say
/// "scan code 3 of 4". Batch sizes are capped at [`MAX_BATCH_SIZE`] (a hostile payload could
/// claim two billion codes).
pub fn missing_indices(batches: &[BatchInfo]) -> BTreeMap<i32, Vec<i32>> {
    let mut seen: BTreeMap<i32, (i32, Vec<i32>)> = BTreeMap::new();
    for info in batches {
        let (size, indices) = seen.entry(info.id).or_default();
        *size = (*size).max(info.size);
        indices.push(info.index);
    }
    seen.into_iter()
        .map(|(id, (size, indices))| {
            let missing = (0..size.clamp(0, MAX_BATCH_SIZE))
                .filter(|i| !indices.contains(i))
                .collect();
            (id, missing)
        })
        .collect()
}

/// Largest batch [`missing_indices`] enumerates; real exports use a handful of codes.
pub const MAX_BATCH_SIZE: i32 = 1024;

/// Standard base64, percent-encoded or not. A raw `+` may have been turned into a space by a
/// form decoder upstream, and the padding may be missing (formats.md §4, scito and dim13).
fn decode_data(data: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    let mut text: Zeroizing<Vec<u8>> = Zeroizing::new(percent_decode_str(data).collect());
    text.retain(|c| !matches!(c, b'\n' | b'\r' | b'\t' | b'='));
    for c in text.iter_mut() {
        if *c == b' ' {
            *c = b'+';
        }
    }
    data_encoding::BASE64_NOPAD
        .decode(&text)
        .map(Zeroizing::new)
        .map_err(|_| MigrationError::InvalidBase64)
}

fn read_entry(parameters: &mut proto::Parameters) -> Result<MigrationEntry, EntryError> {
    if parameters.secret.is_empty() {
        return Err(EntryError::EmptySecret);
    }
    let algorithm = match parameters.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(EntryError::UnsupportedAlgorithm),
        _ => return Err(EntryError::UnknownAlgorithm),
    };
    let digits = match parameters.digits {
        0 | 1 => Digits::SIX,
        2 => Digits::new(8).ok_or(EntryError::UnknownDigits)?,
        _ => return Err(EntryError::UnknownDigits),
    };
    let otp = match parameters.r#type {
        0 | 2 => Otp::Totp {
            algorithm,
            digits,
            period: Period::THIRTY,
        },
        1 => Otp::Hotp {
            algorithm,
            digits,
            counter: u64::try_from(parameters.counter).map_err(|_| EntryError::InvalidCounter)?,
        },
        _ => return Err(EntryError::UnknownType),
    };
    let (issuer, name) = split_name(
        String::from_utf8_lossy(&parameters.issuer).into_owned(),
        String::from_utf8_lossy(&parameters.name).into_owned(),
    );
    Ok(MigrationEntry {
        issuer,
        name,
        // Moved out, not copied; the emptied field's old buffer goes with the move.
        secret: OtpSecret::from_bytes(std::mem::take(&mut parameters.secret)),
        otp,
    })
}

/// Google often stores the name as `Issuer:account` even when `issuer` is set: strip the prefix
/// when it equals the issuer; with no issuer, split on the first colon as Aegis does.
/// Leading whitespace of the account is dropped in every case, so reading what [`write`] wrote
/// gives the same names again.
fn split_name(issuer: String, name: String) -> (String, String) {
    if issuer.is_empty() {
        return match name.split_once(':') {
            Some((issuer, account)) => (issuer.to_owned(), account.trim_start().to_owned()),
            None => (issuer, name.trim_start().to_owned()),
        };
    }
    let account = name
        .strip_prefix(issuer.as_str())
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(&name)
        .trim_start()
        .to_owned();
    (issuer, account)
}

fn write_entry(index: usize, entry: &MigrationEntry) -> Result<proto::Parameters, WriteError> {
    let (algorithm, digits, r#type, counter) = match entry.otp {
        Otp::Hotp {
            algorithm,
            digits,
            counter,
        } => {
            let counter =
                i64::try_from(counter).map_err(|_| WriteError::CounterTooLarge { index })?;
            (algorithm, digits, 1, counter)
        }
        Otp::Steam => return Err(WriteError::UnsupportedSteam { index }),
        Otp::Totp {
            algorithm,
            digits,
            period,
        } => {
            if period != Period::THIRTY {
                return Err(WriteError::UnsupportedPeriod { index });
            }
            (algorithm, digits, 2, 0)
        }
    };
    let digits = match digits.get() {
        6 => 1,
        8 => 2,
        _ => return Err(WriteError::UnsupportedDigits { index }),
    };
    let algorithm = match algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    // Always write `Issuer:name` (as Google does): the reader strips exactly one prefix, so a
    // name that itself starts with `Issuer:` survives. With no issuer, a leading `:` keeps a
    // colon inside the name from being read as a separator.
    let name = if !entry.issuer.is_empty() {
        format!("{}:{}", entry.issuer, entry.name)
    } else if entry.name.contains(':') {
        format!(":{}", entry.name)
    } else {
        entry.name.clone()
    };
    Ok(proto::Parameters {
        // EXPOSE: the payload carries the raw key; the copy is wiped by `Parameters`' Drop.
        secret: entry.secret.expose_secret().to_vec(),
        name: name.into_bytes(),
        issuer: entry.issuer.clone().into_bytes(),
        algorithm,
        digits,
        r#type,
        counter,
    })
}

/// The protobuf messages. Strings are read as bytes so one account with invalid UTF-8 becomes a
/// lossy name instead of failing the whole payload. Field 8 (`unique_id`) is not declared:
/// prost skips unknown fields.
mod proto {
    use std::fmt;

    use zeroize::Zeroize as _;

    #[derive(prost::Message)]
    #[prost(skip_debug)]
    pub(super) struct Payload {
        #[prost(message, repeated, tag = "1")]
        pub(super) otp_parameters: Vec<Parameters>,
        #[prost(int32, tag = "2")]
        pub(super) version: i32,
        #[prost(int32, tag = "3")]
        pub(super) batch_size: i32,
        #[prost(int32, tag = "4")]
        pub(super) batch_index: i32,
        /// A negative id arrives as a 10-byte sign-extended varint; prost truncates it to i32.
        #[prost(int32, tag = "5")]
        pub(super) batch_id: i32,
    }

    #[derive(prost::Message)]
    #[prost(skip_debug)]
    pub(super) struct Parameters {
        #[prost(bytes = "vec", tag = "1")]
        pub(super) secret: Vec<u8>,
        #[prost(bytes = "vec", tag = "2")]
        pub(super) name: Vec<u8>,
        #[prost(bytes = "vec", tag = "3")]
        pub(super) issuer: Vec<u8>,
        /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
        #[prost(int32, tag = "4")]
        pub(super) algorithm: i32,
        /// 0 unspecified, 1 six, 2 eight.
        #[prost(int32, tag = "5")]
        pub(super) digits: i32,
        /// 0 unspecified, 1 HOTP, 2 TOTP.
        #[prost(int32, tag = "6")]
        pub(super) r#type: i32,
        #[prost(int64, tag = "7")]
        pub(super) counter: i64,
    }

    impl Drop for Parameters {
        fn drop(&mut self) {
            self.secret.zeroize();
        }
    }

    // prost's Message needs Debug; these print metadata only, never the key.
    impl fmt::Debug for Payload {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Payload")
                .field("otp_parameters", &self.otp_parameters)
                .field("version", &self.version)
                .field("batch_size", &self.batch_size)
                .field("batch_index", &self.batch_index)
                .field("batch_id", &self.batch_id)
                .finish()
        }
    }

    impl fmt::Debug for Parameters {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "Parameters(secret_len={})", self.secret.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIM13: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

    fn entry(issuer: &str, name: &str, otp: Otp) -> MigrationEntry {
        MigrationEntry {
            issuer: issuer.to_owned(),
            name: name.to_owned(),
            secret: OtpSecret::from_slice(b"Hello!\xde\xad\xbe\xef"),
            otp,
        }
    }

    fn raw(parameters: proto::Parameters) -> String {
        let payload = proto::Payload {
            otp_parameters: vec![parameters],
            version: 1,
            batch_size: 1,
            batch_index: 0,
            batch_id: -5,
        };
        let data = data_encoding::BASE64.encode(&payload.encode_to_vec());
        format!("otpauth-migration://offline?data={data}")
    }

    fn parameters(algorithm: i32, digits: i32, r#type: i32, counter: i64) -> proto::Parameters {
        proto::Parameters {
            secret: b"key".to_vec(),
            name: b"Acme:bob".to_vec(),
            issuer: b"Acme".to_vec(),
            algorithm,
            digits,
            r#type,
            counter,
        }
    }

    #[test]
    fn dim13_minimal_payload() {
        // dim13/otpauth migration/convert_test.go: no version or batch fields at all.
        let batch = parse(DIM13).unwrap();
        assert_eq!(batch.info, BatchInfo::default());
        assert!(batch.rejected.is_empty());
        assert_eq!(
            batch.entries,
            [entry("Example", "alice@google.com", Otp::DEFAULT_TOTP)]
        );
    }

    #[test]
    fn per_entry_enums() {
        // (name, algorithm, digits, type, counter, expected result)
        let eight = Digits::new(8).unwrap();
        type Case = (&'static str, i32, i32, i32, i64, Result<Otp, &'static str>);
        let cases: &[Case] = &[
            (
                "unspecified_is_sha1_six_totp",
                0,
                0,
                0,
                0,
                Ok(Otp::DEFAULT_TOTP),
            ),
            (
                "sha512_eight_totp",
                3,
                2,
                2,
                7,
                Ok(Otp::Totp {
                    algorithm: Algorithm::Sha512,
                    digits: eight,
                    period: Period::THIRTY,
                }),
            ),
            (
                "hotp_counter",
                2,
                1,
                1,
                i64::MAX,
                Ok(Otp::Hotp {
                    algorithm: Algorithm::Sha256,
                    digits: Digits::SIX,
                    counter: i64::MAX as u64,
                }),
            ),
            ("md5", 4, 1, 2, 0, Err("unsupported_algorithm")),
            ("algorithm_5", 5, 1, 2, 0, Err("unknown_algorithm")),
            (
                "literal_six_is_not_an_enum_value",
                1,
                6,
                2,
                0,
                Err("unknown_digits"),
            ),
            ("type_3", 1, 1, 3, 0, Err("unknown_type")),
            ("negative_counter", 1, 1, 1, -1, Err("invalid_counter")),
        ];
        for (case, algorithm, digits, r#type, counter, expected) in cases {
            let batch = parse(&raw(parameters(*algorithm, *digits, *r#type, *counter))).unwrap();
            assert_eq!(
                batch.info,
                BatchInfo {
                    version: 1,
                    size: 1,
                    index: 0,
                    id: -5
                },
                "{case}"
            );
            match expected {
                Ok(otp) => {
                    assert!(batch.rejected.is_empty(), "{case}");
                    assert_eq!(
                        batch.entries,
                        [entry_with_key("Acme", "bob", *otp)],
                        "{case}"
                    );
                }
                Err(code) => {
                    assert!(batch.entries.is_empty(), "{case}");
                    assert_eq!(batch.rejected.len(), 1, "{case}");
                    assert_eq!(batch.rejected[0].error.code(), *code, "{case}");
                    assert_eq!(batch.rejected[0].name, "Acme:bob", "{case}");
                }
            }
        }
    }

    fn entry_with_key(issuer: &str, name: &str, otp: Otp) -> MigrationEntry {
        MigrationEntry {
            issuer: issuer.to_owned(),
            name: name.to_owned(),
            secret: OtpSecret::from_slice(b"key"),
            otp,
        }
    }

    #[test]
    fn one_bad_entry_does_not_drop_the_others() {
        let payload = proto::Payload {
            otp_parameters: vec![
                parameters(1, 1, 2, 0),
                parameters(4, 1, 2, 0),
                {
                    let mut no_key = parameters(1, 1, 2, 0);
                    no_key.secret.clear();
                    no_key
                },
                parameters(1, 2, 1, 3),
            ],
            ..Default::default()
        };
        let data = data_encoding::BASE64.encode(&payload.encode_to_vec());
        let batch = parse(&format!("otpauth-migration://offline?data={data}")).unwrap();
        assert_eq!(batch.entries.len(), 2);
        let rejected: Vec<_> = batch
            .rejected
            .iter()
            .map(|r| (r.index, r.error.code()))
            .collect();
        assert_eq!(
            rejected,
            [(1, "unsupported_algorithm"), (2, "empty_secret")]
        );
    }

    #[test]
    fn name_prefixes() {
        let cases = [
            ("Acme", "Acme:bob", "Acme", "bob"),
            ("Acme", "Acme: bob", "Acme", "bob"),
            ("Acme", "Other:bob", "Acme", "Other:bob"),
            ("Acme", "bob", "Acme", "bob"),
            ("", "Acme:bob", "Acme", "bob"),
            ("", "bob", "", "bob"),
            ("", ":a:b", "", "a:b"),
            ("Acme", " bob", "Acme", "bob"),
            ("", "\tbob", "", "bob"),
        ];
        for (issuer, name, want_issuer, want_name) in cases {
            let got = split_name(issuer.to_owned(), name.to_owned());
            assert_eq!(
                got,
                (want_issuer.to_owned(), want_name.to_owned()),
                "{name}"
            );
        }
    }

    #[test]
    fn container_errors() {
        let cases = [
            ("otpauth://totp/x?secret=AAAA", "not_migration_uri"),
            ("otpauth-migration://offline", "missing_data"),
            ("otpauth-migration://offline?foo=1", "missing_data"),
            ("otpauth-migration://offline?data=%%%", "invalid_base64"),
            ("otpauth-migration://offline?data=A", "invalid_base64"),
            // Valid base64, but field 1 claims 100 bytes that are not there.
            ("otpauth-migration://offline?data=CmQ%3D", "invalid_payload"),
        ];
        for (uri, code) in cases {
            assert_eq!(parse(uri).unwrap_err().code(), code, "{uri}");
        }
    }

    #[test]
    fn writes_what_it_reads_and_refuses_what_google_cannot_hold() {
        let entries = [
            entry("Acme", "Acme:bob", Otp::DEFAULT_TOTP),
            entry("", "a:b", Otp::DEFAULT_TOTP),
            entry(
                "",
                "plain",
                Otp::Hotp {
                    algorithm: Algorithm::Sha1,
                    digits: Digits::SIX,
                    counter: 9,
                },
            ),
        ];
        let uri = write(BatchInfo::single(-1_320_898_453), &entries).unwrap();
        let data = uri
            .strip_prefix("otpauth-migration://offline?data=")
            .unwrap();
        assert!(
            !data.contains(['+', '/', '=']),
            "base64 specials must be percent-encoded"
        );
        let batch = parse(&uri).unwrap();
        assert_eq!(batch.info, BatchInfo::single(-1_320_898_453));
        assert_eq!(batch.entries, entries);

        let refused = [
            (Otp::Steam, "unsupported_steam"),
            (
                Otp::Totp {
                    algorithm: Algorithm::Sha1,
                    digits: Digits::new(7).unwrap(),
                    period: Period::THIRTY,
                },
                "unsupported_digits",
            ),
            (
                Otp::Totp {
                    algorithm: Algorithm::Sha1,
                    digits: Digits::SIX,
                    period: Period::new(60).unwrap(),
                },
                "unsupported_period",
            ),
            (
                Otp::Hotp {
                    algorithm: Algorithm::Sha1,
                    digits: Digits::SIX,
                    counter: u64::MAX,
                },
                "counter_too_large",
            ),
        ];
        for (otp, code) in refused {
            let entries = [entry("a", "b", Otp::DEFAULT_TOTP), entry("a", "c", otp)];
            let error = write(BatchInfo::single(1), &entries).unwrap_err();
            assert_eq!(error.code(), code);
            assert!(error.to_string().starts_with("account 1:"));
        }
    }

    #[test]
    fn missing_batch_indices() {
        let info = |id, size, index| BatchInfo {
            version: 1,
            size,
            index,
            id,
        };
        let scanned = [
            info(7, 4, 0),
            info(7, 4, 2),
            info(-3, 2, 1),
            info(9, i32::MAX, 0),
        ];
        let missing = missing_indices(&scanned);
        assert_eq!(missing[&7], [1, 3]);
        assert_eq!(missing[&-3], [0]);
        assert_eq!(missing[&9].len(), MAX_BATCH_SIZE as usize - 1);
    }

    #[test]
    fn debug_never_shows_the_key() {
        let p = parameters(1, 1, 2, 0);
        assert_eq!(format!("{p:?}"), "Parameters(secret_len=3)");
        let batch = parse(DIM13).unwrap();
        let shown = format!("{batch:?}");
        assert!(shown.contains("OtpSecret(len=10)"));
        assert!(!shown.contains("72, 101"));
    }
}
