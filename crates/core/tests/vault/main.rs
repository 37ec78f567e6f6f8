//! Integration tests of the vault through the public API: the committed version-1 fixture,
//! damage at many positions, concurrent writers.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

mod damage;
mod fixture;
mod threads;

use std::path::{Path, PathBuf};

use tessera_core::keystore::MemoryKeyStore;
use tessera_core::vault::{KdfParams, Passphrase, Protection, RecoveryKey};
use tessera_core::{Account, Otp, OtpSecret, UnixTime, Vault, VaultError};

pub(crate) const NOW: UnixTime = UnixTime(1_700_000_000);

/// Argon2 at its minimum cost: tests exercise the slot, not the KDF's strength.
pub(crate) fn low_kdf() -> KdfParams {
    KdfParams::new(8, 1, 1).unwrap()
}

pub(crate) fn new_vault(dir: &Path, store: &MemoryKeyStore) -> (PathBuf, Vault, RecoveryKey) {
    let path = dir.join("vault.tessera");
    let passphrase = Passphrase::from("test passphrase");
    let (vault, recovery) = Vault::create(
        &path,
        Protection {
            keychain: Some(store),
            passphrase: Some((&passphrase, low_kdf())),
        },
        NOW,
    )
    .unwrap();
    (path, vault, recovery)
}

pub(crate) fn push_account(vault: &mut Vault, issuer: &str) {
    vault
        .update(|data| {
            data.accounts.push(Account::new(
                issuer,
                "user",
                OtpSecret::from_slice(issuer.as_bytes()),
                Otp::DEFAULT_TOTP,
                NOW,
            ));
            Ok::<_, VaultError>(())
        })
        .unwrap();
}
