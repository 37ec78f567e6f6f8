//! proptest strategies over the core's OTP types, for the round-trip properties of the core
//! (URIs, migration payloads) and of the exporters.

use proptest::prelude::*;
use tessera_core::{Algorithm, Digits, Otp, Period};

pub fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

/// Every kind, with any digits, counter and period the core accepts.
pub fn any_otp() -> impl Strategy<Value = Otp> {
    let digits = (Digits::MIN..=Digits::MAX).prop_map(|d| Digits::new(u32::from(d)).unwrap());
    prop_oneof![
        (algorithm(), digits.clone(), any::<u64>()).prop_map(|(algorithm, digits, counter)| {
            Otp::Hotp {
                algorithm,
                digits,
                counter,
            }
        }),
        Just(Otp::Steam),
        (algorithm(), digits, 1_u32..).prop_map(|(algorithm, digits, period)| Otp::Totp {
            algorithm,
            digits,
            period: Period::new(period).unwrap(),
        }),
    ]
}

/// The digits Google Authenticator's format holds (6 or 8).
fn google_digits() -> impl Strategy<Value = Digits> {
    prop_oneof![Just(Digits::SIX), Just(Digits::new(8).unwrap())]
}

/// A TOTP Google Authenticator's format holds (6 or 8 digits, 30 s).
pub fn google_totp() -> impl Strategy<Value = Otp> {
    (algorithm(), google_digits()).prop_map(|(algorithm, digits)| Otp::Totp {
        algorithm,
        digits,
        period: Period::THIRTY,
    })
}

/// Only what Google Authenticator's format holds: its TOTPs, and HOTPs with a counter its
/// signed 64-bit field keeps.
pub fn google_otp() -> impl Strategy<Value = Otp> {
    prop_oneof![
        (algorithm(), google_digits(), 0..=i64::MAX as u64).prop_map(
            |(algorithm, digits, counter)| Otp::Hotp {
                algorithm,
                digits,
                counter
            }
        ),
        google_totp(),
    ]
}

/// Issuers and names: arbitrary Unicode, biased towards the characters URIs and JSON treat
/// specially.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 :%+&=?#/@.~\"\\\\-]{0,24}",
        "\\PC{0,12}",
    ]
}

/// Names without leading whitespace: URI and migration readers drop spaces after the
/// `issuer:` separator (formats.md §3), so such a name is normalised, not preserved.
pub fn name() -> impl Strategy<Value = String> {
    text().prop_filter("no leading whitespace", |n| {
        !n.starts_with(char::is_whitespace)
    })
}

/// Secrets of 1 to 64 bytes.
pub fn secret() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 1..=64)
}
