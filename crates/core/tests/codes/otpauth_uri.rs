//! Every line of the `otpauth-uri` samples against its expected entries.

use tessera_core::uri::OtpUri;

use crate::testdata::{Got, check_entry, text_samples, uri_lines};

#[test]
fn otpauth_uri_samples() {
    let mut checked = 0;
    for (sample, text, expected) in text_samples("otpauth-uri") {
        let mut entries = Vec::new();
        let mut failures = 0;
        for line in uri_lines(&text) {
            match OtpUri::parse(line) {
                Ok(uri) => entries.push(uri),
                Err(_) => failures += 1,
            }
        }
        let want = expected["entries"].as_array().unwrap();
        assert_eq!(entries.len(), want.len(), "{sample}: entry count");
        let reported = ["rejected", "unsupported"]
            .iter()
            .filter_map(|key| expected[key].as_array().map(Vec::len))
            .sum::<usize>();
        assert_eq!(failures, reported, "{sample}: lines reported as errors");
        for (i, (uri, want)) in entries.iter().zip(want).enumerate() {
            let got = Got {
                issuer: &uri.issuer,
                name: &uri.name,
                secret: &uri.secret,
                otp: &uri.otp,
            };
            check_entry(&format!("{sample} entry {i}"), &got, want);
            // What we write must read back identically (the export path of the same entry).
            assert_eq!(
                &OtpUri::parse(&uri.to_uri()).unwrap(),
                uri,
                "{sample} entry {i}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 13, "every sample entry was checked");
}
