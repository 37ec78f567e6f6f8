//! `scan` with the Google Authenticator QR samples of the shared test data, and `qr`.

use crate::support::{Env, RFC_SECRET};
use crate::transfer::{assert_no_secret, expected, labels, sample, secrets};

const BAD_INPUT: i32 = 2;

#[test]
fn scan_lists_without_a_vault_and_reports_missing_codes() {
    let env = Env::new();
    let complete = sample("google-migration/scito-example_export.png");
    let partial = sample("google-migration/proton-GoogleAuthenticatorExport_3.png");
    // No vault exists: listing does not need one.
    let run = env.run(&["scan", &complete, &partial], "").ok();
    assert!(run.stdout.contains("code 1 of 1, 3 accounts"), "{run:#?}");
    assert!(
        run.stdout.contains("  Test1 (test1@example1.com)  [totp]"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("code 1 of 4, 10 accounts"), "{run:#?}");
    assert!(run.stderr.contains("2, 3, 4 of 4 not scanned"), "{run:#?}");

    let json = env.run(&["scan", "--json", &partial], "").ok().json();
    assert_eq!(json["missing"][0]["indices"], serde_json::json!([1, 2, 3]));
    assert_eq!(json["found"][0]["type"], "migration");
    assert_eq!(json["found"][0]["accounts"].as_array().unwrap().len(), 10);
    assert_eq!(json["added"], 0);

    let mut all = secrets(&expected("google-migration/scito-example_export.png"));
    all.extend(secrets(&expected(
        "google-migration/proton-GoogleAuthenticatorExport_3.png",
    )));
    assert_no_secret(&env, &all);
}

#[test]
fn scan_add_adds_complete_exports_only_once() {
    let env = Env::new();
    env.init_passphrase_vault();
    let complete = sample("google-migration/scito-example_export.png");
    let partial = sample("google-migration/proton-GoogleAuthenticatorExport_3.png");
    let run = env
        .with_passphrase(&["scan", "--add", &complete, &partial], "")
        .ok();
    assert!(run.stderr.contains("were not added"), "{run:#?}");
    assert!(run.stderr.contains("Added 3 accounts"), "{run:#?}");
    let names: Vec<String> = labels(&env).into_iter().map(|l| l.0).collect();
    assert_eq!(names, ["Test1", "Test2", "Test3"]);

    let json = env
        .with_passphrase(&["scan", "--add", "--json", &complete], "")
        .ok()
        .json();
    assert_eq!(json["added"], 0);
    assert_eq!(labels(&env).len(), 3);
    assert_no_secret(
        &env,
        &secrets(&expected("google-migration/scito-example_export.png")),
    );
}

#[test]
fn scan_refuses_what_is_not_an_image() {
    let env = Env::new();
    let file = sample("aegis/aegisapp-aegis_plain.json");
    let run = env
        .run(&["scan", &file], "")
        .fails(BAD_INPUT, "scan_incomplete");
    assert!(run.stdout.contains(": unreadable: "), "{run:#?}");
}

#[test]
fn scan_goes_on_past_unreadable_files_and_fails_at_the_end() {
    let env = Env::new();
    let not_image = sample("aegis/aegisapp-aegis_plain.json");
    let missing = env.dir.path().join("gone.png").display().to_string();
    let complete = sample("google-migration/scito-example_export.png");
    let run = env
        .run(&["scan", &not_image, &missing, &complete], "")
        .fails(BAD_INPUT, "scan_incomplete");
    assert!(run.stderr.contains("2 of 3 images"), "{run:#?}");
    assert!(run.stdout.contains("code 1 of 1, 3 accounts"), "{run:#?}");
    assert_eq!(run.stdout.matches(": unreadable: ").count(), 2, "{run:#?}");

    let run = env.run(&["scan", "--json", &missing, &complete], "");
    assert_eq!(run.status, Some(BAD_INPUT), "{run:#?}");
    let json = run.json();
    assert_eq!(json["found"][0]["type"], "unreadable");
    assert_eq!(json["found"][0]["code"], "io_error");
    assert_eq!(json["found"][1]["type"], "migration");
}

#[test]
fn qr_asks_first_and_prints_no_secret_text() {
    let env = Env::new();
    env.init_passphrase_vault();
    env.with_passphrase(
        &[
            "add",
            "--uri",
            &format!("otpauth://totp/ACME:bob?secret={RFC_SECRET}&issuer=ACME"),
        ],
        "",
    )
    .ok();
    let run = env
        .with_passphrase(&["qr", "ACME"], "")
        .fails(BAD_INPUT, "confirmation_needed");
    assert!(run.stdout.is_empty());
    let run = env.with_passphrase(&["qr", "ACME", "--yes"], "").ok();
    assert!(run.stdout.lines().count() > 10, "{run:#?}");
    assert!(
        run.stdout.contains('█') || run.stdout.contains('▀'),
        "{run:#?}"
    );
    env.with_passphrase(&["qr", "nothing", "--yes"], "")
        .fails(3, "no_match");
    assert_no_secret(&env, &[RFC_SECRET.into()]);
}
