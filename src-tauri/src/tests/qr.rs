//! The QR commands on the mock runtime: image files (the path a drop and the picker take) with
//! the Google Authenticator samples of `tests/data`, texts as the screen scan hands them
//! over, one-write adds, and "Show QR".

use std::path::PathBuf;

use serde_json::{Value, json};
use tessera_qr::QrText;
use tessera_testkit::qr::three_code_export;

use super::transfer::testdata;
use super::*;

fn google(file: &str) -> String {
    testdata()
        .join("imports/google-migration")
        .join(file)
        .display()
        .to_string()
}

fn ids_with(scan: &Value, status: &str) -> Vec<u64> {
    scan["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["status"] == status)
        .map(|item| item["id"].as_u64().unwrap())
        .collect()
}

#[test]
fn image_files_list_accounts_without_secrets_and_add_in_one_write() {
    let h = harness();
    h.created();
    let not_image = h._dir.path().join("notes.png");
    std::fs::write(&not_image, b"not an image").unwrap();
    let scan = h.ok(
        "qr_scan_paths",
        json!({"paths": [
            google("scito-example_export.png"),
            google("proton-GoogleAuthenticatorExport_3.png"),
            not_image.display().to_string(),
        ]}),
    );
    assert_eq!(scan["found"], json!(2));
    assert_eq!(scan["failures"][0]["source"], json!("notes.png"));
    assert_eq!(
        scan["failures"][0]["error"]["code"],
        json!("image_format_unsupported")
    );
    let items = scan["items"].as_array().unwrap();
    assert_eq!(items.len(), 13);
    assert_eq!(
        (&items[0]["issuer"], &items[0]["name"], &items[0]["otpKind"]),
        (
            &json!("Test1"),
            &json!("test1@example1.com"),
            &json!("totp")
        )
    );
    assert_eq!(items[0]["source"], json!("scito-example_export.png"));
    // The proton export is code 1 of 4: its ten accounts can be added now too, as an import
    // adds them; codes 2 to 4 are named.
    assert_eq!(ids_with(&scan, "new"), (0..13).collect::<Vec<u64>>());
    assert_eq!(items[3]["batch"]["number"], json!(1));
    assert_eq!(items[3]["batch"]["size"], json!(4));
    assert_eq!(scan["missing"][0]["numbers"], json!([2, 3, 4]));
    for secret in ["JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXQ", "otpauth"] {
        assert!(!scan.to_string().contains(secret), "{secret} crossed IPC");
    }

    let scan_id = scan["scanId"].clone();
    let refused = h.err("qr_add", json!({"scanId": scan_id, "ids": [13]}));
    assert_eq!(refused["code"], json!("invalid_input"));
    let added = h.ok("qr_add", json!({"scanId": scan_id, "ids": [0, 1, 2]}));
    assert_eq!(added, json!({"added": 3, "skipped": 0}));
    assert_eq!(h.issuers(), ["Test1", "Test2", "Test3"]);
    // Added and forgotten: the scan id is gone.
    let gone = h.err("qr_add", json!({"scanId": scan_id, "ids": [0]}));
    assert_eq!(gone["code"], json!("not_found"));

    // Scanned again: the vault has them.
    let again = h.ok(
        "qr_scan_paths",
        json!({"paths": [google("scito-example_export.png")]}),
    );
    assert_eq!(ids_with(&again, "duplicate"), [0, 1, 2]);
    let added = h.ok("qr_add", json!({"scanId": again["scanId"], "ids": [0]}));
    assert_eq!(added, json!({"added": 0, "skipped": 1}));
}

#[test]
fn an_export_with_codes_missing_adds_what_was_scanned_and_the_rest_later() {
    let h = harness();
    h.created();
    let state = h.state();
    let now = tessera_core::UnixTime(1_700_000_000);
    let codes = three_code_export(-4242);
    let scan = |texts: &[&String]| -> Value {
        let texts = texts.iter().map(|t| QrText::new((*t).clone())).collect();
        let scan = state.qr_scanned(vec![("clipboard".into(), Ok(texts))], now);
        serde_json::to_value(scan.unwrap()).unwrap()
    };
    let first = scan(&[&codes[0]]);
    assert_eq!(ids_with(&first, "new"), [0, 1]);
    assert_eq!(
        first["missing"],
        json!([{"batchId": -4242, "size": 3, "numbers": [2, 3]}])
    );
    // Google's sample holds one TOTP account five times (same secret and parameters) and one
    // HOTP account, in code 3: the first code adds the TOTP account, once.
    let added = h.ok("qr_add", json!({"scanId": first["scanId"], "ids": [0, 1]}));
    assert_eq!(added, json!({"added": 1, "skipped": 1}));
    assert_eq!(h.issuers(), ["raspberrypi"]);

    // The same code again: its accounts are marked as in the vault and are not added twice.
    let again = scan(&[&codes[0]]);
    assert_eq!(ids_with(&again, "duplicate"), [0, 1]);
    assert_eq!(again["missing"][0]["numbers"], json!([2, 3]));
    let added = h.ok("qr_add", json!({"scanId": again["scanId"], "ids": [0, 1]}));
    assert_eq!(added, json!({"added": 0, "skipped": 2}));

    // The rest, scanned later one after the other into one list: the account only they hold
    // is new, and is added.
    let second = scan(&[&codes[1]]);
    assert_eq!(second["missing"][0]["numbers"], json!([1, 3]));
    let rest = scan(&[&codes[2]]);
    assert_eq!(rest["scanId"], second["scanId"]);
    assert_eq!(rest["missing"][0]["numbers"], json!([1]));
    assert_eq!(ids_with(&rest, "duplicate"), [0, 1, 3]);
    assert_eq!(ids_with(&rest, "new"), [2]);
    assert_eq!(rest["items"][2]["otpKind"], json!("hotp"));
    let added = h.ok("qr_add", json!({"scanId": rest["scanId"], "ids": [2]}));
    assert_eq!(added, json!({"added": 1, "skipped": 0}));
    assert_eq!(h.issuers().len(), 2);
}

#[test]
fn screen_texts_are_classified_deduplicated_and_kept_across_scans() {
    let h = harness();
    h.created();
    let state = h.state();
    let now = tessera_core::UnixTime(1_700_000_000);
    let account = format!("otpauth://totp/ACME:bob?secret={SECRET}&issuer=ACME");
    let text = |t: &str| QrText::new(t.to_owned());
    let first = state
        .qr_scanned(
            vec![
                (
                    "screen:DP-1".into(),
                    Ok(vec![
                        text(&account),
                        text("pia://pipush/PIPU1?v=1&serial=PIPU1&enrollment_credential=c&url=https://pi.example/ttype/push"),
                        text("https://user:pw@example.com/reset?token=SECRET"),
                        text("otpauth://totp/A:b?secret=NOT*BASE32"),
                    ]),
                ),
                ("screen:HDMI-1".into(), Ok(vec![text(&account)])),
            ],
            now,
        )
        .unwrap();
    let first = serde_json::to_value(first).unwrap();
    let kinds: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    // The same account on two monitors is listed once.
    assert_eq!(kinds, ["account", "push", "other", "invalid"]);
    let statuses: Vec<&Value> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("new"), &json!(""), &json!(""), &json!("")]
    );
    assert_eq!(first["found"], json!(5));
    assert_eq!(first["items"][2]["detail"], json!("https://example.com"));
    assert_eq!(first["items"][3]["detail"], json!("qr_invalid_otpauth"));
    let shown = first.to_string();
    for secret in [SECRET, "SECRET", "pw@", "enrollment_credential"] {
        assert!(!shown.contains(secret), "{secret} crossed IPC");
    }
    // The push link stays in Rust, for the push service.
    let scan_id = first["scanId"].as_str().unwrap();
    assert!(
        state
            .qr_push_link(scan_id, 1)
            .unwrap()
            .starts_with("pia://pipush/")
    );
    assert_eq!(
        state.qr_push_link(scan_id, 0).unwrap_err().code,
        "invalid_input"
    );

    // A second scan adds to the same list.
    let second = state
        .qr_scanned(vec![("clipboard".into(), Ok(Vec::new()))], now)
        .unwrap();
    assert_eq!(second.scan_id, scan_id);
    assert_eq!((second.items.len(), second.found), (4, 0));

    // Locking drops the held scan with its secrets.
    h.ok("lock_vault", json!({}));
    let locked = h.err(
        "qr_scan_paths",
        json!({"paths": [google("scito-example_export.png")]}),
    );
    assert_eq!(locked["code"], json!("locked"));
}

#[test]
fn show_qr_draws_an_svg_without_the_uri_text() {
    let h = harness();
    h.created();
    let account = h.add_uri("ACME");
    let svg = h.ok("account_qr_svg", json!({"id": account["id"]}));
    let svg = svg["svg"].as_str().unwrap();
    assert!(svg.contains("<svg"), "{svg}");
    assert!(!svg.contains(SECRET) && !svg.contains("otpauth"));
    let missing = h.err(
        "account_qr_svg",
        json!({"id": "00000000-0000-4000-8000-000000000000"}),
    );
    assert_eq!(missing["code"], json!("not_found"));
}

#[test]
fn only_images_are_routed_to_the_scan_on_drop() {
    use crate::state::scan::is_image_path;
    assert!(is_image_path(&PathBuf::from("/tmp/Screenshot.PNG")));
    assert!(is_image_path(&PathBuf::from("code.jpeg")));
    assert!(!is_image_path(&PathBuf::from("aegis.json")));
    assert!(!is_image_path(&PathBuf::from("png")));
}
