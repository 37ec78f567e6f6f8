//! The push key store: push tokens (with their device keys) and the activity log in a file of
//! their own beside the vault, so sign-in prompts arrive while the vault is locked.
//!
//! # Why a second file, and what it protects
//! A push prompt must reach the user whenever Tessera runs: window hidden, vault locked after
//! `auto_lock_secs`. Polling needs the device keys, and nothing else. Keeping them in the vault
//! would mean keeping the whole vault open (every account secret in memory and usable) just to
//! poll. So the device keys move into their own store, sealed the same way as the vault (the
//! same file format: AES-256-GCM, atomic writes, a writer lock) but under a key of its own:
//!
//! - **Its own keychain entry** opens it at login without the user and without the vault, as
//!   the vault's keychain slot does. Only a store whose vault is itself bound to the keychain
//!   gets one: a user who kept the vault out of the keychain keeps the push keys out too (the
//!   store then opens at the first unlock of the session and stays open until Tessera quits).
//! - **The vault holds the store's recovery key** (secret `push-store/recovery`), so whoever
//!   can unlock the vault (keychain, passphrase or the user's recovery key) can open the store
//!   and re-bind its keychain entry; a lost keychain does not lose the push tokens.
//!
//! What the background then holds is a device key that can sign polls and answers for this
//! device. Answering is gated by the shells, not by the store: every approve goes through the
//! verification rules (issue 15: locked vault, the token's policy, the user's setting), and
//! the vault's account secrets stay wiped while it is locked.
//!
//! # Moving tokens out of the vault
//! Tessera versions before the push store kept tokens in the vault's `push` and `activity`
//! sections. [`PushStore::open_from_vault`] moves them: the store is written first, then one
//! vault write saves the store's recovery key and removes the sections. A crash in between
//! leaves the tokens in both places; the next open copies again (same ids replace) and
//! finishes the move, so no token is lost or duplicated.

use std::path::{Path, PathBuf};

use tessera_core::keystore::KeyStore;
use tessera_core::vault::{Protection, RecoveryKey, VaultData};
use tessera_core::{OtpSecret, UnixTime, Unlock, Vault, VaultError};
use zeroize::Zeroizing;

use crate::PushError;
use crate::store::{ACTIVITY_SECTION, PUSH_SECTION, device_key_names};

/// Name of the vault secret that holds the push store's recovery key (its display text).
pub const RECOVERY_SECRET: &str = "push-store/recovery";

/// Why the push store could not be opened or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushStoreError {
    /// No push store yet: it is made the first time the vault is unlocked.
    #[error("no push key store yet: unlock the vault once")]
    Missing,
    /// The keychain cannot open it (no keychain slot, or the entry is gone): unlocking the
    /// vault opens it and re-binds it.
    #[error("the push key store opens only with the vault now: unlock the vault")]
    NeedsVault(#[source] VaultError),
    /// Reading or writing the store failed (I/O, damaged file, disk full, ...).
    #[error("the push key store cannot be used: {0}")]
    Vault(#[from] VaultError),
    /// The tokens inside could not be read or written.
    #[error(transparent)]
    Token(#[from] PushError),
}

tessera_core::error_codes!(pub PushStoreError {
    Missing => "push_store_missing",
    NeedsVault => "push_store_needs_vault",
} nested {
    Vault(VaultError),
    Token(PushError),
});

/// The open push key store. Dropping it wipes its key and the device keys.
#[derive(Debug)]
pub struct PushStore {
    vault: Vault,
}

impl PushStore {
    /// Where the push store of the vault at `vault_path` lives: beside it, `<name>.push`.
    pub fn path_beside(vault_path: &Path) -> PathBuf {
        let mut name = vault_path.file_name().unwrap_or_default().to_os_string();
        name.push(".push");
        vault_path.with_file_name(name)
    }

    /// Opens the store of the vault at `vault_path` through its keychain entry, without the
    /// vault and without asking the user (what Tessera does at login to start polling).
    pub fn open_with_keychain(
        vault_path: &Path,
        keychain: &dyn KeyStore,
    ) -> Result<Self, PushStoreError> {
        let path = Self::path_beside(vault_path);
        match Vault::open(&path, Unlock::Keychain(keychain)) {
            Ok(vault) => Ok(Self { vault }),
            Err(VaultError::NotFound { .. }) => Err(PushStoreError::Missing),
            Err(error) if error.needs_other_unlock() => Err(PushStoreError::NeedsVault(error)),
            // A store file the keychain's pin refuses (put back, or forged from the header's
            // public keys): the vault decides what happens to it (`open_from_vault`).
            Err(error @ (VaultError::VaultReplaced | VaultError::VaultRolledBack { .. })) => {
                Err(PushStoreError::NeedsVault(error))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Opens the store of the unlocked `vault` (making it the first time, and moving push
    /// tokens still kept in the vault into it). `keychain` binds the store when the vault is
    /// bound to it, and re-binds a store whose keychain entry was lost.
    pub fn open_from_vault(
        vault: &mut Vault,
        keychain: Option<&dyn KeyStore>,
        now: UnixTime,
    ) -> Result<Self, PushStoreError> {
        let path = Self::path_beside(vault.path());
        let keychain = keychain.filter(|_| vault.has_keychain_slot());
        let existing = match held_recovery_key(vault.data()) {
            Some(recovery) => match Vault::open(&path, Unlock::RecoveryKey(&recovery)) {
                // The recovery slot wraps to a public key too, so a forged store may open with
                // it: the store's keychain pin, when there is one, says whether it is ours. A
                // refused store is set aside (not deleted) and a new one made.
                Ok(store) => match keychain.map(|keychain| store.check_keychain(keychain)) {
                    Some(Err(VaultError::VaultReplaced | VaultError::VaultRolledBack { .. })) => {
                        drop(store);
                        set_aside(&path);
                        None
                    }
                    _ => Some(store),
                },
                Err(VaultError::NotFound { .. }) => None,
                // Made for another vault (a vault file copied in from elsewhere): unreadable
                // with what this vault holds, so it is moved aside and a new one is made.
                Err(VaultError::WrongRecoveryKey) => {
                    set_aside(&path);
                    None
                }
                Err(error) => return Err(error.into()),
            },
            None if !path.exists() => None,
            None => match keychain
                .map(|keychain| (keychain, Vault::open(&path, Unlock::Keychain(keychain))))
            {
                // Made just before a crash, before its recovery key reached the vault.
                Some((keychain, Ok(mut store))) => {
                    let recovery = store.rotate_recovery_key(keychain)?;
                    save_recovery_key(vault, &recovery)?;
                    Some(store)
                }
                // The keychain did not answer: try again later rather than lose the store.
                Some((_, Err(error @ VaultError::Keychain(_)))) => return Err(error.into()),
                // Nothing this vault holds opens it.
                _ => {
                    set_aside(&path);
                    None
                }
            },
        };
        let made = existing.is_none();
        let mut store = match existing {
            Some(store) => store,
            None => {
                let protection = Protection {
                    keychain,
                    passphrase: None,
                };
                let (store, recovery) = Vault::create(&path, protection, now)?;
                save_recovery_key(vault, &recovery)?;
                store
            }
        };
        if !made && let Some(keychain) = keychain {
            rebind_if_lost(&mut store, keychain);
        }
        move_out_of_vault(vault, &mut store)?;
        Ok(Self { vault: store })
    }

    /// The store's content: the `push` and `activity` sections and the device keys, read with
    /// [`crate::store`]'s functions.
    pub fn data(&self) -> &VaultData {
        self.vault.data()
    }

    /// Changes the store in one atomic write (see [`Vault::update`]).
    pub fn update<T, E>(
        &mut self,
        change: impl FnOnce(&mut VaultData) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<VaultError>,
    {
        self.vault.update(change)
    }

    /// Picks up another process's writes (the CLI enrolling a token); `true` when it changed.
    pub fn reload_if_changed(&mut self) -> Result<bool, PushStoreError> {
        Ok(self.vault.reload_if_changed()?)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        self.vault.path()
    }
}

fn held_recovery_key(data: &VaultData) -> Option<RecoveryKey> {
    let secret = data.secret(RECOVERY_SECRET)?;
    // EXPOSE: the store's recovery key text is parsed from the vault's wiping buffer.
    let text = std::str::from_utf8(secret.expose_secret()).ok()?;
    RecoveryKey::parse(text).ok()
}

fn save_recovery_key(vault: &mut Vault, recovery: &RecoveryKey) -> Result<(), VaultError> {
    let text = recovery.to_display_text();
    vault.update(|data| {
        data.set_secret(
            RECOVERY_SECRET,
            Some(OtpSecret::from_slice(text.as_bytes())),
        );
        Ok::<_, VaultError>(())
    })
}

/// A keychain entry of the store that no longer opens it is replaced (best effort: the store is
/// open either way, and the next unlock tries again).
fn rebind_if_lost(store: &mut Vault, keychain: &dyn KeyStore) {
    let lost = match Vault::open(store.path(), Unlock::Keychain(keychain)) {
        Ok(_) => false,
        Err(error) => error.needs_other_unlock(),
    };
    if lost {
        let _ = store.rebind_keychain(keychain);
    }
}

/// Moves the `push` and `activity` sections and the device keys from the vault into the store:
/// the store is written first, then the vault drops them (see the module doc).
fn move_out_of_vault(vault: &mut Vault, store: &mut Vault) -> Result<(), PushStoreError> {
    let Some(push) = vault.data().section(PUSH_SECTION).cloned() else {
        return Ok(());
    };
    let activity = vault.data().section(ACTIVITY_SECTION).cloned();
    let names = device_key_names(vault.data())?;
    let keys: Vec<(String, Zeroizing<Vec<u8>>)> = names
        .into_iter()
        .filter_map(|name| {
            let secret = vault.data().secret(&name)?;
            // EXPOSE: copied from one wiping buffer to another, into the store's secrets.
            Some((name, Zeroizing::new(secret.expose_secret().to_vec())))
        })
        .collect();
    store.update(|data| {
        crate::store::merge_tokens(data, &push)?;
        if let Some(activity) = &activity {
            crate::store::merge_activity(data, activity);
        }
        for (name, key) in &keys {
            data.set_secret(name, Some(OtpSecret::from_slice(key)));
        }
        Ok::<_, PushStoreError>(())
    })?;
    vault.update(|data| {
        data.remove_section(PUSH_SECTION);
        data.remove_section(ACTIVITY_SECTION);
        for (name, _) in &keys {
            data.set_secret(name, None);
        }
        Ok::<_, VaultError>(())
    })?;
    Ok(())
}

/// Moves a store that nothing this vault holds can open aside (`<name>.foreign-N`) so a new one
/// can be made; the old file stays for the user or support to look at, never deleted.
fn set_aside(path: &Path) {
    for n in 1..1000 {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".foreign-{n}"));
        let target = path.with_file_name(name);
        if !target.exists() {
            let _ = std::fs::rename(path, target);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::keystore::MemoryKeyStore;

    use super::*;
    use crate::protocol::{DeviceKey, EnrollmentUri, KeySize};
    use crate::store::{load_activity, load_tokens, save_token};
    use crate::{ActivityEntry, PushToken};

    const NOW: UnixTime = UnixTime(1_795_946_800);

    fn token(serial: &str) -> PushToken {
        let link = format!(
            "otpauth://pipush/{serial}?v=1&serial={serial}&enrollment_credential=c&url=https://pi.example/ttype/push"
        );
        PushToken::new(
            &EnrollmentUri::parse(&link).unwrap(),
            DeviceKey::make(KeySize::Rsa2048).unwrap(),
            crate::protocol::tests::vector_server_key(),
            NOW,
        )
    }

    fn vault(dir: &Path, keychain: Option<&dyn KeyStore>) -> (Vault, RecoveryKey) {
        let protection = Protection {
            keychain,
            passphrase: None,
        };
        Vault::create(&dir.join("vault.tessera"), protection, NOW).unwrap()
    }

    #[test]
    fn made_at_first_unlock_then_opened_by_the_keychain_without_the_vault() {
        let dir = tempfile::tempdir().unwrap();
        let keychain = MemoryKeyStore::new();
        let (mut vault, _) = vault(dir.path(), Some(&keychain));
        assert!(matches!(
            PushStore::open_with_keychain(vault.path(), &keychain),
            Err(PushStoreError::Missing)
        ));
        let mut store = PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).unwrap();
        assert_eq!(store.path(), dir.path().join("vault.tessera.push"));
        let enrolled = token("PIPU1");
        store
            .update(|data| save_token(data, &enrolled).map_err(PushStoreError::from))
            .unwrap();
        let vault_path = vault.path().to_owned();
        drop((store, vault));
        // At the next login: no vault, the keychain alone opens the store, and the device key
        // signs as before.
        let store = PushStore::open_with_keychain(&vault_path, &keychain).unwrap();
        let tokens = load_tokens(store.data()).unwrap();
        assert_eq!(
            tokens[0].device_key().sign_b32("x"),
            enrolled.device_key().sign_b32("x")
        );
        // The vault holds the store's recovery key, and no push key.
        let vault = Vault::open(&vault_path, Unlock::Keychain(&keychain)).unwrap();
        assert!(vault.data().secret(RECOVERY_SECRET).is_some());
        assert!(
            vault
                .data()
                .secret(&format!("push/{}", enrolled.id()))
                .is_none()
        );
    }

    #[test]
    fn tokens_kept_in_the_vault_move_to_the_store_once_even_after_a_crash_midway() {
        let dir = tempfile::tempdir().unwrap();
        let keychain = MemoryKeyStore::new();
        let (mut vault, _) = vault(dir.path(), Some(&keychain));
        let old = token("PIPU1");
        let entry = ActivityEntry::new(
            NOW,
            &old,
            "NONCE1",
            "title",
            "question",
            crate::store::ActivityDecision::Approved,
            crate::Outcome::Accepted,
        );
        vault
            .update(|data| {
                save_token(data, &old)?;
                crate::store::append_activity(data, &entry).map_err(PushStoreError::from)
            })
            .unwrap();
        // A crash after the store was written but before the vault dropped the tokens: both
        // hold them. Reproduced by copying by hand, as the first half of the move does.
        let path = PushStore::path_beside(vault.path());
        let (mut half, recovery) = Vault::create(&path, Protection::default(), NOW).unwrap();
        half.update(|data| save_token(data, &old).map_err(PushStoreError::from))
            .unwrap();
        save_recovery_key(&mut vault, &recovery).unwrap();
        drop(half);

        let store = PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).unwrap();
        let tokens = load_tokens(store.data()).unwrap();
        assert_eq!(tokens.len(), 1, "no duplicate");
        assert_eq!(
            tokens[0].device_key().sign_b32("x"),
            old.device_key().sign_b32("x")
        );
        assert_eq!(load_activity(store.data()), std::slice::from_ref(&entry));
        assert!(vault.data().section(PUSH_SECTION).is_none());
        assert!(vault.data().section(ACTIVITY_SECTION).is_none());
        assert!(vault.data().secret(&format!("push/{}", old.id())).is_none());
        // Reopened: nothing moves twice.
        drop(store);
        let store = PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).unwrap();
        assert_eq!(load_tokens(store.data()).unwrap().len(), 1);
        assert_eq!(load_activity(store.data()).len(), 1);
    }

    #[test]
    fn a_vault_kept_out_of_the_keychain_keeps_the_push_keys_out_too() {
        let dir = tempfile::tempdir().unwrap();
        let keychain = MemoryKeyStore::new();
        let (mut vault, _) = vault(dir.path(), None);
        let store = PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).unwrap();
        drop(store);
        assert!(keychain.is_empty(), "nothing bound silently");
        assert!(matches!(
            PushStore::open_with_keychain(vault.path(), &keychain),
            Err(PushStoreError::NeedsVault(_))
        ));
        assert!(PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).is_ok());
    }

    #[test]
    fn a_lost_keychain_entry_is_rebound_after_the_vault_opens_another_way() {
        let dir = tempfile::tempdir().unwrap();
        let keychain = MemoryKeyStore::new();
        let (mut vault, recovery) = vault(dir.path(), Some(&keychain));
        PushStore::open_from_vault(&mut vault, Some(&keychain), NOW)
            .unwrap()
            .update(|data| save_token(data, &token("PIPU1")).map_err(PushStoreError::from))
            .unwrap();
        let vault_path = vault.path().to_owned();
        drop(vault);
        // The store's entry is gone from the keychain (the vault's is kept).
        let store_entries =
            tessera_core::vault::keychain_entry_names(&PushStore::path_beside(&vault_path))
                .unwrap();
        for name in &store_entries {
            keychain.delete(name).unwrap();
        }
        assert!(matches!(
            PushStore::open_with_keychain(&vault_path, &keychain),
            Err(PushStoreError::NeedsVault(_))
        ));
        // The user unlocks with the recovery key: the store opens through the vault and is
        // bound again, so the next login polls without the vault.
        let mut vault = Vault::open(&vault_path, Unlock::RecoveryKey(&recovery)).unwrap();
        let store = PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).unwrap();
        assert_eq!(load_tokens(store.data()).unwrap().len(), 1);
        drop(store);
        let store = PushStore::open_with_keychain(&vault_path, &keychain).unwrap();
        assert_eq!(load_tokens(store.data()).unwrap().len(), 1);
    }

    #[test]
    fn a_store_of_another_vault_is_set_aside_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let keychain = MemoryKeyStore::new();
        let (mut vault, _) = vault(dir.path(), Some(&keychain));
        let path = PushStore::path_beside(vault.path());
        // A store of some other vault sits where ours goes.
        let other = MemoryKeyStore::new();
        let protection = Protection {
            keychain: Some(&other),
            passphrase: None,
        };
        drop(Vault::create(&path, protection, NOW).unwrap());
        let foreign = std::fs::read(&path).unwrap();
        let store = PushStore::open_from_vault(&mut vault, Some(&keychain), NOW).unwrap();
        assert!(load_tokens(store.data()).unwrap().is_empty());
        let aside = dir.path().join("vault.tessera.push.foreign-1");
        assert_eq!(std::fs::read(aside).unwrap(), foreign);
    }
}
