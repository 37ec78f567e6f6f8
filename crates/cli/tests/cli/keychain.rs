//! The real OS keychain (Secret Service in a private D-Bus session): runs only with
//! `TESSERA_REAL_KEYCHAIN=1`, which `scripts/with-keyring.sh` sets (`make test` wraps the Rust
//! tests in it). Each test uses its own keychain service name, so no real entry is touched.

use tessera_core::keystore::{KeyStore as _, OsKeyStore};
use tessera_core::vault::keychain_entry_names;

use crate::support::{Env, PASSPHRASE, RFC_SECRET, recovery_key_in};

pub(crate) fn real_keychain() -> bool {
    if std::env::var("TESSERA_REAL_KEYCHAIN").as_deref() == Ok("1") {
        return true;
    }
    eprintln!(
        "skipped: real keychain tests need TESSERA_REAL_KEYCHAIN=1 (run them with \
         scripts/with-keyring.sh)"
    );
    false
}

#[test]
fn init_code_lost_entry_unlock_silent_again() {
    if !real_keychain() {
        return;
    }
    let env = Env::new();
    let store = OsKeyStore::with_service(env.keychain_service.clone());

    // init binds the keychain: no passphrase asked, the recovery key printed once.
    let init = env.run(&["init"], "").ok();
    let key = recovery_key_in(&init.stdout);
    assert!(
        init.stderr.contains("silently with the system keychain"),
        "{}",
        init.stderr
    );
    let uri = format!("otpauth://totp/ACME:bob?secret={RFC_SECRET}&digits=8&issuer=ACME");
    env.run(&["add", "--uri", &uri], "").ok();
    let code = env.run(&["code", "acme", "--at", "59"], "").ok();
    assert_eq!(code.stdout, "94287082  (1 s left)\n");
    assert!(code.stderr.is_empty(), "silent: {}", code.stderr);

    // The entry vanishes (keyring reset, or deleted in Seahorse).
    let names = keychain_entry_names(&env.vault).unwrap();
    assert_eq!(names.len(), 1);
    assert!(store.load(&names[0]).unwrap().is_some());
    store.delete(&names[0]).unwrap();
    // This login session's short-lived copy in the kernel keyring still opens the vault, until
    // it expires or `tessera lock` drops it.
    let cached = env.run(&["code", "acme", "--at", "59"], "").ok();
    assert_eq!(cached.stdout, "94287082  (1 s left)\n");
    let lock = env.run(&["lock"], "").ok();
    assert!(
        lock.stderr.contains("1 cached keychain secret"),
        "{}",
        lock.stderr
    );
    // Then: a clear error that says what to do.
    let locked = env
        .run(&["code", "acme", "--at", "59"], "")
        .fails(5, "keychain_entry_missing");
    assert!(locked.stderr.contains("recovery key"), "{}", locked.stderr);
    assert!(
        locked.stderr.contains("tessera unlock --recovery-key"),
        "{}",
        locked.stderr
    );
    assert!(locked.stdout.is_empty());

    // The recovery key still opens it, once; unlock binds the keychain again.
    env.with_key(&key, &["code", "acme", "--at", "59"], "").ok();
    env.run(&["code", "acme"], "")
        .fails(5, "keychain_entry_missing");
    let unlock = env.with_key(&key, &["unlock", "--recovery-key"], "").ok();
    assert!(
        unlock
            .stderr
            .contains("bound the vault to the system keychain again")
    );
    let rebound = keychain_entry_names(&env.vault).unwrap();
    assert_eq!(rebound.len(), 1);
    assert_ne!(rebound[0], names[0], "a rebind stores a new entry");

    // Silent again.
    let code = env.run(&["code", "acme", "--at", "59"], "").ok();
    assert_eq!(code.stdout, "94287082  (1 s left)\n");
    assert!(code.stderr.is_empty(), "{}", code.stderr);

    // A passphrase added later opens it too; `unlock --passphrase` also rebinds.
    env.run(
        &["passphrase", "set", "--new-passphrase-stdin"],
        &format!("{PASSPHRASE}\n"),
    )
    .ok();
    let names = keychain_entry_names(&env.vault).unwrap();
    store.delete(&names[0]).unwrap();
    env.run(&["lock"], "").ok();
    env.run(&["list"], "").fails(5, "keychain_entry_missing");
    env.run(
        &["unlock", "--passphrase-stdin"],
        &format!("{PASSPHRASE}\n"),
    )
    .ok();
    env.run(&["list"], "").ok();

    for name in keychain_entry_names(&env.vault).unwrap() {
        store.delete(&name).unwrap();
    }
    for (args, stdout, stderr) in env.outputs() {
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains(RFC_SECRET) && !text.contains(PASSPHRASE),
                "`{args}`"
            );
        }
        if stdout.contains(&key) {
            assert_eq!(args, "init");
        }
    }
}

/// Without a usable keychain (no D-Bus session bus here), `init` needs a passphrase and says
/// so; with one it creates a passphrase vault and explains why the keychain is not used.
#[cfg(target_os = "linux")]
#[test]
fn init_without_a_usable_keychain_needs_a_passphrase() {
    let env = Env::new();
    let no_bus = |command: &mut std::process::Command| {
        command.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/tessera-test-bus",
        );
    };
    let mut command = env.command();
    no_bus(&mut command);
    let run = env
        .run_command(command.arg("init"), &["init"], "")
        .fails(2, "not_a_terminal");
    assert!(run.stderr.contains("--passphrase-stdin"), "{}", run.stderr);
    assert!(
        !env.vault.exists(),
        "nothing is created without a way to open it"
    );

    let mut command = env.command();
    no_bus(&mut command);
    let run = env
        .run_command(
            command.args(["init", "--passphrase-stdin"]),
            &["init"],
            &format!("{PASSPHRASE}\n"),
        )
        .ok();
    recovery_key_in(&run.stdout);
    assert!(run.stderr.contains("keychain"), "{}", run.stderr);
    assert!(
        run.stderr.contains("opens with its passphrase"),
        "{}",
        run.stderr
    );
    env.with_passphrase(&["list", "--json"], "").ok();
}

/// `code QUERY` opened silently by the keychain takes a glance at the vault; with a secret on
/// stdin it opens the vault in full. Both must answer alike, and an HOTP code must still
/// advance its counter (the glance hands HOTP to the full open).
#[test]
fn code_by_keychain_glance_answers_like_a_full_open() {
    if !real_keychain() {
        return;
    }
    let env = Env::new();
    let key = recovery_key_in(&env.run(&["init"], "").ok().stdout);
    for uri in [
        "otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&digits=8&issuer=ACME".to_owned(),
        format!("otpauth://hotp/Bank:alice?secret={RFC_SECRET}&counter=0&issuer=Bank"),
        "otpauth://totp/GitHub:al%C3%AFce?secret=KRSXG5CTMVRXEZLU&issuer=GitHub".to_owned(),
        "otpauth://totp/GitLab:alice?secret=MFRGGZDFMZTWQ2LK&issuer=GitLab".to_owned(),
    ] {
        env.run(&["add", "--uri", &uri], "").ok();
    }
    for query in ["acme", "ACME:bob", "github (alÏce)", "ALÏ", "git", "nobody"] {
        let args = ["code", query, "--json", "--at", "59"];
        let glance = env.run(&args, "");
        let full = env.with_key(&key, &args, "");
        assert_eq!(glance.status, full.status, "{query}");
        assert_eq!(glance.stdout, full.stdout, "{query}");
    }
    // RFC 4226 appendix D: counter 0 then 1, one code each, the counter saved each time.
    let first = env.run(&["code", "bank"], "").ok();
    assert_eq!(first.stdout, "755224\n");
    let second = env.with_key(&key, &["code", "bank"], "").ok();
    assert_eq!(second.stdout, "287082\n");
    let third = env.run(&["code", "bank"], "").ok();
    assert_eq!(third.stdout, "359152\n");
    env.run(&["lock"], "").ok();
}
