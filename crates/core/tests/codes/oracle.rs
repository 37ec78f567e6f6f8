//! Differential test: our codes equal totp-rs 6's wherever totp-rs can compute them (1..=9
//! digits, any key, any period, Steam). otp/mod.rs says why production code does not use it.

use proptest::prelude::*;
use tessera_core::otp::{steam, totp};
use tessera_core::{Algorithm, Digits, OtpSecret, Period, UnixTime};

fn algorithms() -> impl Strategy<Value = (Algorithm, totp_rs::Algorithm)> {
    prop_oneof![
        Just((Algorithm::Sha1, totp_rs::Algorithm::SHA1)),
        Just((Algorithm::Sha256, totp_rs::Algorithm::SHA256)),
        Just((Algorithm::Sha512, totp_rs::Algorithm::SHA512)),
    ]
}

fn reference(
    algorithm: totp_rs::Algorithm,
    digits: u8,
    period: u32,
    key: &[u8],
    time: u64,
) -> String {
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(digits)
        .with_step_duration(u64::from(period))
        .with_secret(key.to_vec())
        .build_noncompliant()
        .generate(time)
        .to_string()
}

proptest! {
    #[test]
    fn totp_matches_totp_rs(
        (ours, theirs) in algorithms(),
        digits in 5_u8..=9,
        period in 1_u32..=600,
        key in proptest::collection::vec(any::<u8>(), 1..=100),
        time in any::<u64>(),
    ) {
        let code = totp(
            &OtpSecret::from_slice(&key),
            ours,
            Digits::new(u32::from(digits)).unwrap(),
            Period::new(period).unwrap(),
            UnixTime(time),
        );
        prop_assert_eq!(code.as_str(), reference(theirs, digits, period, &key, time));
    }

    #[test]
    fn steam_matches_totp_rs(
        key in proptest::collection::vec(any::<u8>(), 1..=40),
        time in any::<u64>(),
    ) {
        let code = steam(&OtpSecret::from_slice(&key), UnixTime(time));
        prop_assert_eq!(code.as_str(), reference(totp_rs::Algorithm::Steam, 5, 30, &key, time));
    }
}
