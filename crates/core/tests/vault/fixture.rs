//! The committed version-1 vault file must open in every later version.
//!
//! `fixtures/vault-v1.tessera` was made by version 1 of this code (`write_v1_fixture` below, run
//! once with `TESSERA_WRITE_FIXTURE=1 cargo test -p tessera-core --test vault write_v1_fixture --
//! --ignored --nocapture`); its passphrase and recovery key are the constants here. Never
//! regenerate it: the writer now writes the current version, and the file is the compatibility
//! promise (version 1 holds a JSON payload, version 2 MessagePack).

use std::path::PathBuf;

use tessera_core::keystore::MemoryKeyStore;
use tessera_core::vault::{Glance, Passphrase, Protection, RecoveryKey, Theme};
use tessera_core::{Account, Algorithm, Digits, Otp, OtpSecret, Period, Unlock, Vault, VaultError};

use crate::{NOW, low_kdf};

const PASSPHRASE: &str = "tessera fixture v1";
const RECOVERY_KEY: &str = "4ZAJ-SKDS-Z1SE-NNQG-6VKC-ZFCC-DNXS-4RMF";

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-v1.tessera")
}

fn fixture_accounts() -> Vec<Account> {
    let mut hotp = Account::new(
        "Example Bank",
        "bob",
        OtpSecret::from_slice(&[0xA5; 32]),
        Otp::Hotp {
            algorithm: Algorithm::Sha256,
            digits: Digits::new(8).unwrap(),
            counter: 42,
        },
        NOW,
    );
    hotp.tags = vec!["finance".into()];
    hotp.icon = Some("bank".into());
    vec![
        Account::new(
            "GitHub",
            "alice@example.com",
            OtpSecret::from_slice(b"12345678901234567890"),
            Otp::DEFAULT_TOTP,
            NOW,
        ),
        hotp,
        Account::new(
            "Steam",
            "gamer",
            OtpSecret::from_slice(b"steam-secret-bytes"),
            Otp::Steam,
            NOW,
        ),
        Account::new(
            "Long",
            "",
            OtpSecret::from_slice(&[7; 64]),
            Otp::Totp {
                algorithm: Algorithm::Sha512,
                digits: Digits::new(10).unwrap(),
                period: Period::new(60).unwrap(),
            },
            NOW,
        ),
    ]
}

#[test]
#[ignore = "writes the fixture; run once by hand (see the module doc)"]
fn write_v1_fixture() {
    if std::env::var_os("TESSERA_WRITE_FIXTURE").is_none() {
        return;
    }
    let path = fixture_path();
    let _ = std::fs::remove_file(&path);
    let passphrase = Passphrase::from(PASSPHRASE);
    let store = MemoryKeyStore::new();
    let (mut vault, recovery) = Vault::create(
        &path,
        Protection {
            keychain: Some(&store),
            passphrase: Some((&passphrase, low_kdf())),
        },
        NOW,
    )
    .unwrap();
    vault
        .update(|data| {
            data.accounts = fixture_accounts();
            data.settings.theme = Theme::Dark;
            data.settings.language = Some("de".into());
            data.settings.clipboard_clear_secs = 20;
            Ok::<_, VaultError>(())
        })
        .unwrap();
    println!("RECOVERY_KEY = {}", recovery.to_display_text().as_str());
}

fn check(vault: &Vault) {
    let expected = fixture_accounts();
    assert_eq!(vault.accounts().len(), expected.len());
    for (got, want) in vault.accounts().iter().zip(&expected) {
        assert_eq!(got.issuer, want.issuer);
        assert_eq!(got.name, want.name);
        assert_eq!(got.secret, want.secret);
        assert_eq!(got.otp, want.otp);
        assert_eq!(got.tags, want.tags);
        assert_eq!(got.icon, want.icon);
        assert_eq!(got.created, NOW);
    }
    let settings = vault.settings();
    assert_eq!(settings.theme, Theme::Dark);
    assert_eq!(settings.language.as_deref(), Some("de"));
    assert_eq!(settings.clipboard_clear_secs, 20);
    assert_eq!(vault.data().created, NOW);
    assert!(vault.has_keychain_slot());
    assert!(vault.has_passphrase());
}

#[test]
fn version_1_fixture_opens_with_passphrase_and_recovery_key() {
    let path = fixture_path();
    let by_passphrase =
        Vault::open(&path, Unlock::Passphrase(&Passphrase::from(PASSPHRASE))).unwrap();
    check(&by_passphrase);
    let recovery = RecoveryKey::parse(RECOVERY_KEY).unwrap();
    let by_recovery = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    check(&by_recovery);
    // Its keychain entry lived in a throwaway MemoryKeyStore: the keychain way reports that.
    let error = Vault::open(&path, Unlock::Keychain(&MemoryKeyStore::new())).unwrap_err();
    assert_eq!(error.code(), "keychain_entry_missing");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..10], b"TSRVAULT\x01\x00");
}

#[test]
fn version_1_fixture_can_be_edited_in_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.tessera");
    std::fs::copy(fixture_path(), &copy).unwrap();
    let recovery = RecoveryKey::parse(RECOVERY_KEY).unwrap();
    let mut vault = Vault::open(&copy, Unlock::RecoveryKey(&recovery)).unwrap();
    vault
        .update(|data| {
            data.accounts.retain(|a| a.issuer != "Steam");
            Ok::<_, VaultError>(())
        })
        .unwrap();
    let reopened = Vault::open(&copy, Unlock::Passphrase(&Passphrase::from(PASSPHRASE))).unwrap();
    assert_eq!(reopened.accounts().len(), 3);
    // The save wrote the current version: same accounts, now read from MessagePack, by a full
    // open and by a glance.
    let bytes = std::fs::read(&copy).unwrap();
    assert_eq!(&bytes[..10], b"TSRVAULT\x02\x00");
    let glance = Glance::open(&copy, Unlock::RecoveryKey(&recovery)).unwrap();
    let read = glance.read().unwrap();
    let issuers: Vec<&str> = read.accounts.iter().map(|a| a.issuer.as_ref()).collect();
    assert_eq!(issuers, ["GitHub", "Example Bank", "Long"]);
    assert_eq!(read.settings.clipboard_clear_secs, 20);
}

#[test]
fn version_1_fixture_reads_by_glance() {
    let recovery = RecoveryKey::parse(RECOVERY_KEY).unwrap();
    let glance = Glance::open(&fixture_path(), Unlock::RecoveryKey(&recovery)).unwrap();
    let read = glance.read().unwrap();
    let expected = fixture_accounts();
    assert_eq!(read.accounts.len(), expected.len());
    for (got, want) in read.accounts.iter().zip(&expected) {
        assert_eq!(got.issuer, want.issuer);
        assert_eq!(got.otp, want.otp);
        assert_eq!(got.secret().unwrap(), want.secret);
    }
}
