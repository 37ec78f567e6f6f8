//! Several handles in several threads updating in turn: no update is lost.

use std::collections::BTreeSet;
use std::thread;

use tessera_core::keystore::MemoryKeyStore;
use tessera_core::{Unlock, Vault};

use crate::{new_vault, push_account};

#[test]
fn concurrent_writers_never_lose_an_update() {
    const WRITERS: usize = 4;
    const UPDATES: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, vault, _recovery) = new_vault(dir.path(), &store);
    drop(vault);
    thread::scope(|scope| {
        for writer in 0..WRITERS {
            let (path, store) = (&path, &store);
            scope.spawn(move || {
                // Each thread has its own handle, opened before the others write.
                let mut vault = Vault::open(path, Unlock::Keychain(store)).unwrap();
                for update in 0..UPDATES {
                    push_account(&mut vault, &format!("w{writer}-{update}"));
                }
            });
        }
    });
    let vault = Vault::open(&path, Unlock::Keychain(&store)).unwrap();
    let names: BTreeSet<&str> = vault.accounts().iter().map(|a| a.issuer.as_str()).collect();
    assert_eq!(names.len(), WRITERS * UPDATES);
    assert_eq!(
        vault.accounts().len(),
        WRITERS * UPDATES,
        "no duplicates either"
    );
    assert_eq!(vault.generation(), 1 + (WRITERS * UPDATES) as u64);
}
