//! The real OS keychain (Secret Service in a private D-Bus session): runs under
//! `scripts/with-keyring.sh` (`make test` wraps the Rust tests in it, and fails them when the
//! keychain is missing: `tessera_testkit::real`). Each test uses its own keychain service name, so no real entry is touched.

use tessera_core::keystore::{KeyStore as _, OsKeyStore};
use tessera_core::vault::keychain_entry_names;

use crate::support::{Env, PASSPHRASE, RFC_SECRET, recovery_key_in};

/// Whether the real keychain is there: a private one from `scripts/with-keyring.sh`; missing,
/// a failure under `make test` and a skip elsewhere.
pub(crate) fn real_keychain() -> bool {
    tessera_testkit::real::keychain()
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
    // it expires or `tessera lock` drops it (Linux only: elsewhere there is no such cache).
    #[cfg(target_os = "linux")]
    {
        let cached = env.run(&["code", "acme", "--at", "59"], "").ok();
        assert_eq!(cached.stdout, "94287082  (1 s left)\n");
        let lock = env.run(&["lock"], "").ok();
        assert!(
            lock.stderr.contains("1 cached keychain secret"),
            "{}",
            lock.stderr
        );
    }
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
    // The same entry name, a new secret: copies from before keep naming the entry whose pin
    // refuses them.
    assert_eq!(rebound[0], names[0], "a rebind keeps the entry's name");

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

/// `passphrase set` says what the re-key did and what it cannot do; each sentence is checked
/// here by putting a copy from before the change back and watching how it opens (or not).
#[test]
fn a_copy_from_before_passphrase_set_is_refused_the_way_the_message_says() {
    if !real_keychain() {
        return;
    }
    use tessera_core::Vault;
    let env = Env::new();
    let key = recovery_key_in(&env.run(&["init"], "").ok().stdout);
    let uri = format!("otpauth://totp/ACME:bob?secret={RFC_SECRET}&digits=8&issuer=ACME");
    env.run(&["add", "--uri", &uri], "").ok();
    env.run(
        &["passphrase", "set", "--new-passphrase-stdin"],
        "old passphrase\n",
    )
    .ok();
    let carol = "otpauth://totp/ACME:carol?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    env.run(&["add", "--uri", carol], "").ok();
    assert!(!Vault::backups(&env.vault).unwrap().is_empty());
    let old_copy = env.dir.path().join("old-copy.tessera");
    std::fs::copy(&env.vault, &old_copy).unwrap();

    let set = env
        .run(
            &["passphrase", "set", "--new-passphrase-stdin"],
            "new passphrase\n",
        )
        .ok();
    let said = set.stderr.replace('\n', " ");
    for sentence in [
        "Changed the passphrase.",
        "The vault was re-keyed: this file no longer opens with the old passphrase, and its kept \
         versions and set-aside copies were deleted.",
        "A copy made before (a backup, a synced folder) still opens with the old passphrase \
         where this computer's keychain is not asked;",
        "Tessera on this computer refuses it (vault_rolled_back) in this vault's place or \
         anywhere else, whichever secret is given, unless you keep it with `tessera restore \
         --this-file`.",
    ] {
        assert!(said.contains(sentence), "{sentence:?} in {said:?}");
    }
    let old = |args: &[&str]| {
        let mut full = vec!["--passphrase-stdin"];
        full.extend_from_slice(args);
        env.run(&full, "old passphrase\n")
    };

    // "this file no longer opens with the old passphrase, and its kept versions and set-aside
    // copies were deleted"
    old(&["list"]).fails(5, "wrong_passphrase");
    assert!(Vault::backups(&env.vault).unwrap().is_empty());
    assert!(Vault::set_aside_copies(&env.vault).unwrap().is_empty());
    let dave = "otpauth://totp/ACME:dave?secret=MFRGGZDFMZTWQ2LK&issuer=ACME";
    env.run(&["add", "--uri", dave], "").ok();

    // "still opens with the old passphrase where this computer's keychain is not asked"
    let elsewhere = format!("{}-another-computer", env.keychain_service);
    let args = ["--passphrase-stdin", "list"];
    let opened = env.run_command(
        env.command()
            .env("TESSERA_KEYCHAIN_SERVICE", &elsewhere)
            .env("TESSERA_VAULT", &old_copy)
            .args(args),
        &args,
        "old passphrase\n",
    );
    let opened = opened.ok();
    assert!(opened.stdout.contains("carol"), "{}", opened.stdout);

    // "Tessera on this computer refuses it (vault_rolled_back) in this vault's place or
    // anywhere else, whichever secret is given"
    std::fs::copy(&old_copy, &env.vault).unwrap();
    let refused = env.run(&["list"], "").fails(1, "vault_rolled_back");
    assert!(
        refused.stderr.contains("tessera restore --kept"),
        "{}",
        refused.stderr
    );
    env.run(&["code", "acme", "--at", "59"], "")
        .fails(1, "vault_rolled_back");
    old(&["list"]).fails(1, "vault_rolled_back");
    env.with_key(&key, &["list"], "")
        .fails(1, "vault_rolled_back");
    old(&["unlock", "--passphrase"]).fails(1, "vault_rolled_back");
    let at_old_copy = |stdin: &str, args: &[&str]| {
        env.run_command(
            env.command().env("TESSERA_VAULT", &old_copy).args(args),
            args,
            stdin,
        )
    };
    at_old_copy("", &["list"]).fails(1, "vault_rolled_back");
    at_old_copy("old passphrase\n", &["--passphrase-stdin", "list"]).fails(1, "vault_rolled_back");

    // The way back the hint names: the newest kept version, the refused file set aside.
    let restored = env.run(&["restore", "--kept", "--yes"], "").ok();
    assert!(restored.stderr.contains(".damaged-"), "{}", restored.stderr);
    let listed = env.run(&["list"], "").ok();
    assert!(listed.stdout.contains("carol") && !listed.stdout.contains("dave"));

    // "unless you keep it with `tessera restore --this-file`": re-keyed from the old
    // passphrase, with a new recovery key (the old one was not proven), silent again.
    std::fs::copy(&old_copy, &env.vault).unwrap();
    old(&["restore", "--this-file"]).fails(2, "confirmation_needed");
    let kept = old(&["restore", "--this-file", "--yes"]).ok();
    let new_key = recovery_key_in(&kept.stdout);
    env.run(&["list"], "").ok();
    old(&["list"]).ok();
    env.with_key(&new_key, &["list"], "").ok();
    env.with_key(&key, &["list"], "")
        .fails(5, "wrong_recovery_key");

    let store = OsKeyStore::with_service(env.keychain_service.clone());
    for name in keychain_entry_names(&env.vault).unwrap() {
        store.delete(&name).unwrap();
    }
    env.run(&["lock"], "").ok();
}
