//! Round-trip properties: what Tessera writes, it reads back unchanged; what it reads, it never
//! panics on.

use proptest::prelude::*;
use tessera_core::migration::{self, BatchInfo, MigrationEntry};
use tessera_core::uri::OtpUri;
use tessera_core::{Algorithm, Digits, Otp, OtpSecret, Period};

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

fn any_otp() -> impl Strategy<Value = Otp> {
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

/// Issuers and names: arbitrary Unicode, biased towards the characters URIs treat specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 :%+&=?#/@.~-]{0,24}",
        "\\PC{0,12}",
    ]
}

/// Names without leading whitespace: readers drop spaces after the `issuer:` separator
/// (formats.md §3), so a name that starts with one is normalised, not preserved.
fn name() -> impl Strategy<Value = String> {
    text().prop_filter("no leading whitespace", |n| {
        !n.starts_with(char::is_whitespace)
    })
}

fn secret() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 1..=64)
}

fn google_otp() -> impl Strategy<Value = Otp> {
    let digits = prop_oneof![Just(Digits::SIX), Just(Digits::new(8).unwrap())];
    prop_oneof![
        (algorithm(), digits.clone(), 0..=i64::MAX as u64).prop_map(
            |(algorithm, digits, counter)| Otp::Hotp {
                algorithm,
                digits,
                counter
            }
        ),
        (algorithm(), digits).prop_map(|(algorithm, digits)| Otp::Totp {
            algorithm,
            digits,
            period: Period::THIRTY,
        }),
    ]
}

proptest! {
    #[test]
    fn otpauth_uri_round_trips(issuer in text(), name in name(), key in secret(), otp in any_otp()) {
        let uri = OtpUri { issuer, name, secret: OtpSecret::from_bytes(key), otp };
        let written = uri.to_uri();
        let parsed = OtpUri::parse(&written);
        prop_assert_eq!(parsed.as_ref(), Ok(&uri), "{}", written.as_str());
    }

    #[test]
    fn migration_round_trips(
        entries in proptest::collection::vec((text(), name(), secret(), google_otp()), 0..8),
        version in any::<i32>(),
        size in any::<i32>(),
        index in any::<i32>(),
        id in any::<i32>(),
    ) {
        let entries: Vec<_> = entries
            .into_iter()
            .map(|(issuer, name, key, otp)| MigrationEntry {
                issuer,
                name,
                secret: OtpSecret::from_bytes(key),
                otp,
            })
            .collect();
        let info = BatchInfo { version, size, index, id };
        let written = migration::write(info, &entries).unwrap();
        let batch = migration::parse(&written).unwrap();
        prop_assert_eq!(batch.info, info);
        prop_assert!(batch.rejected.is_empty());
        prop_assert_eq!(batch.entries, entries);
    }

    #[test]
    fn parsers_never_panic(text in any::<String>()) {
        let _ = OtpUri::parse(&text);
        let _ = OtpUri::parse(&format!("otpauth://{text}"));
        let _ = migration::parse(&text);
        let _ = migration::parse(&format!("otpauth-migration://offline?data={text}"));
    }

    #[test]
    fn arbitrary_payloads_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let data = data_encoding::BASE64.encode(&bytes);
        let _ = migration::parse(&format!("otpauth-migration://offline?data={data}"));
    }
}
