//! The import and export commands on the mock runtime, with the real sample files of
//! `tests/data/imports/`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};
use tauri::ipc::Channel;

use super::*;
use crate::state::read_import;

/// The repository's sample files of other apps (`tests/data`).
pub(super) fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data")
}

/// A sample's path and its `.expected.json`.
fn sample(folder: &str, file: &str) -> (String, Value) {
    let path = testdata().join("imports").join(folder).join(file);
    let expected = std::fs::read_to_string(format!("{}.expected.json", path.display())).unwrap();
    (
        path.display().to_string(),
        serde_json::from_str(&expected).unwrap(),
    )
}

fn statuses(preview: &Value) -> Vec<String> {
    preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["status"].as_str().unwrap().to_owned())
        .collect()
}

fn entries(preview: &Value) -> Vec<u64> {
    preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["entry"].as_u64())
        .collect()
}

/// Runs the password step the way `import_unlock` does, with a channel that records progress.
fn unlock(h: &Harness, import_id: &str, password: &str) -> Result<Value, &'static str> {
    let state = h.state();
    let (files, cancelled) = state
        .import_files_of(import_id, Instant::now())
        .map_err(|e| e.code)?;
    let import = read_import(&files, Some(password)).map_err(|e| e.code())?;
    assert!(!cancelled.load(std::sync::atomic::Ordering::Relaxed));
    let preview = state
        .import_read(import_id, import, Instant::now())
        .map_err(|e| e.code)?;
    Ok(serde_json::to_value(preview).unwrap())
}

#[test]
fn a_plain_sample_previews_every_entry_and_commits_the_checked_ones_in_one_write() {
    let h = harness();
    h.created();
    let (path, expected) = sample("aegis", "aegisapp-aegis_plain.json");
    let count = expected["entries"].as_array().unwrap().len();
    let opened = h.ok("import_open_paths", json!({"paths": [path]}));
    assert_eq!(opened["step"], json!("preview"));
    let preview = &opened["preview"];
    assert_eq!(preview["format"], json!("aegis"));
    assert_eq!(entries(preview).len(), count);
    assert!(statuses(preview).iter().all(|s| s == "new"));
    let first = &preview["items"][0];
    assert_eq!(first["issuer"], expected["entries"][0]["issuer"]);
    assert_eq!(first["name"], expected["entries"][0]["name"]);
    assert_eq!(first["kind"], expected["entries"][0]["type"]);
    // Labels, kinds and statuses only: no secret crosses.
    let text = preview.to_string();
    for entry in expected["entries"].as_array().unwrap() {
        assert!(!text.contains(entry["secret"].as_str().unwrap()));
    }

    let mut chosen = entries(preview);
    chosen.remove(1);
    let id = preview["importId"].clone();
    let summary = h.ok("import_commit", json!({"importId": id, "selected": chosen}));
    assert_eq!(
        summary,
        json!({"added": count - 1, "skippedDuplicates": 0, "notSelected": 1,
               "unsupported": 0, "rejected": 0})
    );
    assert_eq!(h.issuers().len(), count - 1);
    // The import is gone once committed.
    assert_eq!(
        h.err("import_commit", json!({"importId": id, "selected": []}))["code"],
        json!("import_gone")
    );

    // The same file again: what was added is now a duplicate, the one left out is new.
    let again = h.ok("import_open_paths", json!({"paths": [path]}));
    let statuses = statuses(&again["preview"]);
    assert_eq!(
        statuses.iter().filter(|s| *s == "duplicate").count(),
        count - 1
    );
    assert_eq!(statuses[1], "new");
    let id = again["preview"]["importId"].clone();
    let summary = h.ok("import_commit", json!({"importId": id, "selected": [1]}));
    assert_eq!(summary["added"], json!(1));
    assert_eq!(summary["skippedDuplicates"], json!(count - 1));
    assert_eq!(h.issuers().len(), count);
}

#[test]
fn a_screenshot_of_an_export_imports_the_code_it_shows_and_names_the_others() {
    let h = harness();
    h.created();
    // Code 1 of 4 of a Google Authenticator export, as a PNG.
    let (path, expected) = sample("google-migration", "proton-GoogleAuthenticatorExport_3.png");
    let opened = h.ok("import_open_paths", json!({"paths": [path]}));
    let preview = &opened["preview"];
    assert_eq!(preview["format"], json!("google_migration"));
    assert_eq!(
        entries(preview).len(),
        expected["entries"].as_array().unwrap().len()
    );
    assert_eq!(
        preview["missing"],
        json!([{"batchId": 0, "size": 4, "numbers": [2, 3, 4]}])
    );
    let new: Vec<u64> = preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["status"] == "new")
        .filter_map(|item| item["entry"].as_u64())
        .collect();
    let id = preview["importId"].clone();
    let summary = h.ok("import_commit", json!({"importId": id, "selected": new}));
    assert_eq!(summary["added"], json!(new.len()));
    assert_eq!(h.issuers().len(), new.len());

    // A whole export names nothing; a picture without a QR code is refused, nothing held.
    let (whole, _) = sample("google-migration", "scito-example_export.png");
    let opened = h.ok("import_open_paths", json!({"paths": [whole]}));
    assert_eq!(opened["preview"]["missing"], json!([]));
    let icon = testdata().join("../../icons/128x128.png");
    assert_eq!(
        h.err("import_open_paths", json!({"paths": [icon]}))["code"],
        json!("no_qr_code")
    );
}

#[test]
fn an_encrypted_sample_asks_for_its_password_and_a_wrong_one_can_be_retried() {
    let h = harness();
    h.created();
    let (path, expected) = sample("aegis", "aegisapp-aegis_encrypted.json");
    let opened = h.ok("import_open_paths", json!({"paths": [path]}));
    assert_eq!(opened["step"], json!("needsPassword"));
    assert_eq!(opened["format"], json!("aegis"));
    let id = opened["importId"].as_str().unwrap().to_owned();
    assert_eq!(
        h.err("import_commit", json!({"importId": id, "selected": [0]}))["code"],
        json!("invalid_input"),
        "nothing to commit before the password"
    );
    assert_eq!(unlock(&h, &id, "not the password"), Err("wrong_password"));
    let preview = unlock(&h, &id, expected["password"].as_str().unwrap()).unwrap();
    assert_eq!(
        entries(&preview).len(),
        expected["entries"].as_array().unwrap().len()
    );
    h.ok("import_cancel", json!({"importId": id}));
    assert_eq!(
        h.err("import_commit", json!({"importId": id, "selected": [0]}))["code"],
        json!("import_gone")
    );
    assert_eq!(h.issuers().len(), 0, "a cancelled import writes nothing");
}

#[test]
fn the_password_step_reports_progress_and_a_cancel_returns_at_once() {
    let h = harness();
    h.created();
    let (path, expected) = sample("aegis", "aegisapp-aegis_encrypted.json");
    let opened = h.ok("import_open_paths", json!({"paths": [path]}));
    let id = opened["importId"].as_str().unwrap().to_owned();
    let (files, cancelled) = h.state().import_files_of(&id, Instant::now()).unwrap();
    let stages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&stages);
    let channel = Channel::new(move |body| {
        let value: Value = body.deserialize().unwrap();
        seen.lock()
            .unwrap()
            .push(value["stage"].as_str().unwrap().to_owned());
        Ok(())
    });
    let password = crate::dto::SecretText(zeroize::Zeroizing::new(
        expected["password"].as_str().unwrap().to_owned(),
    ));
    let import =
        crate::state::import_files::derive_reporting(&files, &password, &cancelled, &channel)
            .unwrap();
    assert_eq!(import.entries.len(), 7);
    let stages = stages.lock().unwrap().clone();
    assert_eq!(stages.first().map(String::as_str), Some("deriving"));
    assert_eq!(stages.last().map(String::as_str), Some("done"));

    // A cancelled import does not start (or, mid-derivation, returns at the next tick).
    h.ok("import_cancel", json!({"importId": id}));
    assert!(cancelled.load(std::sync::atomic::Ordering::Relaxed));
    let quiet = Channel::new(|_| Ok(()));
    let error = crate::state::import_files::derive_reporting(&files, &password, &cancelled, &quiet)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(error.code, "import_gone");
    assert_eq!(
        h.state()
            .import_read(&id, import, Instant::now())
            .unwrap_err()
            .code,
        "import_gone"
    );
}

#[test]
fn locking_drops_held_imports_and_refused_files_say_why() {
    let h = harness();
    h.created();
    let (path, _) = sample("aegis", "aegisapp-aegis_encrypted.json");
    let id = h.ok("import_open_paths", json!({"paths": [path]}))["importId"].clone();
    h.ok("lock_vault", json!({}));
    assert_eq!(
        h.err("import_open_paths", json!({"paths": [path]}))["code"],
        json!("locked")
    );
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "keychain", "interactive": true}}),
    );
    assert_eq!(
        h.err("import_commit", json!({"importId": id, "selected": []}))["code"],
        json!("import_gone")
    );

    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("notes.txt");
    std::fs::write(&foreign, "shopping list\nmilk\n").unwrap();
    let code = |path: &Path| h.err("import_open_paths", json!({"paths": [path]}))["code"].clone();
    assert_eq!(code(&foreign), json!("unknown_format"));
    assert_eq!(code(&dir.path().join("absent.json")), json!("file_access"));
    let truncated = dir.path().join("cut.json");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert_ne!(code(&truncated), json!("unknown"));
}

#[test]
fn exports_are_owner_only_and_import_again_to_the_same_accounts() {
    let h = harness();
    h.created();
    h.add_uri("GitHub");
    h.add_uri("Cloud");
    let dir = tempfile::tempdir().unwrap();
    let export = |format: &str, password: Option<&str>, plain: bool| {
        let path = dir.path().join(format!("out-{format}"));
        let written = h.ok(
            "export_save",
            json!({"format": format, "password": password, "confirm": password,
                   "plainConfirmed": plain, "path": path}),
        );
        assert_eq!(written["accounts"], json!(2));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{format}");
        }
        let files = std::sync::Arc::new(vec![(
            String::new(),
            zeroize::Zeroizing::new(std::fs::read(&path).unwrap()),
        )]);
        let import = read_import(&files, password).unwrap();
        let labels: Vec<String> = import.entries.iter().map(|e| e.issuer.clone()).collect();
        assert_eq!(labels, ["GitHub", "Cloud"], "{format}");
        import.format.code()
    };
    assert_eq!(export("aegis_encrypted", Some("pw"), false), "aegis");
    assert_eq!(export("aegis_json", None, true), "aegis");
    assert_eq!(export("otpauth_list", None, true), "otpauth_uri");
    assert_eq!(
        export("tessera_backup", Some("pw"), false),
        "tessera_backup"
    );

    let refused = |args: Value| h.err("export_save", args)["code"].clone();
    assert_eq!(
        refused(json!({"format": "aegis_json", "plainConfirmed": false,
                       "path": dir.path().join("x")})),
        json!("plain_not_confirmed")
    );
    assert_eq!(
        refused(
            json!({"format": "tessera_backup", "password": "a", "confirm": "b",
                       "plainConfirmed": false, "path": dir.path().join("y")})
        ),
        json!("password_mismatch")
    );
    assert!(!dir.path().join("x").exists() && !dir.path().join("y").exists());
}

#[test]
fn migration_codes_are_drawn_one_at_a_time() {
    let h = harness();
    h.created();
    h.add_uri("GitHub");
    let qr = h.ok("export_migration_qr", json!({"index": 0}));
    assert_eq!(qr["index"], json!(0));
    assert_eq!(qr["total"], json!(1));
    assert!(qr["svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(qr["skipped"], json!([]));
    assert_eq!(
        h.err("export_migration_qr", json!({"index": 1}))["code"],
        json!("not_found")
    );
}

#[test]
fn an_import_path_that_is_gone_is_file_access() {
    let dir = tempfile::tempdir().unwrap();
    let gone = tessera_transfer::files::read_files(&[dir.path().join("x")]).unwrap_err();
    assert_eq!(gone.code(), "file_access");
}

/// Every shared sample goes through the app's path (read, detect, password, preview) to as many
/// importable entries, of the same kinds, as its `.expected.json` lists; QR screenshots are sent
/// to the scanner instead.
#[test]
fn every_sample_previews_its_expected_entries_in_the_app() {
    let h = harness();
    h.created();
    let mut checked = 0;
    let mut images = 0;
    let mut samples: Vec<PathBuf> = std::fs::read_dir(testdata().join("imports"))
        .unwrap()
        .flat_map(|folder| {
            std::fs::read_dir(folder.unwrap().path())
                .into_iter()
                .flatten()
        })
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".expected.json"))
        .collect();
    samples.sort();
    for expected_path in samples {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let file = expected["file"].as_str().unwrap();
        let path = expected_path
            .parent()
            .unwrap()
            .join(file.trim_end_matches('/'));
        let name = path.display().to_string();
        let opened = h.call("import_open_paths", json!({ "paths": [path] }));
        // Screenshots of QR codes preview through the QR path like any other file.
        if file.ends_with(".png") {
            images += 1;
        }
        let opened = opened.unwrap_or_else(|error| panic!("{name}: {error}"));
        let preview = if opened["step"] == json!("needsPassword") {
            let id = opened["importId"].as_str().unwrap();
            assert_eq!(
                unlock(&h, id, "wrong password"),
                Err("wrong_password"),
                "{name}"
            );
            unlock(&h, id, expected["password"].as_str().unwrap()).unwrap()
        } else {
            opened["preview"].clone()
        };
        let kinds: Vec<&str> = preview["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["entry"].is_number())
            .map(|item| item["kind"].as_str().unwrap())
            .collect();
        let expected_kinds: Vec<&str> = expected["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["type"].as_str().unwrap())
            .collect();
        // As multisets: some formats have no entry order (FreeOTP 2 stores a Java HashMap).
        let (mut kinds, mut expected_kinds) = (kinds, expected_kinds);
        kinds.sort_unstable();
        expected_kinds.sort_unstable();
        assert_eq!(kinds, expected_kinds, "{name}");
        h.ok("import_cancel", json!({"importId": preview["importId"]}));
        checked += 1;
    }
    assert!(
        checked >= 30 && images >= 2,
        "{checked} samples, {images} images"
    );
}
