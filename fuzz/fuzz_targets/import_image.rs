//! Screenshots imported as files: QR decoding of untrusted image bytes, then every code read as
//! an authenticator link (accounts, Google export batches, and their missing codes).
//! Arbitrary bytes must never panic, hang or allocate without bound: every failure is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(import) = tessera_transfer::image::import(data) {
        let _ = import.missing_codes();
    }
});
