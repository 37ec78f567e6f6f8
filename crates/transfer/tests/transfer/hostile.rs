//! Hostile files (issue 16): each is refused with a typed error, fast, before the work it asks
//! for starts. The files are built here from the real samples or byte by byte; none is stored.
//!
//! Tests that would run for minutes on a regressed importer run it on a thread and give up
//! after a deadline, so a regression fails instead of hanging the suite.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tessera_core::Vault;
use tessera_core::vault::{KdfParams, Passphrase, Protection};
use tessera_testkit::files::freeotp_reference_bomb;
use tessera_transfer::limits::{self, KdfLimit, Limit};
use tessera_transfer::{Format, Import, ImportError, import, import_cancellable, import_files};

use crate::testdata;

/// The import of `bytes` on its own thread; `None` if it has not answered within `deadline`.
fn import_within(
    deadline: Duration,
    bytes: Vec<u8>,
    password: Option<&'static str>,
) -> Option<Result<Import, ImportError>> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(import(&bytes, password));
    });
    receiver.recv_timeout(deadline).ok()
}

#[track_caller]
fn refused_within(
    deadline: Duration,
    bytes: Vec<u8>,
    password: Option<&'static str>,
) -> ImportError {
    let started = Instant::now();
    let result = import_within(deadline, bytes, password)
        .unwrap_or_else(|| panic!("no answer within {deadline:?}"));
    let error = result.map(|_| ()).unwrap_err();
    assert!(
        started.elapsed() < deadline,
        "{error:?} after {:?}",
        started.elapsed()
    );
    error
}

fn sample(relative: &str) -> Vec<u8> {
    std::fs::read(testdata().join("imports").join(relative)).unwrap()
}

fn sample_json(relative: &str) -> Value {
    serde_json::from_slice(&sample(relative)).unwrap()
}

// --- FreeOTP: Java serialization back-references ------------------------------------------------

#[test]
fn freeotp_references_are_shared_and_decoded_bytes_are_capped() {
    // 200 KiB named 800 times: 160 MB if every reference were a copy, past the decoded cap.
    let bomb = freeotp_reference_bomb(200 * 1024, 400);
    let error = refused_within(Duration::from_secs(5), bomb, Some("pw"));
    assert_eq!(
        error,
        ImportError::LimitExceeded {
            format: Some(Format::FreeOtp),
            limit: Limit::DecodedBytes
        }
    );
    assert_eq!(error.code(), "limit_exceeded");
    assert!(
        error.to_string().contains("nothing was imported"),
        "{error}"
    );
    // A few references to a short string are fine: the file is then refused only for what it
    // lacks (a master key).
    assert_eq!(
        import(&freeotp_reference_bomb(16, 4), Some("pw")).unwrap_err(),
        ImportError::InvalidContainer {
            format: Format::FreeOtp
        }
    );
}

#[test]
fn freeotp_long_strings_and_entry_counts_are_capped() {
    let long = freeotp_reference_bomb(2 * 1024 * 1024, 1);
    assert_eq!(
        import(&long, Some("pw")).unwrap_err(),
        ImportError::LimitExceeded {
            format: Some(Format::FreeOtp),
            limit: Limit::StringBytes
        }
    );
    // A map announcing four billion entries: refused from the count, nothing reserved.
    let mut huge = freeotp_reference_bomb(16, 1);
    let size_at = huge.len() - 1 - 5 - 16 - 9 - 4;
    huge[size_at..size_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        import(&huge, Some("pw")).unwrap_err(),
        ImportError::LimitExceeded {
            format: Some(Format::FreeOtp),
            limit: Limit::Entries
        }
    );
}

// --- Aegis: password slots ------------------------------------------------------------------

/// The real encrypted Aegis sample with its password slot replaced by `count` slots asking
/// scrypt for `n`, `r`, `p`.
fn aegis_with_slots(count: usize, n: u64, r: u64, p: u64) -> Vec<u8> {
    let mut file = sample_json("aegis/aegisapp-aegis_encrypted.json");
    let mut slot = file["header"]["slots"][0].clone();
    slot["n"] = json!(n);
    slot["r"] = json!(r);
    slot["p"] = json!(p);
    file["header"]["slots"] = Value::Array(vec![slot; count]);
    serde_json::to_vec(&file).unwrap()
}

#[test]
fn aegis_slot_flood_is_refused_before_any_derivation() {
    // 60 slots × scrypt 1 GiB with a wrong password: minutes of work and 1 GiB per slot.
    let flood = aegis_with_slots(60, 1 << 20, 8, 1);
    let error = refused_within(Duration::from_secs(3), flood.clone(), Some("wrong"));
    assert_eq!(
        error,
        ImportError::KdfBudgetExceeded {
            format: Format::Aegis,
            limit: KdfLimit::PasswordSlots
        }
    );
    assert_eq!(error.code(), "kdf_budget_exceeded");
    assert!(error.to_string().contains("8 password slots"), "{error}");
    // Refused before the password is even asked.
    assert_eq!(refused_within(Duration::from_secs(3), flood, None), error);
}

#[test]
fn aegis_slots_within_the_count_still_have_per_slot_and_total_caps() {
    // A few slots, each asking for 1 GiB: past the per-derivation scrypt memory cap.
    let big = aegis_with_slots(limits::MAX_PASSWORD_SLOTS, 1 << 20, 8, 1);
    assert_eq!(
        refused_within(Duration::from_secs(3), big, Some("wrong")),
        ImportError::KdfTooExpensive {
            format: Format::Aegis
        }
    );
    // Each slot within its caps (256 MiB, p = 4) but 16 GiB of work over the 8 slots.
    let heavy = aegis_with_slots(limits::MAX_PASSWORD_SLOTS, 1 << 18, 8, 4);
    assert_eq!(
        refused_within(Duration::from_secs(3), heavy, Some("wrong")),
        ImportError::KdfBudgetExceeded {
            format: Format::Aegis,
            limit: KdfLimit::Work
        }
    );
    // Eight real-sized slots (32 MiB each) are tried: the real password opens the first.
    let many = aegis_with_slots(limits::MAX_PASSWORD_SLOTS, 1 << 15, 8, 1);
    let imported = import(&many, Some("test")).unwrap();
    assert_eq!(imported.entries.len(), 7);
}

#[test]
fn a_cancelled_import_stops_between_slots() {
    // One derivation of a real-sized slot, for scale ("wrong" has no pre-#95 encoding).
    let one_derivation = {
        let started = Instant::now();
        let _ = import(&aegis_with_slots(1, 1 << 15, 8, 1), Some("wrong"));
        started.elapsed()
    };
    // Eight such slots and a wrong password: eight derivations uncancelled.
    let file = aegis_with_slots(limits::MAX_PASSWORD_SLOTS, 1 << 15, 8, 1);
    let cancel = Arc::new(AtomicBool::new(true));
    assert_eq!(
        import_cancellable(&file, Some("wrong"), &cancel).unwrap_err(),
        ImportError::Cancelled
    );
    assert_eq!(ImportError::Cancelled.code(), "import_cancelled");

    let cancel = Arc::new(AtomicBool::new(false));
    let (sender, receiver) = mpsc::channel();
    let worker_cancel = Arc::clone(&cancel);
    let started = Instant::now();
    std::thread::spawn(move || {
        let _ = sender.send(import_cancellable(&file, Some("wrong"), &worker_cancel));
    });
    std::thread::sleep(one_derivation / 2);
    cancel.store(true, Ordering::Relaxed);
    let result = receiver.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(result.unwrap_err(), ImportError::Cancelled);
    // The derivation running at the cancel finishes; the other slots are not tried.
    assert!(
        started.elapsed() < one_derivation * 3 + Duration::from_millis(300),
        "{:?} against {one_derivation:?} per slot",
        started.elapsed()
    );
}

// --- Steam: one derivation per listed maFile --------------------------------------------------

#[test]
fn a_steam_manifest_naming_one_file_many_times_is_refused_before_deriving() {
    let dir = testdata().join("imports/steam/steamguardcli-sda-1-account-encrypted");
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let entry = manifest["entries"][0].clone();
    let file_name = entry["filename"].as_str().unwrap().to_owned();
    manifest["entries"] = Value::Array(vec![entry; 1000]);
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let mafile = std::fs::read(dir.join(&file_name)).unwrap();
    let started = Instant::now();
    let error = import_files(
        &[
            ("manifest.json", manifest.as_slice()),
            (file_name.as_str(), mafile.as_slice()),
        ],
        Some("wrong"),
    )
    .unwrap_err();
    assert_eq!(
        error,
        ImportError::KdfBudgetExceeded {
            format: Format::Steam,
            limit: KdfLimit::Work
        }
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

// --- Tessera backup ---------------------------------------------------------------------------

#[test]
fn a_tessera_backup_asking_for_1_gib_times_64_passes_is_refused_before_deriving() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _recovery) = Vault::create(
        &dir.path().join("vault.tessera"),
        Protection::default(),
        tessera_core::UnixTime(1_700_000_000),
    )
    .unwrap();
    let backup = dir.path().join("backup.tessera");
    vault
        .export_to(
            &backup,
            &Passphrase::from("pw"),
            KdfParams::new(8, 1, 1).unwrap(),
        )
        .unwrap();
    let mut bytes = std::fs::read(&backup).unwrap();
    // The passphrase slot's Argon2 parameters: memory 8 KiB, 1 pass, 1 lane (little endian).
    let low = [8u8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
    let at = bytes
        .windows(low.len())
        .position(|w| w == low)
        .expect("the passphrase slot's parameters");
    bytes[at..at + 4].copy_from_slice(&(1024u32 * 1024).to_le_bytes());
    bytes[at + 4..at + 8].copy_from_slice(&64u32.to_le_bytes());
    let error = refused_within(Duration::from_secs(3), bytes, Some("wrong"));
    assert_eq!(
        error,
        ImportError::KdfTooExpensive {
            format: Format::TesseraBackup
        }
    );
}

// --- Entry counts and JSON shape --------------------------------------------------------------

/// The real plain sample of a JSON format with the first item of its list at `pointer`
/// repeated `count` times.
fn repeated(relative: &str, pointer: &str, count: usize) -> Vec<u8> {
    let mut file = sample_json(relative);
    let list = file.pointer_mut(pointer).unwrap();
    let first = list[0].clone();
    *list = Value::Array(vec![first; count]);
    serde_json::to_vec(&file).unwrap()
}

const JSON_FORMATS: &[(&str, &str, Format)] = &[
    (
        "aegis/aegisapp-aegis_plain.json",
        "/db/entries",
        Format::Aegis,
    ),
    (
        "2fas/aegisapp-2fas_authenticator_plain_v4.2fas",
        "/services",
        Format::TwoFas,
    ),
    ("andotp/aegisapp-andotp_plain.json", "", Format::AndOtp),
    (
        "bitwarden/aegisapp-bitwarden.json",
        "/items",
        Format::Bitwarden,
    ),
    (
        "freeotp-plus/aegisapp-freeotp_plus.json",
        "/tokens",
        Format::FreeOtpPlus,
    ),
    (
        "lastpass/proton-lastpass.json",
        "/accounts",
        Format::LastPass,
    ),
    (
        "proton-authenticator/aegisapp-proton_authenticator.json",
        "/entries",
        Format::Proton,
    ),
];

#[test]
fn every_json_format_refuses_more_entries_than_the_cap() {
    for &(relative, pointer, format) in JSON_FORMATS {
        // The cap itself still imports...
        let at_cap = repeated(relative, pointer, limits::MAX_ENTRIES);
        let imported = import(&at_cap, None).unwrap_or_else(|e| panic!("{relative}: {e:?}"));
        assert_eq!(
            imported.entries.len() + imported.problems.len(),
            limits::MAX_ENTRIES,
            "{relative}"
        );
        // ...one more does not.
        let over = repeated(relative, pointer, limits::MAX_ENTRIES + 1);
        assert_eq!(
            import(&over, None).unwrap_err(),
            ImportError::LimitExceeded {
                format: Some(format),
                limit: Limit::Entries
            },
            "{relative}"
        );
    }
}

#[test]
fn every_json_format_refuses_a_container_bomb_before_parsing() {
    // Tiny objects: 3 bytes of text each, hundreds of bytes each once parsed.
    for &(relative, pointer, _) in JSON_FORMATS {
        let mut file = sample_json(relative);
        *file.pointer_mut(pointer).unwrap() =
            Value::Array(vec![json!({}); limits::MAX_JSON_CONTAINERS as usize]);
        let bytes = serde_json::to_vec(&file).unwrap();
        let error = refused_within(Duration::from_secs(10), bytes, None);
        assert!(
            matches!(
                error,
                ImportError::LimitExceeded {
                    limit: Limit::JsonContainers,
                    ..
                }
            ),
            "{relative}: {error:?}"
        );
        assert_eq!(error.code(), "limit_exceeded");
    }
}

#[test]
fn json_values_and_nesting_are_capped() {
    let values = format!(
        "{{\"version\":1,\"header\":{{}},\"db\":{{\"version\":2,\"entries\":[{}0]}}}}",
        "0,".repeat(limits::MAX_JSON_VALUES as usize)
    );
    assert_eq!(
        import(values.as_bytes(), None).unwrap_err(),
        ImportError::LimitExceeded {
            format: Some(Format::Aegis),
            limit: Limit::JsonValues
        }
    );
    let depth = limits::MAX_JSON_DEPTH + 1;
    let nested = format!(
        "{{\"version\":1,\"header\":{{}},\"db\":{}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_eq!(
        import(nested.as_bytes(), None).unwrap_err(),
        ImportError::LimitExceeded {
            format: Some(Format::Aegis),
            limit: Limit::Nesting
        }
    );
}

#[test]
fn a_uri_list_past_the_entry_cap_is_refused() {
    let line = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n";
    let list = line.repeat(limits::MAX_ENTRIES + 1);
    assert_eq!(
        import(list.as_bytes(), None).unwrap_err(),
        ImportError::LimitExceeded {
            format: Some(Format::OtpauthUri),
            limit: Limit::Entries
        }
    );
    let imported = import(line.repeat(limits::MAX_ENTRIES).as_bytes(), None).unwrap();
    assert_eq!(imported.entries.len(), limits::MAX_ENTRIES);
}

#[test]
fn a_file_past_the_size_cap_is_refused_unread() {
    let big = vec![b' '; limits::MAX_FILE_BYTES as usize + 1];
    assert_eq!(
        import(&big, None).unwrap_err(),
        ImportError::LimitExceeded {
            format: None,
            limit: Limit::FileBytes
        }
    );
}

#[test]
fn a_bitwarden_csv_past_the_entry_cap_is_refused() {
    let csv = String::from_utf8(sample("bitwarden/aegisapp-bitwarden.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let row = lines
        .find(|line| line.contains("otpauth://") || line.contains(",JBSWY"))
        .or_else(|| csv.lines().nth(1))
        .unwrap();
    let file = format!(
        "{header}\n{}",
        format!("{row}\n").repeat(limits::MAX_ENTRIES + 1)
    );
    assert_eq!(
        import(file.as_bytes(), None).unwrap_err(),
        ImportError::LimitExceeded {
            format: Some(Format::Bitwarden),
            limit: Limit::Entries
        }
    );
}
