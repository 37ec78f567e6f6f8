//! Unit tests of the Vault API with `MemoryKeyStore` and low Argon2 costs.

use super::*;
use crate::keystore::MemoryKeyStore;
use crate::model::{Otp, UnixTime};
use crate::secret::OtpSecret;

pub(crate) fn low_kdf() -> KdfParams {
    KdfParams::new(8, 1, 1).unwrap()
}

const NOW: UnixTime = UnixTime(1_700_000_000);

fn new_vault(store: &MemoryKeyStore) -> (tempfile::TempDir, PathBuf, Vault, RecoveryKey) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let (vault, recovery) = Vault::create(
        &path,
        Protection {
            keychain: Some(store),
            passphrase: None,
        },
        NOW,
    )
    .unwrap();
    (dir, path, vault, recovery)
}

fn add(vault: &mut Vault, issuer: &str) {
    vault
        .update(|data| {
            data.accounts.push(Account::new(
                issuer,
                "me",
                OtpSecret::from_slice(issuer.as_bytes()),
                Otp::DEFAULT_TOTP,
                NOW,
            ));
            Ok::<_, VaultError>(())
        })
        .unwrap();
}

fn issuers(vault: &Vault) -> Vec<String> {
    vault.accounts().iter().map(|a| a.issuer.clone()).collect()
}

#[test]
fn create_update_open_round_trip_with_every_unlock() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, recovery) = new_vault(&store);
    assert_eq!(store.len(), 1);
    vault
        .update(|data| {
            data.accounts = payload::tests::every_kind_of_account(NOW);
            data.settings.show_next_code = true;
            Ok::<_, VaultError>(())
        })
        .unwrap();
    vault
        .set_passphrase(&Passphrase::from("pw"), low_kdf(), &store)
        .unwrap();
    let expected = vault.data().duplicate();
    for unlock in [
        Unlock::Keychain(&store),
        Unlock::RecoveryKey(&recovery),
        Unlock::Passphrase(&Passphrase::from("pw")),
    ] {
        let opened = Vault::open(&path, unlock).unwrap();
        assert_eq!(opened.data(), &expected, "{unlock:?}");
        assert!(opened.settings().show_next_code);
        assert_eq!(opened.data().created, NOW);
    }
}

#[test]
fn recovery_key_text_opens_the_vault() {
    let store = MemoryKeyStore::new();
    let (_dir, path, _vault, recovery) = new_vault(&store);
    let typed = recovery.to_display_text().to_lowercase().replace('-', " ");
    let parsed = RecoveryKey::parse(&typed).unwrap();
    assert!(Vault::open(&path, Unlock::RecoveryKey(&parsed)).is_ok());
}

#[test]
fn wrong_secrets_have_their_own_codes() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, _recovery) = new_vault(&store);
    let open =
        |unlock: Unlock<'_>| -> &'static str { Vault::open(&path, unlock).unwrap_err().code() };
    assert_eq!(
        open(Unlock::Passphrase(&Passphrase::from("x"))),
        "no_passphrase"
    );
    vault
        .set_passphrase(&Passphrase::from("right"), low_kdf(), &store)
        .unwrap();
    assert_eq!(
        open(Unlock::Passphrase(&Passphrase::from("wrong"))),
        "wrong_passphrase"
    );
    let other_key = RecoveryKey::make().unwrap();
    assert_eq!(open(Unlock::RecoveryKey(&other_key)), "wrong_recovery_key");
    let empty_store = MemoryKeyStore::new();
    assert_eq!(
        open(Unlock::Keychain(&empty_store)),
        "keychain_entry_missing"
    );
    store.set_unavailable(true);
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "keychain_unavailable");
    assert!(error.needs_other_unlock());
    assert!(error.to_string().contains("recovery key"));
}

#[test]
fn keychain_entry_deleted_then_rebind() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, recovery) = new_vault(&store);
    add(&mut vault, "GitHub");
    vault.lock();
    let name = {
        let bytes = fs::read(&path).unwrap();
        let parsed = format::decode(&bytes).unwrap();
        match &parsed.header.slots[1] {
            Slot::Keychain { key_id, .. } => keychain_entry_name(&parsed.header.vault_id, key_id),
            other => panic!("unexpected slot {other:?}"),
        }
    };
    store.delete(&name).unwrap();
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "keychain_entry_missing");
    let mut vault = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    vault.rebind_keychain(&store).unwrap();
    assert_eq!(store.len(), 1);
    let reopened = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    assert_eq!(issuers(&reopened), ["GitHub"]);
    // Rebinding again replaces the entry instead of piling up new ones.
    let mut vault = reopened;
    vault.rebind_keychain(&store).unwrap();
    assert_eq!(store.len(), 1);
    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
}

#[test]
fn a_different_keychain_secret_is_a_mismatch() {
    let store = MemoryKeyStore::new();
    let (_dir, path, vault, _recovery) = new_vault(&store);
    let bytes = fs::read(&path).unwrap();
    let header = format::decode(&bytes).unwrap().header;
    let Slot::Keychain { key_id, .. } = &header.slots[1] else {
        panic!("no keychain slot")
    };
    store
        .store(
            &keychain_entry_name(&header.vault_id, key_id),
            &KeyMaterial::from_bytes(vec![0x42; 32]),
        )
        .unwrap();
    drop(vault);
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "keychain_mismatch");
}

#[test]
fn rekey_invalidates_old_passphrase_old_file_and_backups() {
    let store = MemoryKeyStore::new();
    let (dir, path, mut vault, recovery) = new_vault(&store);
    vault
        .set_passphrase(&Passphrase::from("old"), low_kdf(), &store)
        .unwrap();
    add(&mut vault, "A");
    add(&mut vault, "B");
    assert!(!Vault::backups(&path).unwrap().is_empty());
    let old_file = dir.path().join("old-copy");
    fs::copy(&path, &old_file).unwrap();

    vault
        .set_passphrase(&Passphrase::from("new"), low_kdf(), &store)
        .unwrap();
    assert!(
        Vault::backups(&path).unwrap().is_empty(),
        "backups deleted on re-key"
    );
    let wrong = Vault::open(&path, Unlock::Passphrase(&Passphrase::from("old"))).unwrap_err();
    assert_eq!(wrong.code(), "wrong_passphrase");
    let new = Vault::open(&path, Unlock::Passphrase(&Passphrase::from("new"))).unwrap();
    assert_eq!(issuers(&new), ["A", "B"]);
    // Keychain and recovery slots were rewrapped to the new key without their secrets.
    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
    assert!(Vault::open(&path, Unlock::RecoveryKey(&recovery)).is_ok());

    // The old vault key (from the old file + old passphrase) does not open the new file.
    let old = Vault::open(&old_file, Unlock::Passphrase(&Passphrase::from("old"))).unwrap();
    let new_bytes = fs::read(&path).unwrap();
    let parsed = format::decode(&new_bytes).unwrap();
    assert!(crypto::open(&old.key, parsed.header_bytes, parsed.body).is_err());
    // And splicing the old passphrase slot into the new header breaks the AAD.
    let mut spliced = parsed.header.clone();
    let old_bytes = fs::read(&old_file).unwrap();
    let old_header = format::decode(&old_bytes).unwrap().header;
    spliced.slots = old_header.slots;
    let mut forged = spliced.encode();
    forged.extend_from_slice(parsed.body);
    fs::write(&old_file, forged).unwrap();
    let error = Vault::open(&old_file, Unlock::Passphrase(&Passphrase::from("old"))).unwrap_err();
    assert_eq!(error.code(), "cannot_decrypt");
}

#[test]
fn remove_passphrase_and_rotate_recovery_key() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, old_recovery) = new_vault(&store);
    vault
        .set_passphrase(&Passphrase::from("pw"), low_kdf(), &store)
        .unwrap();
    assert!(vault.has_passphrase());
    vault.remove_passphrase(&store).unwrap();
    assert!(!vault.has_passphrase());
    let error = Vault::open(&path, Unlock::Passphrase(&Passphrase::from("pw"))).unwrap_err();
    assert_eq!(error.code(), "no_passphrase");

    let new_recovery = vault.rotate_recovery_key(&store).unwrap();
    let error = Vault::open(&path, Unlock::RecoveryKey(&old_recovery)).unwrap_err();
    assert_eq!(error.code(), "wrong_recovery_key");
    assert!(Vault::open(&path, Unlock::RecoveryKey(&new_recovery)).is_ok());
    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
}

#[test]
fn create_refuses_existing_file_and_works_without_keychain() {
    let store = MemoryKeyStore::new();
    let (_dir, path, _vault, _recovery) = new_vault(&store);
    let error = Vault::create(&path, Protection::default(), NOW).unwrap_err();
    assert_eq!(error.code(), "already_exists");

    let dir = tempfile::tempdir().unwrap();
    let headless = dir.path().join("nested/dir/vault.tessera");
    let passphrase = Passphrase::from("pw");
    let (vault, _recovery) = Vault::create(
        &headless,
        Protection {
            keychain: None,
            passphrase: Some((&passphrase, low_kdf())),
        },
        NOW,
    )
    .unwrap();
    assert!(!vault.has_keychain_slot());
    let summary = slot_summary(&headless).unwrap();
    assert!(summary.passphrase && !summary.keychain);
    let summary = slot_summary(&path).unwrap();
    assert!(!summary.passphrase && summary.keychain);
    assert_eq!(
        slot_summary(&dir.path().join("none")).unwrap_err().code(),
        "vault_not_found"
    );
    let error = Vault::open(&headless, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "no_keychain_slot");
    assert!(Vault::open(&headless, Unlock::Passphrase(&passphrase)).is_ok());
}

#[test]
fn create_with_unavailable_keychain_fails_and_writes_nothing() {
    let store = MemoryKeyStore::new();
    store.set_unavailable(true);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let error = Vault::create(
        &path,
        Protection {
            keychain: Some(&store),
            passphrase: None,
        },
        NOW,
    )
    .unwrap_err();
    assert_eq!(error.code(), "keychain_unavailable");
    assert!(!path.exists());
}

#[test]
fn failed_change_leaves_data_and_file_untouched() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, _recovery) = new_vault(&store);
    add(&mut vault, "A");
    let before = fs::read(&path).unwrap();
    let result: Result<(), VaultError> = vault.update(|data| {
        data.accounts.clear();
        Err(VaultError::EmptyPassphrase)
    });
    assert!(result.is_err());
    assert_eq!(issuers(&vault), ["A"]);
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn two_handles_see_each_others_changes_and_never_lose_one() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut first, _recovery) = new_vault(&store);
    let mut second = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    assert!(!second.reload_if_changed().unwrap());
    add(&mut first, "from first");
    add(&mut second, "from second");
    assert_eq!(issuers(&second), ["from first", "from second"]);
    assert!(first.reload_if_changed().unwrap());
    assert_eq!(issuers(&first), ["from first", "from second"]);
    assert!(!first.reload_if_changed().unwrap());
}

#[test]
fn rekey_elsewhere_is_reported() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut first, _recovery) = new_vault(&store);
    let mut second = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    second.rotate_recovery_key(&store).unwrap();
    assert_eq!(
        first.reload_if_changed().unwrap_err().code(),
        "rekeyed_elsewhere"
    );
    let result: Result<(), VaultError> = first.update(|_| Ok(()));
    assert_eq!(result.unwrap_err().code(), "rekeyed_elsewhere");
    // A rebind elsewhere keeps the vault key: this handle carries on.
    let mut first = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    second.rebind_keychain(&store).unwrap();
    add(&mut first, "still works");
}

#[test]
fn export_and_read_back() {
    let store = MemoryKeyStore::new();
    let (dir, _path, mut vault, _recovery) = new_vault(&store);
    add(&mut vault, "A");
    let export = dir.path().join("backup.tessera");
    let passphrase = Passphrase::from("export pw");
    vault.export_to(&export, &passphrase, low_kdf()).unwrap();
    let data = Vault::read_export(&export, &passphrase).unwrap();
    assert_eq!(&data, vault.data());
    let error = Vault::read_export(&export, &Passphrase::from("nope")).unwrap_err();
    assert_eq!(error.code(), "wrong_passphrase");
    let error = Vault::open(&export, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "no_keychain_slot");
    assert_eq!(
        vault
            .export_to(&export, &Passphrase::from(""), low_kdf())
            .unwrap_err()
            .code(),
        "empty_passphrase"
    );
}

#[test]
fn export_reads_back_from_bytes() {
    let store = MemoryKeyStore::new();
    let (dir, _path, mut vault, _recovery) = new_vault(&store);
    add(&mut vault, "A");
    let export = dir.path().join("backup.tessera");
    let passphrase = Passphrase::from("export pw");
    vault.export_to(&export, &passphrase, low_kdf()).unwrap();
    let bytes = fs::read(&export).unwrap();
    assert!(looks_like_vault(&bytes));
    assert!(!looks_like_vault(b"TSRVAUL"));
    assert_eq!(
        &Vault::read_export_bytes(&bytes, &passphrase).unwrap(),
        vault.data()
    );
    let code = |bytes: &[u8], passphrase: &str| {
        Vault::read_export_bytes(bytes, &Passphrase::from(passphrase))
            .unwrap_err()
            .code()
    };
    assert_eq!(code(&bytes, "nope"), "wrong_passphrase");
    assert_eq!(code(b"{}", "export pw"), "not_a_vault");
    assert_eq!(code(&bytes[..40], "export pw"), "damaged");
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert_eq!(code(&flipped, "export pw"), "cannot_decrypt");
}

#[test]
fn damaged_file_points_to_backups_and_restore_keeps_the_damaged_copy() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, _recovery) = new_vault(&store);
    add(&mut vault, "A");
    add(&mut vault, "B");
    drop(vault);
    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&path, &bytes).unwrap();
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "cannot_decrypt");
    assert!(error.to_string().contains("2 earlier versions"), "{error}");
    fs::write(&path, &bytes[..20]).unwrap();
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "damaged");

    let backups = Vault::backups(&path).unwrap();
    let aside = Vault::restore_backup(&path, &backups[0]).unwrap().unwrap();
    assert_eq!(fs::read(&aside).unwrap(), &bytes[..20]);
    let restored = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    assert_eq!(issuers(&restored), ["A"]);
}

#[test]
fn absurd_kdf_params_in_a_file_are_refused_before_allocating() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, _recovery) = new_vault(&store);
    vault
        .set_passphrase(&Passphrase::from("pw"), low_kdf(), &store)
        .unwrap();
    let bytes = fs::read(&path).unwrap();
    let parsed = format::decode(&bytes).unwrap();
    let mut header = parsed.header.clone();
    for slot in &mut header.slots {
        if let Slot::Passphrase { kdf, .. } = slot {
            kdf.memory_kib = u32::MAX;
        }
    }
    let mut forged = header.encode();
    forged.extend_from_slice(parsed.body);
    fs::write(&path, forged).unwrap();
    let error = Vault::open(&path, Unlock::Passphrase(&Passphrase::from("pw"))).unwrap_err();
    assert_eq!(error.code(), "kdf_params_rejected");
    // The other slots still work.
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(
        error.code(),
        "cannot_decrypt",
        "header changed, so the AAD fails"
    );
}

#[test]
fn not_found_not_a_vault_and_newer_version() {
    let store = MemoryKeyStore::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing");
    let open = |path: &Path| {
        Vault::open(path, Unlock::Keychain(&store))
            .unwrap_err()
            .code()
    };
    assert_eq!(open(&path), "vault_not_found");
    fs::write(&path, b"hello").unwrap();
    assert_eq!(open(&path), "not_a_vault");
    let (_dir2, vault_path, _vault, _recovery) = new_vault(&store);
    let mut bytes = fs::read(&vault_path).unwrap();
    bytes[8] = 9;
    fs::write(&vault_path, bytes).unwrap();
    assert_eq!(open(&vault_path), "unsupported_version");
}

#[test]
fn file_never_contains_plaintext() {
    let store = MemoryKeyStore::new();
    let (dir, path, mut vault, _recovery) = new_vault(&store);
    vault
        .update(|data| {
            data.accounts.push(Account::new(
                "VerySpecialIssuer",
                "needle@example.com",
                OtpSecret::from_slice(b"12345678901234567890"),
                Otp::DEFAULT_TOTP,
                NOW,
            ));
            Ok::<_, VaultError>(())
        })
        .unwrap();
    add(&mut vault, "second");
    for entry in walk(dir.path()) {
        let bytes = fs::read(&entry).unwrap();
        for needle in [
            &b"VerySpecialIssuer"[..],
            b"needle@",
            b"GEZDGNBV",
            b"12345678901234567890",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{entry:?} contains plaintext"
            );
        }
    }
    assert!(path.exists());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn debug_is_redacted() {
    let store = MemoryKeyStore::new();
    let (_dir, _path, mut vault, recovery) = new_vault(&store);
    vault
        .update(|data| {
            data.accounts.push(Account::new(
                "I",
                "n",
                OtpSecret::from_slice(b"12345678901234567890"),
                Otp::DEFAULT_TOTP,
                NOW,
            ));
            Ok::<_, VaultError>(())
        })
        .unwrap();
    let printed = format!("{vault:?} {recovery:?}");
    assert!(printed.starts_with("Vault {"));
    assert!(!printed.contains("GEZDGNBV"));
    assert!(!printed.contains(&recovery.to_display_text()[..9]));
}

#[test]
fn a_glance_unlocks_like_open_and_reads_the_same_accounts() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, recovery) = new_vault(&store);
    add(&mut vault, "GitHub");
    add(&mut vault, "GitLab");
    for unlock in [Unlock::Keychain(&store), Unlock::RecoveryKey(&recovery)] {
        let glance = Glance::open(&path, unlock).unwrap();
        let read = glance.read().unwrap();
        let seen: Vec<&str> = read.accounts.iter().map(|a| a.issuer.as_ref()).collect();
        assert_eq!(seen, issuers(&vault));
    }
    // The same errors as a full open: an empty keychain, a damaged file.
    let empty = MemoryKeyStore::new();
    assert!(matches!(
        Glance::open(&path, Unlock::Keychain(&empty)),
        Err(VaultError::KeychainEntryMissing)
    ));
    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Glance::open(&path, Unlock::Keychain(&store)),
        Err(VaultError::CannotDecrypt { .. })
    ));
}

fn keychain_name(path: &Path) -> String {
    let names = keychain_entry_names(path).unwrap();
    assert_eq!(names.len(), 1);
    names.into_iter().next().unwrap()
}

fn code<T: std::fmt::Debug>(result: Result<T, VaultError>) -> &'static str {
    result.unwrap_err().code()
}

#[test]
fn an_old_copy_put_back_is_refused_as_rolled_back_until_restored_or_adopted() {
    let store = MemoryKeyStore::new();
    let (dir, path, mut vault, recovery) = new_vault(&store);
    vault
        .set_passphrase(&Passphrase::from("old"), low_kdf(), &store)
        .unwrap();
    add(&mut vault, "A");
    let old_copy = dir.path().join("old-copy");
    fs::copy(&path, &old_copy).unwrap();
    vault
        .set_passphrase(&Passphrase::from("new"), low_kdf(), &store)
        .unwrap();
    add(&mut vault, "B");
    drop(vault);
    fs::copy(&old_copy, &path).unwrap();

    // Through the keychain: refused, by a full open and by a glance.
    assert_eq!(
        code(Vault::open(&path, Unlock::Keychain(&store))),
        "vault_rolled_back"
    );
    assert_eq!(
        code(Glance::open(&path, Unlock::Keychain(&store))),
        "vault_rolled_back"
    );
    // The old passphrase still decrypts the copy (whoever holds the file and the passphrase
    // can, by construction), but with this keychain present the open is refused as well.
    let old = Vault::open(&path, Unlock::Passphrase(&Passphrase::from("old"))).unwrap();
    assert_eq!(code(old.check_keychain(&store)), "vault_rolled_back");
    let by_recovery = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    assert_eq!(
        code(by_recovery.check_keychain(&store)),
        "vault_rolled_back"
    );
    drop(by_recovery);

    // The kept version written after the re-key is the way back (the refused file set aside).
    let backups = Vault::backups(&path).unwrap();
    assert_eq!(backups.len(), 1);
    let aside = Vault::restore_backup(&path, &backups[0]).unwrap().unwrap();
    assert_eq!(
        Vault::set_aside_copies(&path).unwrap(),
        std::slice::from_ref(&aside)
    );
    let restored = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    assert_eq!(issuers(&restored), ["A"]);
    drop(restored);

    // Or the user keeps the old copy on purpose: adopting re-keys it from the passphrase they
    // proved; the recovery slot they did not prove gets a new key.
    fs::copy(&aside, &path).unwrap();
    let mut old = Vault::open(&path, Unlock::Passphrase(&Passphrase::from("old"))).unwrap();
    let new_recovery = old.adopt(&store).unwrap().expect("a new recovery key");
    assert_eq!(store.len(), 1, "the same entry, pinned to the new key");
    assert!(Vault::set_aside_copies(&path).unwrap().is_empty());
    assert_eq!(
        issuers(&Vault::open(&path, Unlock::Keychain(&store)).unwrap()),
        ["A"]
    );
    assert!(Vault::open(&path, Unlock::Passphrase(&Passphrase::from("old"))).is_ok());
    assert!(Vault::open(&path, Unlock::RecoveryKey(&new_recovery)).is_ok());
    assert_eq!(
        code(Vault::open(&path, Unlock::RecoveryKey(&recovery))),
        "wrong_recovery_key"
    );
}

/// A vault built by someone who can write the file but knows no secret: everything taken from
/// the header's public data, a vault key of their own, a passphrase slot of their own.
fn forge(path: &Path, generation: u64, copy_passphrase_slot: bool) {
    let bytes = fs::read(path).unwrap();
    let header = format::decode(&bytes).unwrap().header;
    let key = SymmetricKey::make().unwrap();
    let vault_id = header.vault_id;
    let mut slots = Vec::new();
    for slot in &header.slots {
        match slot {
            Slot::Keychain { key_id, wrap } => slots.push(Slot::Keychain {
                key_id: *key_id,
                wrap: rewrap(&vault_id, Slot::KEYCHAIN, wrap, &key).unwrap(),
            }),
            Slot::Recovery { wrap } => slots.push(Slot::Recovery {
                wrap: rewrap(&vault_id, Slot::RECOVERY, wrap, &key).unwrap(),
            }),
            Slot::Passphrase { kdf, salt, wrap } if copy_passphrase_slot => {
                slots.push(Slot::Passphrase {
                    kdf: *kdf,
                    salt: *salt,
                    wrap: rewrap(&vault_id, Slot::PASSPHRASE, wrap, &key).unwrap(),
                })
            }
            _ => {}
        }
    }
    if !copy_passphrase_slot {
        slots.push(
            passphrase_slot(&vault_id, &Passphrase::from("attacker"), low_kdf(), &key).unwrap(),
        );
    }
    let forged = Header {
        vault_id,
        generation,
        slots,
    };
    fs::write(
        path,
        seal_file(&forged, &key, &VaultData::new(NOW)).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_vault_forged_from_the_header_is_refused() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, recovery) = new_vault(&store);
    add(&mut vault, "A");
    vault
        .set_passphrase(&Passphrase::from("pw"), low_kdf(), &store)
        .unwrap();
    let generation = vault.generation();
    drop(vault);
    let genuine = fs::read(&path).unwrap();

    // What the keychain used to open silently, with the attacker's passphrase slot beside it.
    forge(&path, generation + 1, false);
    assert!(Vault::open(&path, Unlock::Passphrase(&Passphrase::from("attacker"))).is_ok());
    assert_eq!(
        code(Vault::open(&path, Unlock::Keychain(&store))),
        "vault_replaced"
    );
    assert_eq!(
        code(Glance::open(&path, Unlock::Keychain(&store))),
        "vault_replaced"
    );
    // A forger may claim an older generation: still refused, only the message differs.
    fs::write(&path, &genuine).unwrap();
    forge(&path, 1, false);
    assert_eq!(
        code(Vault::open(&path, Unlock::Keychain(&store))),
        "vault_rolled_back"
    );
    // Slots wrap to public keys, so the user's own passphrase and recovery key open a forgery
    // that copies them: the keychain's pin refuses it all the same.
    fs::write(&path, &genuine).unwrap();
    forge(&path, generation + 5, true);
    for unlock in [
        Unlock::Passphrase(&Passphrase::from("pw")),
        Unlock::RecoveryKey(&recovery),
    ] {
        let forged = Vault::open(&path, unlock).unwrap();
        assert_eq!(code(forged.check_keychain(&store)), "vault_replaced");
    }

    fs::write(&path, &genuine).unwrap();
    let vault = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    assert_eq!(issuers(&vault), ["A"]);
    assert!(vault.check_keychain(&store).is_ok());
}

#[test]
fn an_entry_from_before_pins_opens_and_is_pinned_on_first_use() {
    let store = MemoryKeyStore::new();
    let (_dir, path, vault, _recovery) = new_vault(&store);
    let generation = vault.generation();
    drop(vault);
    let name = keychain_name(&path);
    let stored = store.load(&name).unwrap().unwrap();
    // EXPOSE: test: writing the entry back as a version 1 (bare secret) entry.
    let bare = keychain::Entry::decode(&stored).secret().to_vec();
    store.store(&name, &KeyMaterial::from_bytes(bare)).unwrap();

    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
    let upgraded = store.load(&name).unwrap().unwrap();
    assert_eq!(upgraded.expose_secret(), stored.expose_secret());
    forge(&path, generation + 1, false);
    assert_eq!(
        code(Vault::open(&path, Unlock::Keychain(&store))),
        "vault_replaced"
    );
}

/// A session cache whose copy predates another process's re-key: `load` answers the stale
/// copy, `load_fresh` the keychain.
struct StaleCopy<'a> {
    keychain: &'a MemoryKeyStore,
    copy: MemoryKeyStore,
}

impl KeyStore for StaleCopy<'_> {
    fn load(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        match self.copy.load(name)? {
            Some(copy) => Ok(Some(copy)),
            None => self.keychain.load(name),
        }
    }
    fn load_fresh(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        self.copy.delete(name)?;
        self.keychain.load(name)
    }
    fn store(&self, name: &str, secret: &KeyMaterial) -> Result<(), KeyStoreError> {
        self.copy.delete(name)?;
        self.keychain.store(name, secret)
    }
    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        self.copy.delete(name)?;
        self.keychain.delete(name)
    }
}

#[test]
fn a_cached_entry_from_before_a_re_key_elsewhere_is_read_again() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, _recovery) = new_vault(&store);
    let name = keychain_name(&path);
    let cached = StaleCopy {
        keychain: &store,
        copy: MemoryKeyStore::new(),
    };
    cached
        .copy
        .store(&name, &store.load(&name).unwrap().unwrap())
        .unwrap();
    vault.rotate_recovery_key(&store).unwrap();
    assert!(Vault::open(&path, Unlock::Keychain(&cached)).is_ok());
}

#[test]
fn a_re_key_without_the_keychain_changes_nothing() {
    let store = MemoryKeyStore::new();
    let (_dir, path, mut vault, _recovery) = new_vault(&store);
    add(&mut vault, "A");
    let before = fs::read(&path).unwrap();
    store.set_unavailable(true);
    assert_eq!(
        code(vault.set_passphrase(&Passphrase::from("pw"), low_kdf(), &store)),
        "keychain_unavailable"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    store.set_unavailable(false);
    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
    // The same vault handle re-keys once the keychain answers.
    vault
        .set_passphrase(&Passphrase::from("pw"), low_kdf(), &store)
        .unwrap();
    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
}

#[test]
fn a_copy_from_before_a_re_key_stays_refused_after_the_entry_is_lost_and_rebound() {
    let store = MemoryKeyStore::new();
    let (dir, path, mut vault, old_recovery) = new_vault(&store);
    let old_copy = dir.path().join("old-copy");
    fs::copy(&path, &old_copy).unwrap();
    let recovery = vault.rotate_recovery_key(&store).unwrap();
    drop(vault);
    let name = keychain_name(&path);
    store.delete(&name).unwrap();
    let mut vault = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    vault.rebind_keychain(&store).unwrap();
    assert_eq!(
        keychain_name(&path),
        name,
        "the rebind kept the entry's name"
    );

    // The new secret does not open the copy's slot; the old recovery key does, and the pin
    // under the same name still refuses it.
    assert_eq!(
        code(Vault::open(&old_copy, Unlock::Keychain(&store))),
        "keychain_mismatch"
    );
    let old = Vault::open(&old_copy, Unlock::RecoveryKey(&old_recovery)).unwrap();
    assert_eq!(code(old.check_keychain(&store)), "vault_rolled_back");
    assert!(Vault::open(&path, Unlock::Keychain(&store)).is_ok());
}

#[cfg(windows)]
#[test]
fn the_default_vault_is_in_appdata_tessera_on_windows() {
    let appdata = std::env::var_os("APPDATA").expect("Windows sets APPDATA");
    assert_eq!(
        platform_vault_path().unwrap(),
        PathBuf::from(appdata).join("Tessera").join("vault.tessera")
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_default_vault_stays_where_existing_linux_vaults_are() {
    // ~/.local/share/tessera/vault.tessera (or under $XDG_DATA_HOME): moving it would lose them.
    let data = directories::BaseDirs::new().unwrap().data_dir().to_owned();
    assert_eq!(
        platform_vault_path().unwrap(),
        data.join("tessera").join("vault.tessera")
    );
}
