//! Where the vault's keychain slot secret lives: the OS keychain behind a small trait.
//!
//! [`OsKeyStore`] uses the `keyring` crate (macOS Keychain, Windows Credential Manager, Secret
//! Service on Linux). [`MemoryKeyStore`] is an in-process fake for tests and for callers that
//! want no keychain at all. keyring's own mock keeps values per `Entry` object only, so it cannot
//! stand in for a store that a second `Entry` reads back.
//!
//! A missing entry is `Ok(None)`, not an error: "never stored" and "deleted by the user" are
//! normal states the vault turns into "open with your recovery key or passphrase".

mod session_cache;

pub use session_cache::{DEFAULT_TTL_SECONDS as SESSION_CACHE_TTL_SECONDS, SessionCache};

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use zeroize::Zeroizing;

/// Secret bytes read from or written to a key store. Wiped on drop, redacted in `Debug`.
pub struct KeyMaterial(Zeroizing<Vec<u8>>);

impl KeyMaterial {
    /// Takes ownership of the bytes (no copy is left behind by this call).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The raw bytes. Every caller must justify the exposure with an `// EXPOSE:` comment.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes (metadata only).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no bytes are held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyMaterial(len={})", self.0.len())
    }
}

/// Why a key store could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyStoreError {
    /// The store exists but refused or failed (locked keychain, no Secret Service, headless
    /// session, platform error).
    #[error(
        "the system keychain is not available ({reason}); open the vault with your recovery key \
         or passphrase"
    )]
    Unavailable {
        /// The platform's explanation (never contains secret bytes).
        reason: String,
    },
    /// The store answered but the entry could not be used (ambiguous or invalid entry).
    #[error(
        "the system keychain entry cannot be used ({reason}); open the vault with your recovery key or passphrase and bind the keychain again"
    )]
    BadEntry {
        /// What was wrong (never contains secret bytes).
        reason: String,
    },
}

crate::error_codes!(pub KeyStoreError {
    BadEntry => "keychain_bad_entry",
    Unavailable => "keychain_unavailable",
});

/// A place that keeps small secrets by name.
pub trait KeyStore {
    /// The secret stored under `name`, or `Ok(None)` when there is none.
    fn load(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError>;
    /// [`KeyStore::load`] from the store itself, past any cache in front of it: what a caller
    /// asks when a cached copy may predate another process's change to the entry.
    fn load_fresh(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        self.load(name)
    }
    /// Stores (or replaces) the secret under `name`.
    fn store(&self, name: &str, secret: &KeyMaterial) -> Result<(), KeyStoreError>;
    /// Removes `name`; removing a missing entry succeeds.
    fn delete(&self, name: &str) -> Result<(), KeyStoreError>;
}

impl fmt::Debug for dyn KeyStore + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyStore")
    }
}

/// The OS keychain, with every entry under one service name.
#[derive(Debug, Clone)]
pub struct OsKeyStore {
    service: String,
}

impl OsKeyStore {
    /// The service name release builds use.
    pub const RELEASE_SERVICE: &'static str = "tessera";
    /// The service name debug builds use, so a development build never touches (or deletes) the
    /// entries of the installed app.
    pub const DEBUG_SERVICE: &'static str = "tessera-dev";

    /// The store for this build kind: [`Self::RELEASE_SERVICE`] or [`Self::DEBUG_SERVICE`].
    pub fn for_this_build() -> Self {
        let service = if cfg!(debug_assertions) {
            Self::DEBUG_SERVICE
        } else {
            Self::RELEASE_SERVICE
        };
        Self::with_service(service)
    }

    /// A store under a custom service name (tests use a unique one per run).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The service name entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, KeyStoreError> {
        keyring::Entry::new(&self.service, name).map_err(map_keyring_error)
    }
}

impl KeyStore for OsKeyStore {
    fn load(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        match self.entry(name)?.get_secret() {
            Ok(bytes) => Ok(Some(KeyMaterial::from_bytes(bytes))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(other) => Err(map_keyring_error(other)),
        }
    }

    fn store(&self, name: &str, secret: &KeyMaterial) -> Result<(), KeyStoreError> {
        // EXPOSE: handing the wrapping secret to the OS keychain is this type's whole job.
        self.entry(name)?
            .set_secret(secret.expose_secret())
            .map_err(map_keyring_error)
    }

    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(map_keyring_error(other)),
        }
    }
}

/// Maps keyring errors without ever formatting payload-carrying variants (`BadEncoding` holds
/// the secret bytes; `Ambiguous` holds credentials).
fn map_keyring_error(error: keyring::Error) -> KeyStoreError {
    match error {
        keyring::Error::PlatformFailure(cause) | keyring::Error::NoStorageAccess(cause) => {
            KeyStoreError::Unavailable {
                reason: cause.to_string(),
            }
        }
        keyring::Error::NoEntry => KeyStoreError::BadEntry {
            reason: "entry missing".into(),
        },
        keyring::Error::BadEncoding(_) => KeyStoreError::BadEntry {
            reason: "stored value has an unexpected encoding".into(),
        },
        keyring::Error::Ambiguous(_) => KeyStoreError::BadEntry {
            reason: "more than one matching entry".into(),
        },
        keyring::Error::TooLong(attribute, _) | keyring::Error::Invalid(attribute, _) => {
            KeyStoreError::BadEntry {
                reason: format!("invalid attribute {attribute}"),
            }
        }
        _ => KeyStoreError::Unavailable {
            reason: "unknown keychain error".into(),
        },
    }
}

/// An in-process key store: for tests, and a stand-in that behaves like an unavailable or
/// emptied keychain on demand.
#[derive(Default)]
pub struct MemoryKeyStore {
    entries: Mutex<HashMap<String, KeyMaterial>>,
    unavailable: Mutex<bool>,
}

impl MemoryKeyStore {
    /// An empty, available store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every later call fail with [`KeyStoreError::Unavailable`] (a locked or missing
    /// keychain), or work again.
    pub fn set_unavailable(&self, unavailable: bool) {
        *self
            .unavailable
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = unavailable;
    }

    /// Number of stored entries (metadata only).
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether the store holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check_available(&self) -> Result<(), KeyStoreError> {
        if *self
            .unavailable
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
        {
            return Err(KeyStoreError::Unavailable {
                reason: "memory key store switched off".into(),
            });
        }
        Ok(())
    }
}

impl fmt::Debug for MemoryKeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemoryKeyStore(entries={})", self.len())
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        self.check_available()?;
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // EXPOSE: a load hands the caller its own copy, as a real keychain does.
        Ok(entries
            .get(name)
            .map(|secret| KeyMaterial::from_bytes(secret.expose_secret().to_vec())))
    }

    fn store(&self, name: &str, secret: &KeyMaterial) -> Result<(), KeyStoreError> {
        self.check_available()?;
        // EXPOSE: the store keeps its own copy, as a real keychain does.
        let copy = KeyMaterial::from_bytes(secret.expose_secret().to_vec());
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_owned(), copy);
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        self.check_available()?;
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = KeyMaterial::from_bytes(b"super-secret-bytes".to_vec());
        assert_eq!(format!("{secret:?}"), "KeyMaterial(len=18)");
        let store = MemoryKeyStore::new();
        store.store("a", &secret).unwrap();
        assert_eq!(format!("{store:?}"), "MemoryKeyStore(entries=1)");
    }

    #[test]
    fn memory_store_round_trip_and_missing_is_none() {
        let store = MemoryKeyStore::new();
        assert!(store.load("x").unwrap().is_none());
        store
            .store("x", &KeyMaterial::from_bytes(vec![1, 2, 3]))
            .unwrap();
        assert_eq!(
            store.load("x").unwrap().unwrap().expose_secret(),
            &[1, 2, 3]
        );
        store.delete("x").unwrap();
        store.delete("x").unwrap();
        assert!(store.load("x").unwrap().is_none());
    }

    #[test]
    fn unavailable_store_fails_every_call() {
        let store = MemoryKeyStore::new();
        store.set_unavailable(true);
        let error = store.load("x").unwrap_err();
        assert_eq!(error.code(), "keychain_unavailable");
        assert!(error.to_string().contains("recovery key"));
        assert!(store.store("x", &KeyMaterial::from_bytes(vec![1])).is_err());
        store.set_unavailable(false);
        assert!(store.load("x").unwrap().is_none());
    }

    #[test]
    fn bad_encoding_error_never_shows_bytes() {
        let error = map_keyring_error(keyring::Error::BadEncoding(b"hunter2".to_vec()));
        assert!(!error.to_string().contains("hunter2"));
        assert_eq!(error.code(), "keychain_bad_entry");
    }

    #[test]
    fn build_kind_namespaces_the_service() {
        let service = OsKeyStore::for_this_build();
        assert!(service.service().starts_with("tessera"));
        assert_ne!(OsKeyStore::RELEASE_SERVICE, OsKeyStore::DEBUG_SERVICE);
    }
}
