//! `import` and `export` end to end with the real sample files of the repository's test
//! data (`tests/data`): preview, dry run,
//! one all-or-nothing write, passwords from stdin, plain-text warnings, 0600 files, and a
//! round trip through every file format.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::Env;

const BAD_INPUT: i32 = 2;

/// The repository's sample files of other apps (`tests/data`).
pub(crate) fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

pub(crate) fn sample(relative: &str) -> String {
    testdata()
        .join("imports")
        .join(relative)
        .display()
        .to_string()
}

/// The expected.json of a sample.
pub(crate) fn expected(relative: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}.expected.json", sample(relative))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every secret of a sample, base32 and hex, for leak checks.
pub(crate) fn secrets(expected: &Value) -> Vec<String> {
    expected["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            [
                e["secret"].as_str().unwrap().to_owned(),
                e["secret_hex"].as_str().unwrap().to_owned(),
            ]
        })
        .collect()
}

#[track_caller]
pub(crate) fn assert_no_secret(env: &Env, secrets: &[String]) {
    for (args, stdout, stderr) in env.outputs() {
        for secret in secrets {
            for text in [&stdout, &stderr] {
                assert!(
                    !text.to_uppercase().contains(&secret.to_uppercase()),
                    "`{args}` printed a secret: {text}"
                );
            }
        }
    }
}

/// (issuer, name, kind) of every account, in order.
pub(crate) fn labels(env: &Env) -> Vec<(String, String, String)> {
    let list = env.with_passphrase(&["list", "--json"], "").ok().json();
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["issuer"].as_str().unwrap().to_owned(),
                a["name"].as_str().unwrap().to_owned(),
                a["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn expected_labels(expected: &Value) -> Vec<(String, String, String)> {
    expected["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["issuer"].as_str().unwrap().to_owned(),
                e["name"].as_str().unwrap().to_owned(),
                e["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The codes of every account at a fixed time (`code --at`), without the ids (an import gives
/// new ones).
fn codes(env: &Env) -> Vec<String> {
    env.with_passphrase(&["code", "--at", "1700000000"], "")
        .ok()
        .stdout
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let mut kept = fields[..2].to_vec();
            kept.extend_from_slice(&fields[4.min(fields.len())..]);
            kept.join(" ")
        })
        .collect()
}

#[test]
fn imports_an_aegis_file_after_a_dry_run_and_skips_duplicates() {
    let env = Env::new();
    env.init_passphrase_vault();
    let file = sample("aegis/aegisapp-aegis_plain.json");
    let expected = expected("aegis/aegisapp-aegis_plain.json");

    let dry = env
        .with_passphrase(&["import", &file, "--dry-run"], "")
        .ok();
    assert!(
        dry.stdout.starts_with("Aegis export: 7 accounts"),
        "{dry:#?}"
    );
    assert!(
        dry.stdout.contains("new         Deno (Mason)  [totp]"),
        "{dry:#?}"
    );
    assert!(dry.stderr.contains("nothing was written"), "{dry:#?}");
    assert!(labels(&env).is_empty());

    // Without a terminal, the write needs --yes.
    env.with_passphrase(&["import", &file], "")
        .fails(BAD_INPUT, "confirmation_needed");
    assert!(labels(&env).is_empty());

    let run = env.with_passphrase(&["import", &file, "--yes"], "").ok();
    assert!(run.stderr.contains("Added 7 accounts."), "{run:#?}");
    assert_eq!(labels(&env), expected_labels(&expected));

    // Again: every entry is a duplicate, nothing is written.
    let again = env
        .with_passphrase(&["import", &file, "--yes", "--json"], "")
        .ok()
        .json();
    assert_eq!(again["added"], 0);
    assert_eq!(again["format"], "aegis");
    let statuses: Vec<&str> = again["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["duplicate"; 7]);
    assert_eq!(labels(&env).len(), 7);
    assert_no_secret(&env, &secrets(&expected));
}

#[test]
fn imports_an_encrypted_2fas_file_with_the_password_on_stdin() {
    let env = Env::new();
    env.init_passphrase_vault();
    let relative = "2fas/aegisapp-2fas_authenticator_encrypted_v4.2fas";
    let file = sample(relative);
    let expected = expected(relative);
    let password = expected["password"].as_str().unwrap();

    env.with_passphrase(&["import", &file, "--yes"], "")
        .fails(BAD_INPUT, "password_required");
    env.with_passphrase(&["import", &file, "--yes", "--password-stdin"], "wrong\n")
        .fails(BAD_INPUT, "wrong_password");
    assert!(labels(&env).is_empty());

    let json = env
        .with_passphrase(
            &["import", &file, "--yes", "--password-stdin", "--json"],
            &format!("{password}\n"),
        )
        .ok()
        .json();
    assert_eq!(json["format"], "two_fas");
    assert_eq!(json["added"], 5);
    assert_eq!(json["dry_run"], false);
    assert_eq!(labels(&env), expected_labels(&expected));
    assert_no_secret(&env, &secrets(&expected));
}

#[test]
fn imports_a_steam_folder() {
    let env = Env::new();
    env.init_passphrase_vault();
    let relative = "steam/steamguardcli-sda-1-account-encrypted";
    let expected = expected(relative);
    let password = expected["password"].as_str().unwrap();
    env.with_passphrase(
        &["import", &sample(relative), "--yes", "--password-stdin"],
        &format!("{password}\n"),
    )
    .ok();
    assert_eq!(labels(&env), expected_labels(&expected));
}

#[test]
fn reports_unsupported_and_rejected_entries_and_conflicts() {
    let env = Env::new();
    env.init_passphrase_vault();
    env.with_passphrase(
        &[
            "add",
            "--uri",
            "otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP&issuer=Bank",
        ],
        "",
    )
    .ok();
    let file = env.dir.path().join("list.txt");
    std::fs::write(
        &file,
        "otpauth://totp/GitHub:alice?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub\n\
         motp://Old:bob?secret=1234567890abcdef\n\
         otpauth://totp/Bad:carol?secret=GEZDGNBVGY3TQOJQGEZA&digits=0\n\
         otpauth://totp/Bank:me?secret=KRSXG5CTMVRXEZLU&issuer=Bank\n",
    )
    .unwrap();
    let file = file.display().to_string();
    let run = env.with_passphrase(&["import", &file, "--yes"], "").ok();
    assert!(
        run.stdout.contains("new         GitHub (alice)"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("conflict    Bank (me)"), "{run:#?}");
    assert!(
        run.stdout
            .contains("unsupported Old (bob)  mOTP accounts are not supported")
            || run.stdout.contains("unsupported"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("rejected"), "{run:#?}");
    assert!(run.stderr.contains("Added 1 accounts."), "{run:#?}");
    let json = env
        .with_passphrase(&["import", &file, "--dry-run", "--json"], "")
        .ok()
        .json();
    assert_eq!(json["unsupported"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["unsupported"][0]["code"], "unsupported_type");
    assert_eq!(json["rejected"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["rejected"][0]["code"], "invalid_digits");
    assert_eq!(labels(&env).len(), 2);
    assert_no_secret(
        &env,
        &["GEZDGNBVGY3TQOJQ".into(), "KRSXG5CTMVRXEZLU".into()],
    );
}

#[test]
fn refuses_files_that_are_not_exports() {
    let env = Env::new();
    env.init_passphrase_vault();
    // An image with no QR code: the app's own icon.
    let icon = testdata().join("../../icons/128x128.png");
    env.with_passphrase(&["import", icon.to_str().unwrap(), "--yes"], "")
        .fails(BAD_INPUT, "no_qr_code");
    assert!(labels(&env).is_empty());
    let missing = env.dir.path().join("missing.json").display().to_string();
    env.with_passphrase(&["import", &missing, "--yes"], "")
        .fails(1, "io_error");
}

#[test]
fn exports_round_trip_through_every_file_format() {
    let env = Env::new();
    env.init_passphrase_vault();
    let relative = "aegis/aegisapp-aegis_plain.json";
    env.with_passphrase(&["import", &sample(relative), "--yes"], "")
        .ok();
    let before = labels(&env);
    let before_codes = codes(&env);
    let secrets = secrets(&expected(relative));

    for (format, password) in [
        ("aegis-json", None),
        ("aegis-encrypted", Some("export pw")),
        ("otpauth-list", None),
        ("tessera-backup", Some("backup pw")),
    ] {
        let out = env.dir.path().join(format!("export-{format}"));
        let out_arg = out.display().to_string();
        let mut args = vec!["export", "--format", format, "--output", &out_arg, "--yes"];
        let mut stdin = String::new();
        if let Some(password) = password {
            args.push("--export-password-stdin");
            stdin = format!("{password}\n");
        }
        let run = env.with_passphrase(&args, &stdin).ok();
        assert_eq!(run.stdout, "", "{run:#?}");
        if password.is_none() {
            assert!(run.stderr.contains("NOT encrypted"), "{run:#?}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{format}");
        }
        // No temporary file is left beside it.
        let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".tessera-export")
            })
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");

        let fresh = Env::new();
        fresh.init_passphrase_vault();
        let mut args = vec!["import", &out_arg, "--yes"];
        let mut stdin = String::new();
        if let Some(password) = password {
            args.push("--password-stdin");
            stdin = format!("{password}\n");
        }
        fresh.with_passphrase(&args, &stdin).ok();
        assert_eq!(labels(&fresh), before, "{format}");
        assert_eq!(codes(&fresh), before_codes, "{format}");
        assert_no_secret(&fresh, &secrets);
    }
    assert_no_secret(&env, &secrets);
}

#[test]
fn plain_exports_need_a_confirmation_and_keep_existing_files() {
    let env = Env::new();
    env.init_passphrase_vault();
    env.with_passphrase(
        &[
            "import",
            &sample("aegis/aegisapp-aegis_plain.json"),
            "--yes",
        ],
        "",
    )
    .ok();
    let out = env.dir.path().join("plain.txt");
    let out_arg = out.display().to_string();
    let run = env
        .with_passphrase(
            &["export", "--format", "otpauth-list", "--output", &out_arg],
            "",
        )
        .fails(BAD_INPUT, "confirmation_needed");
    assert!(run.stderr.contains("NOT encrypted"), "{run:#?}");
    assert!(!out.exists());

    std::fs::write(&out, "keep me").unwrap();
    env.with_passphrase(
        &[
            "export",
            "--format",
            "otpauth-list",
            "--output",
            &out_arg,
            "--yes",
        ],
        "",
    )
    .fails(1, "file_exists");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");

    env.with_passphrase(&["export", "--format", "tessera-backup"], "PASS\n")
        .fails(BAD_INPUT, "invalid_parameters");
    // To stdout, after --yes.
    let run = env
        .with_passphrase(&["export", "--format", "otpauth-list", "--yes"], "")
        .ok();
    assert_eq!(run.stdout.lines().count(), 7, "{run:#?}");
    assert!(run.stdout.starts_with("otpauth://"), "{run:#?}");
}

#[test]
fn google_migration_export_skips_what_google_cannot_hold_and_imports_back() {
    let env = Env::new();
    env.init_passphrase_vault();
    let relative = "aegis/aegisapp-aegis_plain.json";
    env.with_passphrase(&["import", &sample(relative), "--yes"], "")
        .ok();

    // On the terminal: QR codes, after the warning and --yes.
    let run = env
        .with_passphrase(&["export", "--format", "google-migration", "--yes"], "")
        .ok();
    assert!(run.stdout.starts_with("Code 1 of 1:"), "{run:#?}");
    assert!(!run.stdout.contains("otpauth"), "{run:#?}");
    assert!(run.stderr.contains("skipped Boeing (Sophia)"), "{run:#?}");

    let out = env.dir.path().join("migration.txt");
    let out_arg = out.display().to_string();
    env.with_passphrase(
        &[
            "export",
            "--format",
            "google-migration",
            "--output",
            &out_arg,
            "--yes",
        ],
        "",
    )
    .ok();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("otpauth-migration://offline?data=")
    );
    let fresh = Env::new();
    fresh.init_passphrase_vault();
    fresh
        .with_passphrase(&["import", &out_arg, "--yes"], "")
        .ok();
    let back = labels(&fresh);
    assert!(!back.is_empty());
    let all = labels(&env);
    for label in &back {
        assert!(all.contains(label), "{label:?} not in {all:?}");
    }
    assert!(!back.iter().any(|l| l.2 == "steam"), "{back:?}");
    assert_no_secret(&env, &secrets(&expected(relative)));
}

#[test]
fn imports_a_screenshot_of_an_export_by_its_content_and_names_the_missing_codes() {
    let env = Env::new();
    env.init_passphrase_vault();
    // Found by its content, whatever its name says.
    let renamed = env.dir.path().join("export.json");
    std::fs::copy(
        sample("google-migration/scito-example_export.png"),
        &renamed,
    )
    .unwrap();
    let run = env
        .with_passphrase(&["import", renamed.to_str().unwrap(), "--yes"], "")
        .ok();
    assert!(
        run.stdout
            .starts_with("Google Authenticator export: 3 accounts"),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("not given"), "{run:#?}");
    assert_eq!(labels(&env).len(), 3);

    // Code 1 of 4: its accounts are imported, codes 2 to 4 are named.
    let partial = "google-migration/proton-GoogleAuthenticatorExport_3.png";
    let run = env
        .with_passphrase(&["import", &sample(partial), "--yes"], "")
        .ok();
    assert!(
        run.stderr
            .contains("codes 2, 3 and 4 of 4 of a Google Authenticator export were not given"),
        "{run:#?}"
    );
    // One of its accounts is also in the first export.
    assert!(run.stderr.contains("Added 6 accounts."), "{run:#?}");
    let json = env
        .with_passphrase(&["import", &sample(partial), "--json", "--dry-run"], "")
        .ok()
        .json();
    assert_eq!(json["format"], "google_migration");
    assert_eq!(json["missing_codes"][0]["size"], 4);
    assert_eq!(
        json["missing_codes"][0]["numbers"],
        serde_json::json!([2, 3, 4])
    );
    assert_eq!(labels(&env).len(), 9);
    let mut all = secrets(&expected("google-migration/scito-example_export.png"));
    all.extend(secrets(&expected(partial)));
    assert_no_secret(&env, &all);
}

#[test]
fn an_export_of_three_codes_imports_in_parts() {
    // 25 accounts: Google's format holds ten a code, so the export has three codes.
    let source = Env::new();
    source.init_passphrase_vault();
    let list = source.dir.path().join("list.txt");
    let uris: String = (0..25)
        .map(|i: u8| {
            // 16 base32 characters, different for each account.
            let tail = format!("{}{}", char::from(b'A' + i / 5), char::from(b'A' + i % 5));
            format!("otpauth://totp/Site{i}:user?secret=JBSWY3DPEHPK3P{tail}\n")
        })
        .collect();
    std::fs::write(&list, uris).unwrap();
    source
        .with_passphrase(&["import", list.to_str().unwrap(), "--yes"], "")
        .ok();
    assert_eq!(labels(&source).len(), 25);
    let export = source.dir.path().join("export.txt");
    source
        .with_passphrase(
            &[
                "export",
                "--format",
                "google-migration",
                "--output",
                export.to_str().unwrap(),
                "--yes",
            ],
            "",
        )
        .ok();
    let codes: Vec<String> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(codes.len(), 3);
    let write = |name: &str, lines: &[&String]| {
        let path = source.dir.path().join(name);
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let first = write("code1.txt", &[&codes[0]]);
    let rest = write("codes2-3.txt", &[&codes[1], &codes[2]]);

    let env = Env::new();
    env.init_passphrase_vault();
    let run = env.with_passphrase(&["import", &first, "--yes"], "").ok();
    assert!(
        run.stderr.contains("codes 2 and 3 of 3 of a Google"),
        "{run:#?}"
    );
    assert_eq!(labels(&env).len(), 10);
    // The rest, given later, adds its accounts rather than being refused.
    let json = env
        .with_passphrase(&["import", &rest, "--yes", "--json"], "")
        .ok()
        .json();
    assert_eq!(json["added"], 15);
    assert_eq!(json["missing_codes"][0]["numbers"], serde_json::json!([1]));
    assert_eq!(labels(&env), labels(&source));
    // All three together: nothing missing, nothing added twice.
    let run = env
        .with_passphrase(&["import", &first, &rest, "--yes"], "")
        .ok();
    assert!(!run.stderr.contains("not given"), "{run:#?}");
    assert!(run.stderr.contains("Nothing new to import"), "{run:#?}");
    assert_eq!(labels(&env).len(), 25);
}

#[test]
fn password_stdin_on_a_file_without_password_is_not_an_error() {
    let env = Env::new();
    env.init_passphrase_vault();
    let relative = "aegis/aegisapp-aegis_plain.json";
    // Nothing on stdin after the vault's passphrase: the plain file needs nothing more.
    let run = env
        .with_passphrase(
            &["import", &sample(relative), "--yes", "--password-stdin"],
            "",
        )
        .ok();
    assert!(run.stderr.contains("not encrypted"), "{run:#?}");
    assert_eq!(labels(&env), expected_labels(&expected(relative)));
}

// --- Hostile files (issue 16) ------------------------------------------------------------------

/// Runs `tessera ARGS` with `stdin` through `sh -c` under `ulimit -v` (KiB; `None`: no limit),
/// killing it after `deadline`. Returns (exit status or `None` if killed by a signal, stderr,
/// seconds taken); panics if the deadline passed. Windows has no `ulimit`: there the run has
/// no memory limit, and only its outcome and time are checked.
fn run_limited(
    env: &Env,
    address_space_kib: Option<u64>,
    deadline: std::time::Duration,
    args: &[&str],
    stdin: &str,
) -> (Option<i32>, String, f64) {
    use std::io::Write as _;
    use std::process::Stdio;

    // The same binary and environment as `env.command()`, exec'd by a shell that set the limit.
    #[cfg(unix)]
    let mut command = {
        let limit = address_space_kib.map_or_else(String::new, |kib| format!("ulimit -v {kib}; "));
        let tessera = env.command();
        let mut shell = std::process::Command::new("sh");
        shell
            .arg("-c")
            .arg(format!("{limit}exec \"$0\" \"$@\""))
            .arg(tessera.get_program())
            .args(args);
        for (key, value) in tessera.get_envs() {
            match value {
                Some(value) => shell.env(key, value),
                None => shell.env_remove(key),
            };
        }
        shell
    };
    #[cfg(not(unix))]
    let mut command = {
        let _ = address_space_kib;
        let mut tessera = env.command();
        tessera.args(args);
        tessera
    };
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = std::time::Instant::now();
    let mut child = command.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    loop {
        if let Some(_status) = child.try_wait().unwrap() {
            break;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`tessera {}` still running after {deadline:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        started.elapsed().as_secs_f64(),
    )
}

#[test]
fn a_freeotp_reference_bomb_is_refused_within_512_mib_and_10_s() {
    let env = Env::new();
    let file = env.dir.path().join("externalBackup.xml");
    // 24 MiB of text named 800 times: 19 GB for a reader that copies each reference.
    std::fs::write(
        &file,
        tessera_testkit::files::freeotp_reference_bomb(24 << 20, 400),
    )
    .unwrap();
    let (status, stderr, seconds) = run_limited(
        &env,
        Some(512 * 1024),
        std::time::Duration::from_secs(10),
        &["import", file.to_str().unwrap(), "--dry-run"],
        "",
    );
    assert_eq!(status, Some(BAD_INPUT), "killed by a signal? {stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: the FreeOTP file"), "{stderr}");
    assert!(first.ends_with("(limit_exceeded)"), "{stderr}");
    assert!(first.contains("nothing was imported"), "{stderr}");
    assert!(seconds < 10.0);
}

#[test]
fn an_aegis_slot_flood_is_answered_within_seconds() {
    let env = Env::new();
    let mut aegis: Value = serde_json::from_slice(
        &std::fs::read(sample("aegis/aegisapp-aegis_encrypted.json")).unwrap(),
    )
    .unwrap();
    let mut slot = aegis["header"]["slots"][0].clone();
    // scrypt N = 2^20, r = 8: 1 GiB per slot.
    slot["n"] = serde_json::json!(1u64 << 20);
    aegis["header"]["slots"] = Value::Array(vec![slot; 60]);
    let file = env.dir.path().join("flood.json");
    std::fs::write(&file, serde_json::to_vec(&aegis).unwrap()).unwrap();
    let (status, stderr, seconds) = run_limited(
        &env,
        Some(512 * 1024),
        std::time::Duration::from_secs(10),
        &[
            "import",
            file.to_str().unwrap(),
            "--dry-run",
            "--password-stdin",
        ],
        "wrong password\n",
    );
    assert_eq!(status, Some(BAD_INPUT), "killed by a signal? {stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.ends_with("(kdf_budget_exceeded)"), "{stderr}");
    assert!(first.contains("more than 8 password slots"), "{stderr}");
    assert!(seconds < 5.0, "{seconds} s");
}
