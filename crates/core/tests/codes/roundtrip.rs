//! Round-trip properties: what Tessera writes, it reads back unchanged; what it reads, it never
//! panics on.

use proptest::prelude::*;
use tessera_core::OtpSecret;
use tessera_core::migration::{self, BatchInfo, MigrationEntry};
use tessera_core::uri::OtpUri;
use tessera_testkit::otp::{any_otp, google_otp, name, secret, text};

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
