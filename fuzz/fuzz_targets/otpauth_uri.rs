//! `OtpUri::parse` on arbitrary text must never panic, and whatever it accepts must survive a
//! write/read cycle unchanged: parse(to_uri(parse(x))) == parse(x).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::uri::OtpUri;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(uri) = OtpUri::parse(text) {
        let written = uri.to_uri();
        let again = OtpUri::parse(&written);
        assert_eq!(again.as_ref(), Ok(&uri), "round trip changed {written:?}");
    }
});
