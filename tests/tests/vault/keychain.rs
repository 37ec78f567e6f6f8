//! The real OS keychain through `OsKeyStore`. Runs in a private keychain session
//! (`scripts/with-keyring.sh cargo test -p tessera-tests --test vault keychain`), since CI
//! machines and containers usually have no unlocked keychain; `make test` fails without one
//! (`tessera_testkit::real`).

use tessera_core::keystore::{KeyMaterial, KeyStore, OsKeyStore};
use tessera_core::vault::Protection;
use tessera_core::{Unlock, Vault};

use crate::NOW;

fn real_keychain() -> Option<OsKeyStore> {
    tessera_testkit::real::keychain()
        .then(|| OsKeyStore::with_service(format!("tessera-test-{}", std::process::id())))
}

#[test]
fn keychain_store_load_delete() {
    let Some(store) = real_keychain() else { return };
    assert!(
        store.load("entry").unwrap().is_none(),
        "missing entry is None"
    );
    store
        .store("entry", &KeyMaterial::from_bytes(vec![0, 1, 2, 255]))
        .unwrap();
    assert_eq!(
        store.load("entry").unwrap().unwrap().expose_secret(),
        &[0, 1, 2, 255]
    );
    store
        .store("entry", &KeyMaterial::from_bytes(vec![9; 32]))
        .unwrap();
    assert_eq!(
        store.load("entry").unwrap().unwrap().expose_secret(),
        &[9; 32]
    );
    store.delete("entry").unwrap();
    assert!(store.load("entry").unwrap().is_none());
    store.delete("entry").unwrap();
}

#[test]
fn keychain_vault_silent_reopen_then_lost_entry_then_rebind() {
    let Some(store) = real_keychain() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let (vault, recovery) = Vault::create(
        &path,
        Protection {
            keychain: Some(&store),
            passphrase: None,
        },
        NOW,
    )
    .unwrap();
    drop(vault);
    // Silent reopen, as at app start.
    let vault = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    drop(vault);

    // The user deletes the entry in their keychain app: a clear error pointing elsewhere.
    let other_view = OsKeyStore::with_service(store.service());
    let entry = first_entry_name(&path);
    other_view.delete(&entry).unwrap();
    let error = Vault::open(&path, Unlock::Keychain(&store)).unwrap_err();
    assert_eq!(error.code(), "keychain_entry_missing");
    assert!(error.needs_other_unlock());
    assert!(error.to_string().contains("recovery key"));

    let mut vault = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    vault.rebind_keychain(&store).unwrap();
    drop(vault);
    let rebound = first_entry_name(&path);
    // The same entry name, a new secret: copies from before keep naming the entry whose pin
    // refuses them.
    assert_eq!(rebound, entry, "a rebind keeps the entry's name");
    let mut vault = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    assert!(store.load(&rebound).unwrap().is_some());
    vault.unbind_keychain(&store).unwrap();
    assert!(!vault.has_keychain_slot());
    assert!(
        store.load(&rebound).unwrap().is_none(),
        "unbind removes the entry"
    );
}

/// The keychain entry the vault file points at.
fn first_entry_name(path: &std::path::Path) -> String {
    tessera_core::vault::keychain_entry_names(path)
        .unwrap()
        .into_iter()
        .next()
        .expect("vault has a keychain slot")
}
