//! `migration::parse` on arbitrary text must never panic, and every batch it reads must be
//! writable and read back with the same entries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::migration;

fuzz_target!(|data: &[u8]| {
    // Half the inputs are raw payload bytes (so the fuzzer reaches the protobuf decoder
    // directly), the other half free text (so it reaches the URI and base64 handling).
    let text = match data.split_first() {
        Some((0, payload)) => format!(
            "otpauth-migration://offline?data={}",
            data_encoding::BASE64.encode(payload)
        ),
        _ => String::from_utf8_lossy(data).into_owned(),
    };
    if let Ok(batch) = migration::parse(&text) {
        let written = migration::write(batch.info, &batch.entries)
            .expect("every entry read from a payload can be written back");
        let again = migration::parse(&written).expect("what we write parses");
        assert_eq!(again.info, batch.info);
        assert!(again.rejected.is_empty());
        assert_eq!(again.entries, batch.entries);
    }
});
