//! Byte flips and truncations of a real vault file: always an error, never a panic, and never
//! a silently different vault.

use std::fs;

use tessera_core::keystore::MemoryKeyStore;
use tessera_core::vault::Passphrase;
use tessera_core::{Unlock, Vault};

use crate::{new_vault, push_account};

/// Where the header ends in a vault with recovery + passphrase + keychain slots: 39 fixed
/// bytes + 3 slot headers (3 bytes each) + slot bodies of 124 + 152 + 140 bytes.
const HEADER_LEN: usize = 39 + 9 + 124 + 152 + 140;

#[test]
fn every_header_byte_flip_and_sampled_body_flips_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault, recovery) = new_vault(dir.path(), &store);
    push_account(&mut vault, "GitHub");
    push_account(&mut vault, "GitLab");
    let good = fs::read(&path).unwrap();
    assert!(good.len() > HEADER_LEN + 100, "payload present");
    let stored_len = u32::from_le_bytes(good[10..14].try_into().unwrap());
    assert_eq!(
        stored_len as usize, HEADER_LEN,
        "layout as documented in format.rs"
    );
    let target = dir.path().join("flipped.tessera");

    let body_positions = (HEADER_LEN..good.len()).step_by(7).chain([good.len() - 1]);
    let mut checked = 0;
    for position in (0..HEADER_LEN).chain(body_positions) {
        let mut bytes = good.clone();
        bytes[position] ^= 0x01 << (position % 8);
        fs::write(&target, &bytes).unwrap();
        // Keychain and recovery unlocks are cheap, so every position tries both.
        for unlock in [Unlock::Keychain(&store), Unlock::RecoveryKey(&recovery)] {
            let error = Vault::open(&target, unlock).unwrap_err();
            assert!(
                [
                    "cannot_decrypt",
                    "damaged",
                    "not_a_vault",
                    "unsupported_version",
                    "keychain_mismatch",
                    "keychain_entry_missing",
                    "wrong_recovery_key",
                    "no_recovery_slot",
                    "no_keychain_slot",
                ]
                .contains(&error.code()),
                "position {position}: unexpected {}",
                error.code()
            );
            checked += 1;
        }
    }
    assert!(checked > 2 * HEADER_LEN);
    // A flip in the passphrase slot's Argon2 parameters must never make us allocate wildly:
    // memory_kib sits right after the passphrase slot's 3-byte slot header.
    let passphrase_slot = 39 + 3 + 124 + 3;
    let mut bytes = good.clone();
    bytes[passphrase_slot + 3] ^= 0x80; // memory cost × 2^31 KiB
    fs::write(&target, &bytes).unwrap();
    let error = Vault::open(
        &target,
        Unlock::Passphrase(&Passphrase::from("test passphrase")),
    )
    .unwrap_err();
    assert_eq!(error.code(), "kdf_params_rejected");
}

#[test]
fn every_truncation_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault, recovery) = new_vault(dir.path(), &store);
    push_account(&mut vault, "GitHub");
    let good = fs::read(&path).unwrap();
    let target = dir.path().join("cut.tessera");
    for cut in 0..good.len() {
        fs::write(&target, &good[..cut]).unwrap();
        let error = Vault::open(&target, Unlock::RecoveryKey(&recovery)).unwrap_err();
        assert!(
            ["cannot_decrypt", "damaged", "not_a_vault"].contains(&error.code()),
            "cut {cut}: {}",
            error.code()
        );
    }
    // Appended garbage is caught too.
    let mut longer = good.clone();
    longer.push(0);
    fs::write(&target, &longer).unwrap();
    assert_eq!(
        Vault::open(&target, Unlock::RecoveryKey(&recovery))
            .unwrap_err()
            .code(),
        "cannot_decrypt"
    );
}
