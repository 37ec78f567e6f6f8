//! `scan` with the Google Authenticator QR samples of the shared test data, and `qr`.

use tessera_testkit::qr::{png_of, three_code_export};

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
    assert_eq!(
        json["missing"],
        serde_json::json!([{"batch_id": json["missing"][0]["batch_id"], "size": 4, "numbers": [2, 3, 4]}])
    );
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
fn scan_add_adds_the_codes_scanned_once() {
    let env = Env::new();
    env.init_passphrase_vault();
    let complete = sample("google-migration/scito-example_export.png");
    let partial = sample("google-migration/proton-GoogleAuthenticatorExport_3.png");
    let run = env
        .with_passphrase(&["scan", "--add", &complete, &partial], "")
        .ok();
    // Code 1 of 4: its accounts are added, as `import` adds them; codes 2 to 4 are named.
    assert!(
        run.stderr.contains(
            "code(s) 2, 3, 4 of 4 not scanned: their accounts are not in this list and were \
             not added; scan them with --add too, now or later"
        ),
        "{run:#?}"
    );
    // `import` of the same two pictures adds as many accounts: one rule for both (of two equal
    // accounts, the one kept may differ in its label: scan adds the exports in id order).
    let imported = Env::new();
    imported.init_passphrase_vault();
    imported
        .with_passphrase(&["import", &complete, &partial, "--yes"], "")
        .ok();
    let count = labels(&env).len();
    assert_eq!(count, labels(&imported).len());
    assert!(count > 3, "{run:#?}");
    assert!(
        run.stderr.contains(&format!("Added {count} accounts")),
        "{run:#?}"
    );

    let json = env
        .with_passphrase(&["scan", "--add", "--json", &complete, &partial], "")
        .ok()
        .json();
    assert_eq!(json["added"], 0);
    assert_eq!(labels(&env).len(), count);
    let mut all = secrets(&expected("google-migration/scito-example_export.png"));
    all.extend(secrets(&expected(
        "google-migration/proton-GoogleAuthenticatorExport_3.png",
    )));
    assert_no_secret(&env, &all);
}

#[test]
fn scan_add_adds_the_rest_of_an_export_when_it_is_scanned_later() {
    let env = Env::new();
    env.init_passphrase_vault();
    let codes = three_code_export(-4242);
    let picture = |name: &str, texts: &[&str]| {
        let path = env.dir.path().join(name);
        std::fs::write(&path, png_of(texts)).unwrap();
        path.display().to_string()
    };
    let first = picture("code1.png", &[&codes[0]]);
    let rest = picture("codes2-3.png", &[&codes[1], &codes[2]]);

    let run = env.with_passphrase(&["scan", "--add", &first], "").ok();
    assert!(
        run.stderr
            .contains("export -4242: code(s) 2, 3 of 3 not scanned"),
        "{run:#?}"
    );
    // Its two accounts share their secret and parameters: the same account, added once.
    assert!(run.stderr.contains("Added 1 accounts; 1 were"), "{run:#?}");
    // The same code again adds nothing twice, and still names the codes not scanned.
    let json = env
        .with_passphrase(&["scan", "--add", "--json", &first], "")
        .ok()
        .json();
    assert_eq!(json["added"], 0);
    assert_eq!(
        json["missing"],
        serde_json::json!([{"batch_id": -4242, "size": 3, "numbers": [2, 3]}])
    );
    assert_eq!(labels(&env).len(), 1);

    // The rest, scanned later: their accounts are added.
    let json = env
        .with_passphrase(&["scan", "--add", "--json", &rest], "")
        .ok()
        .json();
    assert_eq!(json["missing"][0]["numbers"], serde_json::json!([1]));
    assert_eq!(json["added"], labels(&env).len() - 1);
    // The accounts `import` takes from the whole export, each once.
    let imported = Env::new();
    imported.init_passphrase_vault();
    let whole = sample("google-migration/scito-example_export.txt");
    imported
        .with_passphrase(&["import", &whole, "--yes"], "")
        .ok();
    assert_eq!(labels(&env), labels(&imported));

    // All three together: nothing is missing, nothing is added twice.
    let run = env
        .with_passphrase(&["scan", "--add", &first, &rest], "")
        .ok();
    assert!(!run.stderr.contains("not scanned"), "{run:#?}");
    assert!(
        run.stderr.contains("Added 0 accounts; 6 were already"),
        "{run:#?}"
    );
    assert_no_secret(
        &env,
        &secrets(&expected("google-migration/scito-example_export.txt")),
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
