//! The vault commands end to end on passphrase vaults (no keychain needed): every command,
//! the `--json` shapes, bad input and its exit codes, and no secret in any output.

use serde_json::json;

use crate::support::{Env, PASSPHRASE, RFC_SECRET, recovery_key_in};

/// Exit statuses (see `tessera --help`).
const FAILURE: i32 = 1;
const BAD_INPUT: i32 = 2;
const NO_MATCH: i32 = 3;
const AMBIGUOUS: i32 = 4;
const LOCKED: i32 = 5;

fn totp_uri() -> String {
    format!(
        "otpauth://totp/ACME%20Co:bob@example.com?secret={RFC_SECRET}&digits=8&issuer=ACME%20Co"
    )
}

#[test]
fn full_flow_with_a_passphrase_vault() {
    let env = Env::new();
    let init = env.run(
        &["init", "--no-keychain", "--passphrase-stdin"],
        &format!("{PASSPHRASE}\n"),
    );
    let init = init.ok();
    let key = recovery_key_in(&init.stdout);
    assert!(init.stderr.contains("shown this once"), "{}", init.stderr);
    assert!(init.stderr.contains("Write it down"), "{}", init.stderr);

    // Add: from a URI on stdin (after the unlock secret), and from flags + secret on stdin.
    env.with_passphrase(
        &["add", "--uri", "-", "--tag", "work"],
        &format!("{}\n", totp_uri()),
    )
    .ok();
    env.with_key(
        &key,
        &[
            "add",
            "--issuer",
            "Bank",
            "--name",
            "alice",
            "--type",
            "hotp",
            "--secret-stdin",
        ],
        &format!("{RFC_SECRET}\n"),
    )
    .ok();
    env.with_key(
        &key,
        &[
            "add",
            "--uri",
            "otpauth://steam/Steam:me?secret=STEAMKEY&issuer=Steam",
        ],
        "",
    )
    .ok();

    // list --json: ids are uuids, everything else exact, no secret field.
    let list = env.with_key(&key, &["list", "--json"], "").ok().json();
    let accounts = list.as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    let ids: Vec<String> = accounts
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &ids {
        assert_eq!(id.len(), 36, "{id}");
    }
    assert_eq!(
        list,
        json!([
            {"id": ids[0], "issuer": "ACME Co", "name": "bob@example.com", "kind": "totp",
             "tags": ["work"], "icon": null},
            {"id": ids[1], "issuer": "Bank", "name": "alice", "kind": "hotp", "tags": [],
             "icon": null},
            {"id": ids[2], "issuer": "Steam", "name": "me", "kind": "steam", "tags": [],
             "icon": null},
        ])
    );
    let text = env.with_key(&key, &["list"], "").ok().stdout;
    assert_eq!(
        text,
        format!(
            "ID        ISSUER   NAME             KIND   TAGS\n\
             {}  ACME Co  bob@example.com  totp   work\n\
             {}  Bank     alice            hotp\n\
             {}  Steam    me               steam\n",
            &ids[0][..8],
            &ids[1][..8],
            &ids[2][..8]
        )
    );

    // code: RFC 6238 App. B (SHA-1, 8 digits, T = 59), by issuer prefix, name, tag and id.
    for query in [
        "acme",
        "bob@example.com",
        "work",
        &ids[0],
        &ids[0][..8],
        "ACME Co:bob@example.com",
    ] {
        let code = env.with_key(&key, &["code", query, "--at", "59"], "").ok();
        assert_eq!(code.stdout, "94287082  (1 s left)\n", "{query}");
    }
    let code = env
        .with_passphrase(&["code", "steam", "--json", "--at", "1742298622"], "")
        .ok()
        .json();
    assert_eq!(
        code,
        json!({"id": ids[2], "code": "NTK5M", "seconds_left": 8, "issuer": "Steam",
               "name": "me", "kind": "steam"})
    );

    // HOTP: RFC 4226 App. D counters 0, 1, 2, each shown once and advanced in the vault.
    for expected in ["755224", "287082"] {
        let code = env.with_key(&key, &["code", "bank"], "").ok();
        assert_eq!(code.stdout, format!("{expected}\n"));
    }
    let hotp = env
        .with_key(&key, &["code", "bank", "--json"], "")
        .ok()
        .json();
    assert_eq!(
        hotp,
        json!({"id": ids[1], "code": "359152", "seconds_left": null, "issuer": "Bank",
               "name": "alice", "kind": "hotp"})
    );

    // Without a query: every time-based code; HOTP listed without one (and not advanced).
    let all = env.with_key(&key, &["code", "--at", "59"], "").ok().stdout;
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines.len(), 3, "{all}");
    assert!(lines[0].starts_with("94287082   1 s"), "{all}");
    assert!(
        lines[1].contains("hotp") && lines[1].ends_with("Bank (alice)"),
        "{all}"
    );
    let all = env
        .with_key(&key, &["code", "--json", "--at", "59"], "")
        .ok()
        .json();
    assert_eq!(all[0]["code"], "94287082");
    assert_eq!(all[1]["code"], serde_json::Value::Null);
    assert_eq!(all[1]["kind"], "hotp");
    let next = env.with_key(&key, &["code", "bank"], "").ok();
    assert_eq!(
        next.stdout, "969429\n",
        "listing all codes must not advance HOTP"
    );

    // edit: issuer, name, icon.
    env.with_key(
        &key,
        &[
            "edit", "bank", "--issuer", "Big Bank", "--name", "alice.w", "--icon", "bank",
        ],
        "",
    )
    .ok();
    let edited = env.with_key(&key, &["list", "--json"], "").ok().json();
    assert_eq!(edited[1]["issuer"], "Big Bank");
    assert_eq!(edited[1]["name"], "alice.w");
    assert_eq!(edited[1]["icon"], "bank");
    env.with_key(&key, &["edit", &ids[1][..8], "--no-icon"], "")
        .ok();
    let edited = env.with_key(&key, &["list", "--json"], "").ok().json();
    assert_eq!(edited[1]["icon"], serde_json::Value::Null);

    // tags: add (case-insensitive duplicates ignored), list with counts, one account's, rm.
    env.with_key(&key, &["tag", "add", "steam", "games", "Work", "work"], "")
        .ok();
    let tags = env
        .with_key(&key, &["tag", "list", "--json"], "")
        .ok()
        .json();
    assert_eq!(
        tags,
        json!([{"tag": "games", "count": 1}, {"tag": "work", "count": 2}])
    );
    let one = env
        .with_key(&key, &["tag", "list", "steam", "--json"], "")
        .ok()
        .json();
    assert_eq!(one, json!(["games", "Work"]));
    assert_eq!(
        env.with_key(&key, &["tag", "list"], "").ok().stdout,
        "TAG    ACCOUNTS\ngames  1\nwork   2\n"
    );
    env.with_key(&key, &["tag", "rm", "steam", "WORK"], "").ok();
    let filtered = env
        .with_key(&key, &["list", "--tag", "work", "--json"], "")
        .ok()
        .json();
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    assert_eq!(filtered[0]["issuer"], "ACME Co");

    // rm: needs --yes without a terminal; then gone.
    env.with_key(&key, &["rm", "steam"], "")
        .fails(BAD_INPUT, "confirmation_needed");
    env.with_key(&key, &["rm", "steam", "--yes"], "").ok();
    let left = env.with_key(&key, &["list", "--json"], "").ok().json();
    assert_eq!(left.as_array().unwrap().len(), 2);
    env.with_key(&key, &["code", "steam"], "")
        .fails(NO_MATCH, "no_match");

    assert_no_secret_printed(&env, &key, 1);
}

/// No output of any run holds an account secret, the passphrase, or the recovery key (except
/// the `expected_key_prints` runs that print it: init and rotate).
fn assert_no_secret_printed(env: &Env, key: &str, expected_key_prints: usize) {
    let mut key_prints = 0;
    for (args, stdout, stderr) in env.outputs() {
        for text in [&stdout, &stderr] {
            for secret in [RFC_SECRET, "STEAMKEY", "12345678901234567890", PASSPHRASE] {
                assert!(!text.contains(secret), "`{args}` printed a secret: {text}");
            }
            assert!(
                !stderr.contains(key),
                "`{args}` printed the recovery key on stderr"
            );
        }
        if stdout.contains(key) {
            key_prints += 1;
            assert!(args.contains("init") || args.contains("rotate") || args.contains("restore"));
        }
    }
    assert_eq!(key_prints, expected_key_prints);
}

#[test]
fn bad_input_and_locked_vaults_have_their_exit_codes() {
    let env = Env::new();
    // No vault yet.
    env.run(&["list"], "")
        .fails(FAILURE, "vault_not_found")
        .stderr
        .contains("tessera init")
        .then_some(())
        .unwrap();
    let key = env.init_passphrase_vault();
    env.run(&["init", "--no-keychain", "--passphrase-stdin"], "again\n")
        .fails(FAILURE, "already_exists");

    // Locked: not bound to a keychain, and no secret given.
    let locked = env.run(&["list"], "").fails(LOCKED, "no_keychain_slot");
    assert!(
        locked.stderr.contains("--recovery-key-stdin"),
        "{}",
        locked.stderr
    );
    assert!(
        locked.stderr.contains("tessera unlock --recovery-key"),
        "{}",
        locked.stderr
    );
    env.run(&["--passphrase-stdin", "list"], "wrong\n")
        .fails(LOCKED, "wrong_passphrase");
    env.run(&["--recovery-key-stdin", "list"], "0000-0000\n")
        .fails(BAD_INPUT, "recovery_key_length");
    let mut typo = key.clone();
    let last = typo.pop().unwrap();
    typo.push(if last == '0' { '1' } else { '0' });
    env.run(&["--recovery-key-stdin", "list"], &format!("{typo}\n"))
        .fails(BAD_INPUT, "recovery_key_typo");
    env.run(&["--recovery-key-stdin", "list"], "")
        .fails(BAD_INPUT, "stdin_ended");

    // Queries on an empty vault, then no match and ambiguity.
    env.with_key(&key, &["code", "x"], "")
        .fails(NO_MATCH, "no_accounts");
    for (issuer, name) in [("GitHub", "alice"), ("GitHub", "bob")] {
        let secret = if name == "alice" {
            RFC_SECRET
        } else {
            "JBSWY3DPEHPK3PXP"
        };
        env.with_key(
            &key,
            &["add", "--issuer", issuer, "--name", name, "--secret-stdin"],
            &format!("{secret}\n"),
        )
        .ok();
    }
    let ambiguous = env
        .with_key(&key, &["code", "github"], "")
        .fails(AMBIGUOUS, "ambiguous");
    assert!(
        ambiguous.stderr.contains("GitHub (alice)"),
        "{}",
        ambiguous.stderr
    );
    assert!(
        ambiguous.stderr.contains("GitHub (bob)"),
        "{}",
        ambiguous.stderr
    );
    assert!(ambiguous.stdout.is_empty());
    env.with_key(&key, &["code", "github:bob"], "").ok();
    env.with_key(&key, &["code", "gitlab"], "")
        .fails(NO_MATCH, "no_match");
    env.with_key(&key, &["rm", "github", "--yes"], "")
        .fails(AMBIGUOUS, "ambiguous");

    // Bad account input.
    let cases: &[(&[&str], &str, i32, &str)] = &[
        (
            &["add", "--issuer", "X", "--secret-stdin"],
            "not base32!\n",
            BAD_INPUT,
            "invalid_secret",
        ),
        (
            &["add", "--issuer", "X", "--secret-stdin", "--digits", "4"],
            "JBSWY3DP\n",
            BAD_INPUT,
            "invalid_digits",
        ),
        (
            &["add", "--issuer", "X", "--secret-stdin", "--period", "0"],
            "JBSWY3DP\n",
            BAD_INPUT,
            "invalid_period",
        ),
        (
            &[
                "add",
                "--issuer",
                "X",
                "--secret-stdin",
                "--type",
                "steam",
                "--digits",
                "6",
            ],
            "JBSWY3DP\n",
            BAD_INPUT,
            "invalid_parameters",
        ),
        (
            &["add", "--issuer", "X", "--secret-stdin", "--counter", "3"],
            "JBSWY3DP\n",
            BAD_INPUT,
            "invalid_parameters",
        ),
        (
            &["add", "--secret-stdin"],
            "JBSWY3DP\n",
            BAD_INPUT,
            "missing_label",
        ),
        (&["add", "--issuer", "X"], "", BAD_INPUT, "not_a_terminal"),
        (
            &["add", "--issuer", "Again", "--secret-stdin"],
            &format!("{RFC_SECRET}\n"),
            FAILURE,
            "duplicate_account",
        ),
        (
            &[
                "add",
                "--uri",
                "otpauth://totp/x?secret=SECRETSECRETSECRET1",
            ],
            "",
            BAD_INPUT,
            "invalid_secret",
        ),
        (&["add", "--uri", "-"], "\n\n", BAD_INPUT, "empty_stdin"),
        (&["edit", "bob"], "", BAD_INPUT, "nothing_to_change"),
        (
            &["edit", "bob", "--issuer", "", "--name", ""],
            "",
            BAD_INPUT,
            "missing_label",
        ),
        (&["tag", "add", "bob", " "], "", BAD_INPUT, "invalid_tag"),
        (&["code", "--copy"], "", BAD_INPUT, "copy_needs_one_account"),
        (
            &["unlock", "--passphrase"],
            "",
            BAD_INPUT,
            "conflicting_unlock",
        ),
    ];
    for (args, more, status, code) in cases {
        let run = env.with_key(&key, args, more).fails(*status, code);
        assert!(run.stdout.is_empty(), "{args:?}: {run:#?}");
        assert!(!run.stderr.contains("SECRETSECRET"), "{run:#?}");
    }
    env.run(&["unlock"], "")
        .fails(BAD_INPUT, "conflicting_unlock");
    env.run(&["unlock", "--recovery-key"], "")
        .fails(BAD_INPUT, "not_a_terminal");
    // Usage errors are clap's: exit 2.
    assert_eq!(env.run(&["add", "--type", "motp"], "").status, Some(2));
    assert_eq!(env.run(&["tag", "add", "bob"], "").status, Some(2));
    // The same secret with a 45 s period makes other codes: another account, not a duplicate.
    env.with_key(
        &key,
        &[
            "add",
            "--issuer",
            "Again",
            "--secret-stdin",
            "--period",
            "45",
        ],
        &format!("{RFC_SECRET}\n"),
    )
    .ok();
    // The duplicate check can be overridden.
    env.with_key(
        &key,
        &[
            "add",
            "--issuer",
            "Again",
            "--secret-stdin",
            "--allow-duplicate",
        ],
        &format!("{RFC_SECRET}\n"),
    )
    .ok();
    assert_no_secret_printed(&env, &key, 1);
}

#[test]
fn untrusted_text_is_escaped_on_the_terminal_but_exact_in_json() {
    let env = Env::new();
    let key = env.init_passphrase_vault();
    // An issuer with a terminal escape and a bidi override, as a hostile import could carry.
    let uri = format!("otpauth://totp/x?secret={RFC_SECRET}&issuer=Evil%1B%5B2J%E2%80%AEmoc");
    env.with_key(&key, &["add", "--uri", &uri, "--name", "n\u{200b}me"], "")
        .ok();
    let list = env.with_key(&key, &["list"], "").ok();
    assert!(!list.stdout.contains('\u{1b}'), "{:?}", list.stdout);
    assert!(!list.stdout.contains('\u{202e}'), "{:?}", list.stdout);
    assert!(
        list.stdout.contains("Evil\\u{1b}[2J\\u{202e}moc"),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("n\\u{200b}me"), "{}", list.stdout);
    let all = env.with_key(&key, &["code"], "").ok();
    assert!(!all.stdout.contains('\u{1b}') && !all.stdout.contains('\u{202e}'));
    let ambiguous = env
        .with_key(
            &key,
            &["add", "--uri", &uri, "--name", "other", "--allow-duplicate"],
            "",
        )
        .ok();
    assert!(!ambiguous.stderr.contains('\u{1b}'));
    let error = env
        .with_key(&key, &["code", "evil"], "")
        .fails(AMBIGUOUS, "ambiguous");
    assert!(!error.stderr.contains('\u{1b}') && !error.stderr.contains('\u{202e}'));
    let json = env.with_key(&key, &["list", "--json"], "").ok().json();
    assert_eq!(json[0]["issuer"], "Evil\u{1b}[2J\u{202e}moc");
    assert_eq!(json[0]["name"], "n\u{200b}me");
}

#[test]
fn backup_and_restore_merge_replace_and_new_vault() {
    let env = Env::new();
    let key = env.init_passphrase_vault();
    env.with_key(&key, &["add", "--uri", &totp_uri()], "").ok();
    env.with_key(
        &key,
        &[
            "add",
            "--issuer",
            "Counter",
            "--type",
            "hotp",
            "--counter",
            "5",
            "--secret-stdin",
        ],
        "JBSWY3DPEHPK3PXP\n",
    )
    .ok();
    let backup = env.dir.path().join("backup.tessera");
    let backup_arg = backup.to_str().unwrap();
    let backup_pass = "backup pass phrase";
    env.with_key(
        &key,
        &["backup", backup_arg, "--backup-passphrase-stdin"],
        &format!("{backup_pass}\n"),
    )
    .ok();
    let bytes = std::fs::read(&backup).unwrap();
    assert!(
        !String::from_utf8_lossy(&bytes).contains("ACME"),
        "the backup is encrypted"
    );
    env.with_key(
        &key,
        &["backup", backup_arg, "--backup-passphrase-stdin"],
        &format!("{backup_pass}\n"),
    )
    .fails(FAILURE, "file_exists");
    env.with_key(&key, &["backup", backup_arg], "")
        .fails(FAILURE, "file_exists");
    env.with_key(&key, &["backup", backup_arg, "--force"], "")
        .fails(BAD_INPUT, "not_a_terminal");

    // Advance the HOTP counter past the backup's, then add one more account.
    env.with_key(&key, &["code", "counter"], "").ok();
    env.with_key(&key, &["code", "counter"], "").ok();
    env.with_key(
        &key,
        &["add", "--issuer", "Later", "--secret-stdin"],
        "MFRGGZDFMZTWQ2LK\n",
    )
    .ok();

    // Merge: both backup accounts are already there; the higher counter (7) is kept.
    env.with_key(
        &key,
        &["restore", backup_arg, "--backup-passphrase-stdin"],
        "wrong\n",
    )
    .fails(LOCKED, "wrong_passphrase");
    let merged = env
        .with_key(
            &key,
            &["restore", backup_arg, "--backup-passphrase-stdin"],
            &format!("{backup_pass}\n"),
        )
        .ok();
    assert!(
        merged
            .stderr
            .contains("Restored 0 accounts; 2 were already"),
        "{}",
        merged.stderr
    );
    let list = env.with_key(&key, &["list", "--json"], "").ok().json();
    assert_eq!(list.as_array().unwrap().len(), 3);
    let counter = env
        .with_key(&key, &["code", "counter", "--json"], "")
        .ok()
        .json();
    // HOTP of JBSWY3DPEHPK3PXP at counter 7, as oathtool computes it (checked where it runs).
    assert_eq!(counter["code"], "449891");
    #[cfg(not(windows))]
    assert_eq!(oathtool_hotp("JBSWY3DPEHPK3PXP", 7), "449891");

    // Replace: asks first; with --yes the vault holds the backup's two accounts.
    env.with_key(
        &key,
        &[
            "restore",
            backup_arg,
            "--replace",
            "--backup-passphrase-stdin",
        ],
        &format!("{backup_pass}\n"),
    )
    .fails(BAD_INPUT, "confirmation_needed");
    env.with_key(
        &key,
        &[
            "restore",
            backup_arg,
            "--replace",
            "--yes",
            "--backup-passphrase-stdin",
        ],
        &format!("{backup_pass}\n"),
    )
    .ok();
    let list = env.with_key(&key, &["list", "--json"], "").ok().json();
    let issuers: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["issuer"].as_str().unwrap())
        .collect();
    assert_eq!(issuers, ["ACME Co", "Counter"]);

    // Into a new vault: created (passphrase first on stdin), recovery key shown once.
    let other = env.dir.path().join("other.tessera");
    let restored = env
        .run_command(
            env.command().env("TESSERA_VAULT", &other).args([
                "--passphrase-stdin",
                "restore",
                backup_arg,
                "--no-keychain",
                "--backup-passphrase-stdin",
            ]),
            &["restore new"],
            &format!("new vault pass\n{backup_pass}\n"),
        )
        .ok();
    let new_key = recovery_key_in(&restored.stdout);
    assert!(
        restored.stderr.contains("Restored 2 accounts"),
        "{}",
        restored.stderr
    );
    let list = env
        .run_command(
            env.command().env("TESSERA_VAULT", &other).args([
                "--recovery-key-stdin",
                "list",
                "--json",
            ]),
            &["list other"],
            &format!("{new_key}\n"),
        )
        .ok()
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_no_secret_printed(&env, &key, 1);
}

// oathtool is a Linux program: a Windows test under Wine can start it but not wait for its output.
#[cfg(not(windows))]
fn oathtool_hotp(secret: &str, counter: u64) -> String {
    let out = std::process::Command::new("oathtool")
        .args(["--hotp", "-b", "-c", &counter.to_string(), secret])
        .output()
        .expect("oathtool is required for this test (apt-get install oathtool)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn passphrase_and_recovery_key_changes_rekey() {
    let env = Env::new();
    let key = env.init_passphrase_vault();
    env.with_key(&key, &["add", "--uri", &totp_uri()], "").ok();

    // Change the passphrase: the old one stops opening the vault.
    env.with_key(
        &key,
        &["passphrase", "set", "--new-passphrase-stdin"],
        "second passphrase\n",
    )
    .ok();
    env.with_passphrase(&["list"], "")
        .fails(LOCKED, "wrong_passphrase");
    env.run(&["--passphrase-stdin", "list"], "second passphrase\n")
        .ok();
    env.with_key(&key, &["passphrase", "set"], "")
        .fails(BAD_INPUT, "not_a_terminal");

    // Rotate the recovery key: asks first; the new key is printed once, the old one fails.
    env.with_key(&key, &["recovery-key", "rotate"], "")
        .fails(BAD_INPUT, "confirmation_needed");
    let rotated = env
        .with_key(&key, &["recovery-key", "rotate", "--yes"], "")
        .ok();
    let new_key = recovery_key_in(&rotated.stdout);
    assert_ne!(new_key, key);
    assert!(rotated.stderr.contains("shown this once"));
    env.with_key(&key, &["list"], "")
        .fails(LOCKED, "wrong_recovery_key");
    env.with_key(&new_key, &["list"], "").ok();

    // Remove the passphrase: then only the recovery key opens it (no keychain here).
    env.with_key(&new_key, &["passphrase", "remove"], "").ok();
    env.run(&["--passphrase-stdin", "list"], "second passphrase\n")
        .fails(LOCKED, "no_passphrase");
    let again = env.with_key(&new_key, &["passphrase", "remove"], "").ok();
    assert!(again.stderr.contains("no passphrase"), "{}", again.stderr);
    let code = env
        .with_key(&new_key, &["code", "acme", "--at", "1111111109"], "")
        .ok();
    assert_eq!(code.stdout, "07081804  (1 s left)\n");

    let outputs = env.outputs();
    for (args, stdout, stderr) in &outputs {
        for text in [stdout, stderr] {
            assert!(!text.contains("second passphrase"), "`{args}`: {text}");
            assert!(!text.contains(RFC_SECRET), "`{args}`: {text}");
        }
        if stdout.contains(&new_key) {
            assert!(args.contains("rotate"), "`{args}` printed the new key");
        }
    }
}

#[test]
fn damaged_vault_restores_the_newest_kept_version() {
    let env = Env::new();
    let key = env.init_passphrase_vault();
    env.with_key(&key, &["add", "--uri", &totp_uri()], "").ok();
    env.with_key(
        &key,
        &["add", "--issuer", "Second", "--secret-stdin"],
        "JBSWY3DPEHPK3PXP\n",
    )
    .ok();
    // Damage the ciphertext near the end of the file.
    let mut bytes = std::fs::read(&env.vault).unwrap();
    let at = bytes.len() - 20;
    bytes[at] ^= 0x40;
    std::fs::write(&env.vault, &bytes).unwrap();
    let broken = env
        .with_key(&key, &["list"], "")
        .fails(FAILURE, "cannot_decrypt");
    assert!(
        broken.stderr.contains("tessera restore --kept"),
        "{}",
        broken.stderr
    );

    env.with_key(&key, &["restore", "--kept"], "")
        .fails(BAD_INPUT, "confirmation_needed");
    let restored = env.with_key(&key, &["restore", "--kept", "--yes"], "").ok();
    assert!(
        restored.stderr.contains("kept version"),
        "{}",
        restored.stderr
    );
    // The newest kept version is the one before the second add: one account.
    let list = env.with_key(&key, &["list", "--json"], "").ok().json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["issuer"], "ACME Co");
    let aside: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept aside");
}

#[test]
fn completions_for_every_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = env.run(&["completions", shell], "").ok();
        for command in ["init", "code", "restore", "recovery-key"] {
            assert!(run.stdout.contains(command), "{shell}: {command}");
        }
        assert!(
            !run.stdout.contains("clipboard-hold"),
            "{shell}: hidden command"
        );
    }
    assert_eq!(env.run(&["completions", "tcsh"], "").status, Some(2));
}

/// The terminal prompts (hidden secrets, visible answers, confirmations) through a real
/// pseudo-terminal: `script` from util-linux runs the binary on one and forwards our input.
/// Everything is typed ahead at once, which the prompts must not lose.
#[cfg(target_os = "linux")]
#[test]
fn terminal_prompts() {
    use std::io::{Read as _, Write as _};
    use std::process::{Command, Stdio};

    let env = Env::new();
    let on_terminal = |args: &str, typed: &str| -> (Option<i32>, String) {
        let mut child = Command::new("script")
            .args([
                "-qec",
                &format!("{} {args}", env!("CARGO_BIN_EXE_tessera")),
                "/dev/null",
            ])
            .env("TESSERA_VAULT", &env.vault)
            .env("TESSERA_KEYCHAIN_SERVICE", &env.keychain_service)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script (util-linux) is required for this test");
        // Keep stdin open until the program ends: its end would reach the terminal as EOF.
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(typed.as_bytes()).unwrap();
        let mut transcript = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut transcript)
            .unwrap();
        let status = child.wait().unwrap().code();
        drop(stdin);
        (status, transcript)
    };

    let (status, out) = on_terminal("init --no-keychain", "pass one\npass two\n");
    assert_eq!(status, Some(2), "{out}");
    assert!(out.contains("(passphrase_mismatch)"), "{out}");
    let (status, out) = on_terminal("init --no-keychain", "pass one\npass one\n");
    assert_eq!(status, Some(0), "{out}");
    assert!(
        out.contains("New vault passphrase:") && out.contains("Repeat"),
        "{out}"
    );
    assert!(out.contains("shown this once"), "{out}");

    let (status, out) = on_terminal("add", "pass one\nTyped\nme\nJBSWY3DPEHPK3PXP\n");
    assert_eq!(status, Some(0), "{out}");
    assert!(
        out.contains("Issuer") && out.contains("Secret (base32, hidden):"),
        "{out}"
    );
    assert!(out.contains("Added Typed (me)"), "{out}");

    let (status, out) = on_terminal("code typed --at 59", "wrong\npass one\n");
    assert_eq!(status, Some(0), "{out}");
    assert!(out.contains("wrong passphrase"), "{out}");
    assert!(out.contains("(1 s left)"), "{out}");

    let (status, out) = on_terminal("rm typed", "pass one\nn\n");
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("[y/N]") && out.contains("(cancelled)"),
        "{out}"
    );
    let (status, out) = on_terminal("rm typed", "pass one\ny\n");
    assert_eq!(status, Some(0), "{out}");
    let list = env
        .run(&["--passphrase-stdin", "list", "--json"], "pass one\n")
        .ok()
        .json();
    assert_eq!(list, json!([]));
}
