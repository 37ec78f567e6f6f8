//! FreeOTP+ JSON exports (formats.md §9): `tokens` with signed-byte secrets.

use serde_json::Value;
use tessera_core::{Otp, OtpSecret};

use crate::entry::{Collector, EntryError, Kind, Num, Params};
use crate::json::{self, num, str_field};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::FreeOtpPlus;

/// Imports a FreeOTP+ JSON export.
pub fn import(bytes: &[u8]) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0)
}

pub(crate) fn from_json(value: &Value) -> Result<Import, ImportError> {
    let tokens = value
        .get("tokens")
        .and_then(Value::as_array)
        .ok_or(ImportError::InvalidContainer { format: FORMAT })?;
    let mut collector = Collector::new(FORMAT);
    for token in tokens {
        let (issuer, name) = names(token);
        let parsed = read_token(token, &issuer, CounterStorage::MinusOne);
        collector.add(issuer, name, parsed, Vec::new());
    }
    collector.finish()
}

/// `issuerExt` (else `issuerInt`, `issuerAlt`) and `label` (else `labelAlt`).
pub(crate) fn names(token: &Value) -> (String, String) {
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| str_field(token, k).filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_owned()
    };
    (
        first(&["issuerExt", "issuerInt", "issuerAlt"]),
        first(&["label", "labelAlt"]),
    )
}

/// How a token file stores the HOTP counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CounterStorage {
    /// FreeOTP+ stores the otpauth counter minus one (it adds one when writing a URI).
    MinusOne,
    /// FreeOTP 2 backups store the otpauth counter itself.
    AsIs,
}

/// Reads a FreeOTP-style token; `secret` is the signed byte array, or passed in by FreeOTP 2.
pub(crate) fn read_token(
    token: &Value,
    issuer: &str,
    counter: CounterStorage,
) -> Result<(OtpSecret, Otp), EntryError> {
    let secret = token
        .get("secret")
        .ok_or(EntryError::MissingSecret)
        .and_then(|s| json::signed_bytes(s).ok_or(EntryError::InvalidSecret))?;
    if secret.is_empty() {
        return Err(EntryError::MissingSecret);
    }
    let otp = token_otp(token, issuer, counter)?;
    Ok((OtpSecret::from_bytes(secret), otp))
}

/// The OTP parameters of a FreeOTP-style token. TOTP under the issuer "Steam" is Steam (Aegis
/// does the same: FreeOTP has no Steam type).
pub(crate) fn token_otp(
    token: &Value,
    issuer: &str,
    storage: CounterStorage,
) -> Result<Otp, EntryError> {
    let mut kind = Kind::parse(str_field(token, "type").unwrap_or("TOTP"))?;
    if kind == Kind::Totp && issuer.eq_ignore_ascii_case("steam") {
        kind = Kind::Steam;
    }
    let counter = match (num(token, "counter"), storage) {
        (Num::Value(stored), CounterStorage::MinusOne) => {
            stored.checked_add(1).map_or(Num::Invalid, Num::Value)
        }
        (other, _) => other,
    };
    Params {
        algorithm: str_field(token, "algo"),
        digits: num(token, "digits"),
        period: num(token, "period"),
        counter,
        ..Params::new(kind)
    }
    .otp()
}
