//! Every real sample in `tests/data/imports/<format>/` imports to exactly the entries of
//! its `.expected.json` (matching rules: `tests/data/imports/README.md`), encrypted
//! samples fail cleanly without or with a wrong password, and no damaged copy of any sample
//! makes an importer panic.

// Test helpers read fixed local files: a panic with its message is the right failure here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod export;
mod hostile;
mod image;

use serde_json::Value;
use tessera_core::{Otp, UnixTime, otp};
use tessera_transfer::{Format, Import, ImportError, import, import_files};

/// The repository's sample files of other apps (`tests/data`).
fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// One sample and its expectations.
struct Sample {
    folder: String,
    dir: PathBuf,
    expected: Value,
}

impl Sample {
    fn name(&self) -> String {
        format!(
            "{}/{}",
            self.folder,
            self.expected["file"].as_str().unwrap_or("?")
        )
    }

    fn password(&self) -> Option<&str> {
        self.expected["password"].as_str()
    }

    fn is_folder(&self) -> bool {
        self.expected["file"]
            .as_str()
            .is_some_and(|f| f.ends_with('/'))
    }

    /// The sample's files as `(name, bytes)`: one file, or a folder's listed members.
    fn files(&self) -> Vec<(String, Vec<u8>)> {
        let file = self.expected["file"].as_str().unwrap();
        if self.is_folder() {
            let folder = self.dir.join(file.trim_end_matches('/'));
            let names: Vec<String> = match self.expected["files"].as_array() {
                Some(names) => names
                    .iter()
                    .filter_map(|n| n.as_str().map(String::from))
                    .collect(),
                None => std::fs::read_dir(&folder)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect(),
            };
            names
                .into_iter()
                .map(|name| {
                    let bytes = std::fs::read(folder.join(&name)).unwrap();
                    (name, bytes)
                })
                .collect()
        } else {
            vec![(file.to_owned(), std::fs::read(self.dir.join(file)).unwrap())]
        }
    }

    fn run(&self, password: Option<&str>) -> Result<Import, ImportError> {
        let files = self.files();
        if self.is_folder() {
            let refs: Vec<(&str, &[u8])> = files
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            import_files(&refs, password)
        } else {
            import(&files[0].1, password)
        }
    }
}

fn samples() -> Vec<Sample> {
    let root = testdata().join("imports");
    let mut samples = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for dir in folders {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
            .collect();
        files.sort();
        for path in files {
            let expected: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            samples.push(Sample {
                folder: dir.file_name().unwrap().to_string_lossy().into_owned(),
                dir: dir.clone(),
                expected,
            });
        }
    }
    samples
}

fn folder_format(folder: &str) -> Option<Format> {
    Some(match folder {
        "2fas" => Format::TwoFas,
        "aegis" => Format::Aegis,
        "andotp" => Format::AndOtp,
        "bitwarden" => Format::Bitwarden,
        "ente" => Format::Ente,
        "freeotp" => Format::FreeOtp,
        "freeotp-plus" => Format::FreeOtpPlus,
        "google-migration" => Format::GoogleMigration,
        "lastpass" => Format::LastPass,
        "otpauth-uri" => Format::OtpauthUri,
        "proton-authenticator" => Format::Proton,
        "steam" => Format::Steam,
        _ => return None,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `value` equals the expected field or one of its `also_accept` alternatives.
fn accepted(expected: &Value, field: &str, value: &Value) -> bool {
    if &expected[field] == value {
        return true;
    }
    expected["also_accept"][field]
        .as_array()
        .is_some_and(|alts| alts.contains(value))
}

/// Compares one imported entry with its expectation; `Err` says what differs (never secrets).
fn check_entry(got: &tessera_transfer::ImportedEntry, want: &Value) -> Result<(), String> {
    let mut errors = Vec::new();
    let (kind, algorithm, digits, period, counter) = match got.otp {
        Otp::Hotp {
            algorithm,
            digits,
            counter,
        } => (
            "hotp",
            algorithm.as_str(),
            digits.get(),
            None,
            Some(counter),
        ),
        Otp::Steam => ("steam", "SHA1", 5, Some(30), None),
        Otp::Totp {
            algorithm,
            digits,
            period,
        } => (
            "totp",
            algorithm.as_str(),
            digits.get(),
            Some(period.get()),
            None,
        ),
    };
    if want["type"] != kind {
        errors.push(format!("type {kind} != {}", want["type"]));
    }
    // Names: exact, an also_accept value, or an empty side filled from the other (README).
    let (issuer, name) = (
        Value::from(got.issuer.as_str()),
        Value::from(got.name.as_str()),
    );
    let issuer_ok =
        accepted(want, "issuer", &issuer) || (want["issuer"] == "" && got.issuer == got.name);
    let name_ok = accepted(want, "name", &name) || (want["name"] == "" && got.name == got.issuer);
    if !issuer_ok {
        errors.push(format!("issuer {:?} != {}", got.issuer, want["issuer"]));
    }
    if !name_ok {
        errors.push(format!("name {:?} != {}", got.name, want["name"]));
    }
    if !accepted(want, "algorithm", &Value::from(algorithm)) {
        errors.push(format!("algorithm {algorithm} != {}", want["algorithm"]));
    }
    if !accepted(want, "digits", &Value::from(digits)) {
        errors.push(format!("digits {digits} != {}", want["digits"]));
    }
    if let Some(period) = period
        && !accepted(want, "period", &Value::from(period))
    {
        errors.push(format!("period {period} != {}", want["period"]));
    }
    if let Some(counter) = counter
        && !accepted(want, "counter", &Value::from(counter))
    {
        errors.push(format!("counter {counter} != {}", want["counter"]));
    }
    // EXPOSE: the test compares the decoded key bytes with the expected file's.
    let secret_hex = hex(got.secret.expose_secret());
    if want["secret_hex"] != secret_hex.as_str() {
        errors.push("secret bytes differ".to_owned());
    }
    let check = &want["check"];
    if let Some(code) = check["code"].as_str() {
        let produced = match (check["time"].as_u64(), check["counter"].as_u64(), got.otp) {
            (Some(time), _, otp) => otp::generate(&got.secret, &otp, UnixTime(time)),
            (
                None,
                Some(at),
                Otp::Hotp {
                    algorithm, digits, ..
                },
            ) => otp::generate(
                &got.secret,
                &Otp::Hotp {
                    algorithm,
                    digits,
                    counter: at,
                },
                UnixTime(0),
            ),
            _ => {
                errors.push("check without time or counter".to_owned());
                return Err(errors.join("; "));
            }
        };
        if produced.as_str() != code {
            errors.push(format!("check code {} != {code}", produced.as_str()));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

fn check_sample(sample: &Sample) -> Result<(), String> {
    let import = sample
        .run(sample.password())
        .map_err(|e| format!("import failed: {} ({e})", e.code()))?;
    let mut errors = Vec::new();
    if let Some(format) = folder_format(&sample.folder) {
        // Ente's plain text export is an otpauth list with Ente's extra parameter; both names fit.
        let ente_plain = format == Format::Ente && import.format == Format::OtpauthUri;
        if import.format != format && !ente_plain {
            errors.push(format!("format {:?} != {format:?}", import.format));
        }
    }
    let want_all = sample.expected["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let want = &want_all;
    if import.entries.len() != want.len() {
        errors.push(format!(
            "{} entries, expected {}",
            import.entries.len(),
            want.len()
        ));
    }
    for (index, (got, want)) in import.entries.iter().zip(want).enumerate() {
        // In order first; if the importer reordered, by secret bytes and name (README).
        let matched = check_entry(got, want).or_else(|first| {
            if want_all.iter().any(|w| check_entry(got, w).is_ok()) {
                Ok(())
            } else {
                Err(first)
            }
        });
        if let Err(why) = matched {
            errors.push(format!("entry {index} ({}): {why}", got.label()));
        }
    }
    let count = |key: &str| sample.expected[key].as_array().map_or(0, Vec::len);
    let (unsupported, rejected) = (import.unsupported().count(), import.rejected().count());
    if unsupported != count("unsupported") {
        errors.push(format!(
            "{unsupported} unsupported reported, expected {}",
            count("unsupported")
        ));
    }
    if rejected != count("rejected") {
        let codes: Vec<_> = import.rejected().map(|p| p.error.code()).collect();
        errors.push(format!(
            "{rejected} rejected reported {codes:?}, expected {}",
            count("rejected")
        ));
    }
    if sample.password().is_some() {
        match sample.run(None) {
            Err(ImportError::PasswordRequired { .. }) => {}
            other => errors.push(format!(
                "without password: {:?}",
                other.map(|i| i.entries.len())
            )),
        }
        match sample.run(Some("not the password")) {
            Err(ImportError::WrongPassword { .. }) => {}
            other => errors.push(format!(
                "wrong password: {:?}",
                other.map(|i| i.entries.len())
            )),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n    "))
    }
}

#[test]
fn samples_import_to_their_expected_entries() {
    let mut table: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = String::new();
    for sample in samples() {
        let row = table.entry(sample.folder.clone()).or_default();
        row.1 += 1;
        match check_sample(&sample) {
            Ok(()) => row.0 += 1,
            Err(why) => writeln!(failures, "{}:\n    {why}", sample.name()).unwrap(),
        }
    }
    println!("{:<22} passed/total", "format");
    for (format, (passed, total)) in &table {
        println!("{format:<22} {passed}/{total}");
    }
    assert!(!table.is_empty(), "no samples found");
    assert!(
        failures.is_empty(),
        "samples that did not import as expected:\n{failures}"
    );
}

/// Truncated, bit-flipped and spliced copies of every sample: any result but a panic is fine,
/// and errors must never quote the file.
#[test]
fn damaged_samples_never_panic() {
    for sample in samples() {
        let password = sample.password();
        for (name, bytes) in sample.files() {
            let len = bytes.len();
            let mut variants: Vec<Vec<u8>> =
                (0..8).map(|k| bytes[..len * k / 8].to_vec()).collect();
            variants.push(bytes[..len.saturating_sub(1)].to_vec());
            for at in [0, len / 3, len / 2, len.saturating_sub(20)] {
                let mut flipped = bytes.clone();
                if let Some(b) = flipped.get_mut(at) {
                    *b ^= 0x5A;
                }
                variants.push(flipped);
            }
            variants.push([&bytes[..len / 2], &bytes[..len / 2]].concat());
            for variant in variants {
                if let Err(error) = import(&variant, password) {
                    let shown = format!("{error} {error:?}");
                    assert!(!shown.contains("secret"), "{name}: {shown}");
                }
            }
        }
    }
}
