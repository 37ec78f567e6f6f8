//! Loads `tests/data/imports/<format>/` samples and checks entries against their
//! `.expected.json` (format described in that folder's README).

use std::path::PathBuf;

use serde_json::Value;
use tessera_core::otp::{generate, hotp};
use tessera_core::{Otp, OtpSecret, UnixTime};

/// The repository's sample files of other apps (`tests/data`).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// The text samples of one format folder (images are skipped), with their expected JSON.
pub(crate) fn text_samples(format: &str) -> Vec<(String, String, Value)> {
    let dir = root().join("imports").join(format);
    let mut samples = Vec::new();
    for item in std::fs::read_dir(&dir).unwrap() {
        let path = item.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.json")))
            .unwrap_or_else(|e| panic!("{name}: no expected file: {e}"));
        samples.push((name, text, serde_json::from_str(&expected).unwrap()));
    }
    samples.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!samples.is_empty(), "no samples in {}", dir.display());
    samples
}

/// Lines of a URI list: blank lines and `#` comments skipped (formats.md §3).
pub(crate) fn uri_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// What an importer produced for one entry.
pub(crate) struct Got<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) name: &'a str,
    pub(crate) secret: &'a OtpSecret,
    pub(crate) otp: &'a Otp,
}

/// Asserts one entry matches its expected JSON object, including its `check` code.
pub(crate) fn check_entry(context: &str, got: &Got<'_>, want: &Value) {
    let field = |key: &str| want[key].as_str().unwrap_or_default();
    let accepts = |key: &str, value: &str| {
        value == field(key)
            || want["also_accept"][key]
                .as_array()
                .is_some_and(|alts| alts.iter().any(|alt| alt.as_str() == Some(value)))
    };
    assert!(
        accepts("issuer", got.issuer),
        "{context}: issuer {:?}",
        got.issuer
    );
    assert!(accepts("name", got.name), "{context}: name {:?}", got.name);
    assert_eq!(
        hex(got.secret.expose_secret()),
        field("secret_hex"),
        "{context}: key"
    );
    assert_eq!(got.otp.kind_name(), field("type"), "{context}: type");

    let number = |key: &str| want[key].as_u64();
    match *got.otp {
        Otp::Hotp {
            algorithm,
            digits,
            counter,
        } => {
            assert_eq!(
                algorithm.as_str(),
                field("algorithm"),
                "{context}: algorithm"
            );
            assert_eq!(
                Some(u64::from(digits.get())),
                number("digits"),
                "{context}: digits"
            );
            assert_eq!(Some(counter), number("counter"), "{context}: counter");
        }
        Otp::Steam => {
            assert_eq!(field("algorithm"), "SHA1", "{context}");
            assert_eq!(number("digits"), Some(5), "{context}");
        }
        Otp::Totp {
            algorithm,
            digits,
            period,
        } => {
            assert_eq!(
                algorithm.as_str(),
                field("algorithm"),
                "{context}: algorithm"
            );
            assert_eq!(
                Some(u64::from(digits.get())),
                number("digits"),
                "{context}: digits"
            );
            assert_eq!(
                Some(u64::from(period.get())),
                number("period"),
                "{context}: period"
            );
        }
    }

    let check = &want["check"];
    let code = match (check["time"].as_u64(), check["counter"].as_u64(), got.otp) {
        (Some(time), _, otp) => generate(got.secret, otp, UnixTime(time)),
        (
            None,
            Some(counter),
            Otp::Hotp {
                algorithm, digits, ..
            },
        ) => hotp(got.secret, *algorithm, *digits, counter),
        _ => panic!("{context}: unusable check {check}"),
    };
    assert_eq!(
        code.as_str(),
        check["code"].as_str().unwrap(),
        "{context}: code"
    );
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
