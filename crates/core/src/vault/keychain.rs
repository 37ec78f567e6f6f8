//! What a vault keeps in its keychain entry, and the check that makes a keychain unlock refuse
//! a vault file Tessera did not write last.
//!
//! Why a check at all: key slots wrap to public keys stored in the header (see `slots.rs`), so
//! anyone who can write the vault file can wrap a vault key of their own to the keychain slot's
//! public key, add a passphrase slot of their own, and put that file in place: the keychain
//! secret alone would open it silently, and every account added afterwards would be theirs too.
//! An older copy of the real file (from before `passphrase set` or `recovery-key rotate`) opens
//! the same way, with the old secrets.
//!
//! So the entry holds, beside the slot secret, a *pin*: a commitment to the vault key Tessera
//! last wrote (SHA-256 over a label, the vault id and the key) and the header generation of
//! the write that made that key (the last re-key). Nobody without the vault key can make a file
//! whose key matches the commitment, and every re-key rewrites the pin. A keychain unlock whose
//! key does not match is refused: [`VaultError::VaultRolledBack`] when the file's generation is
//! older than the pinned one (an older copy put back), [`VaultError::VaultReplaced`] otherwise.
//! The generation only picks the message: a forger can write any number there, and both
//! errors refuse.
//!
//! Entry bytes: version 1 (before pins) is the 32-byte secret alone; version 2 is
//! `"TSK2" || secret (32) || commitment (32) || generation (u64 LE)`. A version 1 entry still
//! opens its vault and is upgraded in place on that first open: trust on first use, since
//! nothing recorded earlier can tell whether the file was already swapped before the upgrade.

use zeroize::Zeroizing;

use super::VaultError;
use super::crypto::SymmetricKey;
use super::format::VAULT_ID_LEN;
use crate::keystore::{KeyMaterial, KeyStore};

/// Bytes of the slot secret.
pub(crate) const SECRET_LEN: usize = 32;
const MAGIC: &[u8; 4] = b"TSK2";
const COMMITMENT_LEN: usize = 32;
const ENTRY_LEN: usize = MAGIC.len() + SECRET_LEN + COMMITMENT_LEN + 8;

/// The vault key and re-key generation an entry vouches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pin {
    commitment: [u8; COMMITMENT_LEN],
    generation: u64,
}

impl Pin {
    /// The pin of `key`, made (or last re-keyed) by the write of `generation`.
    pub(crate) fn of(key: &SymmetricKey, vault_id: &[u8; VAULT_ID_LEN], generation: u64) -> Self {
        Self {
            commitment: key.commitment(vault_id),
            generation,
        }
    }

    fn matches(&self, key: &SymmetricKey, vault_id: &[u8; VAULT_ID_LEN]) -> bool {
        self.commitment == key.commitment(vault_id)
    }
}

/// A decoded keychain entry.
pub(crate) struct Entry {
    secret: Zeroizing<Vec<u8>>,
    pin: Option<Pin>,
}

impl Entry {
    /// Reads stored bytes: a version 2 entry, else (anything else) a version 1 bare secret.
    pub(crate) fn decode(stored: &KeyMaterial) -> Self {
        // EXPOSE: splitting the entry into its secret and its (public) pin.
        let bytes = stored.expose_secret();
        if bytes.len() == ENTRY_LEN && bytes.starts_with(MAGIC) {
            let (secret, rest) = bytes[MAGIC.len()..].split_at(SECRET_LEN);
            let (commitment, generation) = rest.split_at(COMMITMENT_LEN);
            let mut pin = Pin {
                commitment: [0; COMMITMENT_LEN],
                generation: 0,
            };
            pin.commitment.copy_from_slice(commitment);
            let mut generation_bytes = [0u8; 8];
            generation_bytes.copy_from_slice(generation);
            pin.generation = u64::from_le_bytes(generation_bytes);
            return Self {
                secret: Zeroizing::new(secret.to_vec()),
                pin: Some(pin),
            };
        }
        Self {
            secret: Zeroizing::new(bytes.to_vec()),
            pin: None,
        }
    }

    /// The slot secret. Every caller must justify the exposure with an `// EXPOSE:` comment.
    pub(crate) fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// The version 2 bytes of `secret` with `pin`.
    pub(crate) fn encode(secret: &[u8], pin: Pin) -> KeyMaterial {
        let mut bytes = Vec::with_capacity(ENTRY_LEN);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(secret);
        bytes.extend_from_slice(&pin.commitment);
        bytes.extend_from_slice(&pin.generation.to_le_bytes());
        KeyMaterial::from_bytes(bytes)
    }
}

/// After a keychain unlock of the header with `generation`: refuses `key` unless the entry
/// `name` vouches for it. An entry without a pin is upgraded to vouch for it (see the module
/// doc: trust on first use). A failed upgrade is not an error: the next open tries again.
pub(crate) fn check_unlocked(
    store: &dyn KeyStore,
    name: &str,
    entry: &Entry,
    key: &SymmetricKey,
    vault_id: &[u8; VAULT_ID_LEN],
    generation: u64,
) -> Result<(), VaultError> {
    match entry.pin {
        None => {
            // Trust on first use: this entry predates pins, and nothing says which key it last
            // vouched for, so the key that opens the vault now is pinned from here on.
            let upgraded = Entry::encode(entry.secret(), Pin::of(key, vault_id, generation));
            let _ = store.store(name, &upgraded);
            Ok(())
        }
        Some(pin) if pin.matches(key, vault_id) => Ok(()),
        Some(pin) => recheck_fresh(store, name, pin, key, vault_id, generation),
    }
}

/// For a vault opened with its passphrase or recovery key: refuses `key` when the keychain has
/// an entry `name` whose pin vouches for another key. No entry, an entry without a pin, or a
/// keychain that does not answer cannot tell: the open stands.
pub(crate) fn check_opened(
    store: &dyn KeyStore,
    name: &str,
    key: &SymmetricKey,
    vault_id: &[u8; VAULT_ID_LEN],
    generation: u64,
) -> Result<(), VaultError> {
    let Ok(Some(stored)) = store.load(name) else {
        return Ok(());
    };
    match Entry::decode(&stored).pin {
        Some(pin) if !pin.matches(key, vault_id) => {
            recheck_fresh(store, name, pin, key, vault_id, generation)
        }
        _ => Ok(()),
    }
}

/// A pin that did not match may be a session cache's copy from before another process
/// re-keyed: the keychain itself decides.
fn recheck_fresh(
    store: &dyn KeyStore,
    name: &str,
    cached: Pin,
    key: &SymmetricKey,
    vault_id: &[u8; VAULT_ID_LEN],
    generation: u64,
) -> Result<(), VaultError> {
    let pin = match store.load_fresh(name)? {
        Some(stored) => Entry::decode(&stored).pin,
        None => Some(cached),
    };
    match pin {
        Some(pin) if !pin.matches(key, vault_id) => Err(refusal(generation, pin.generation)),
        _ => Ok(()),
    }
}

fn refusal(found: u64, pinned: u64) -> VaultError {
    if found < pinned {
        VaultError::VaultRolledBack { found, pinned }
    } else {
        VaultError::VaultReplaced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_version_1_reads_as_a_bare_secret() {
        let key = SymmetricKey::make().unwrap();
        let pin = Pin::of(&key, &[7; VAULT_ID_LEN], 42);
        let stored = Entry::encode(&[5; SECRET_LEN], pin);
        assert_eq!(stored.len(), ENTRY_LEN);
        let entry = Entry::decode(&stored);
        assert_eq!(entry.secret(), [5; SECRET_LEN]);
        assert_eq!(entry.pin, Some(pin));
        assert!(pin.matches(&key, &[7; VAULT_ID_LEN]));
        assert!(!pin.matches(&key, &[8; VAULT_ID_LEN]));
        assert!(!pin.matches(&SymmetricKey::make().unwrap(), &[7; VAULT_ID_LEN]));
        let legacy = Entry::decode(&KeyMaterial::from_bytes(vec![9; SECRET_LEN]));
        assert_eq!(legacy.secret(), [9; SECRET_LEN]);
        assert!(legacy.pin.is_none());
    }
}
