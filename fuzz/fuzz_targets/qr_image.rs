//! QR decoding of untrusted image files, then classification of every text found.
//! Arbitrary bytes must never panic, hang or allocate without bound: every failure is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(texts) = tessera_qr::decode_image_bytes(data) {
        for text in &texts {
            let _ = tessera_qr::classify(text.expose_secret());
        }
    }
});
