//! Proton Authenticator exports.
//! Arbitrary bytes must never panic, hang or allocate without bound: every failure is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tessera_transfer::proton::import(data, None);
});
