//! A short-lived copy of keychain secrets in the Linux kernel's session keyring, in front of
//! the OS keychain.
//!
//! Why: a `tessera code` run is over in about a millisecond, and asking the Secret Service for
//! the vault's keychain secret costs more than the rest of it together (a D-Bus connection,
//! `Hello`, `OpenSession`, `SearchItems`, `GetSecret`: ~1.5 ms). The kernel keyring answers in
//! microseconds. It is what `sudo`'s timestamp or gpg-agent's passphrase cache are to a shell:
//! after one look-up, the next runs in the same login session skip it for a while.
//!
//! What it means for security:
//! - The copy lives in kernel memory only (never on disk, never swapped), in the *session*
//!   keyring: only processes of this login session possess it. The key's permissions are the
//!   kernel's default for `add_key`, possessor-only read (other processes of the same user can
//!   see that it exists, not read it); [`tests`] checks that.
//! - It expires `ttl` seconds after the look-up that made it (a kernel timeout, so it expires
//!   even if no Tessera process runs again). A deletion through Tessera removes it at once.
//! - The copy holds the whole keychain entry: the slot secret and the pin beside it (the
//!   commitment to the vault key and the re-key generation, see `vault/keychain.rs`). When a
//!   pin does not match the vault, the vault asks [`KeyStore::load_fresh`], which reads the
//!   keychain past the copy: a re-key by another process is never taken for a rolled-back file.
//! - An entry deleted from the keychain *by another program* (Seahorse, `secret-tool clear`)
//!   still opens the vault from this session until the copy expires or `tessera lock` runs.
//!
//! Any failure of the kernel keyring (no keyctl in a container's seccomp profile, quota full)
//! makes the cache step aside: the inner store is asked as if there were no cache.

use super::{KeyMaterial, KeyStore, KeyStoreError};

/// How long a cached secret lives by default: gpg-agent's `default-cache-ttl`.
pub const DEFAULT_TTL_SECONDS: u32 = 600;

/// The longest secret [`SessionCache::keep`] reads back (a privacyIDEA session is about 1 KiB).
const MAX_KEPT_LEN: usize = 16 * 1024;

/// `inner` with a session-keyring copy of each secret it returns, for `ttl` seconds. Entries are
/// named `tessera:<scope>:<name>` so that keychain services (release, debug, tests) stay apart.
pub struct SessionCache<S> {
    inner: S,
    scope: String,
    ttl: u32,
}

impl<S: KeyStore> SessionCache<S> {
    /// `ttl` 0 turns the cache off: every call goes to `inner`.
    pub fn new(inner: S, scope: impl Into<String>, ttl: u32) -> Self {
        Self {
            inner,
            scope: scope.into(),
            ttl,
        }
    }

    /// The store behind the cache.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Drops every cached secret of this scope now (`tessera lock`). Returns how many were
    /// dropped.
    pub fn forget_all(&self) -> usize {
        kernel::forget_prefix(&self.description(""))
    }

    /// Keeps `secret` under `name` in the session keyring only, never in the keychain, for
    /// `ttl` seconds but never longer than this cache's own time (0 keeps nothing): what a
    /// short-lived sign-in elsewhere lives in between commands (`tessera account`). Returns
    /// whether it is kept. [`SessionCache::forget_all`] drops it with the rest.
    pub fn keep(&self, name: &str, secret: &KeyMaterial, ttl: u32) -> bool {
        let ttl = ttl.min(self.ttl);
        ttl > 0 && kernel::put(&self.description(name), secret, ttl)
    }

    /// What [`SessionCache::keep`] kept under `name`, while it lives.
    pub fn kept(&self, name: &str) -> Option<KeyMaterial> {
        if self.ttl == 0 {
            return None;
        }
        kernel::read_up_to(&self.description(name), MAX_KEPT_LEN)
    }

    /// Drops what [`SessionCache::keep`] kept under `name` (the server refused it, say).
    pub fn forget(&self, name: &str) {
        kernel::forget(&self.description(name));
    }

    fn description(&self, name: &str) -> String {
        format!("tessera:{}:{name}", self.scope)
    }
}

impl<S: KeyStore> KeyStore for SessionCache<S> {
    fn load(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        if self.ttl == 0 {
            return self.inner.load(name);
        }
        let description = self.description(name);
        if let Some(secret) = kernel::read(&description) {
            return Ok(Some(secret));
        }
        let loaded = self.inner.load(name)?;
        if let Some(secret) = &loaded {
            kernel::put(&description, secret, self.ttl);
        }
        Ok(loaded)
    }

    fn load_fresh(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        // Another process (the app re-keying) may have rewritten the entry since this session
        // copied it: drop the copy and read the keychain, which caches the new value.
        kernel::forget(&self.description(name));
        self.load(name)
    }

    fn store(&self, name: &str, secret: &KeyMaterial) -> Result<(), KeyStoreError> {
        // The next load reads the keychain back, which proves the new entry is really there.
        kernel::forget(&self.description(name));
        self.inner.store(name, secret)
    }

    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        kernel::forget(&self.description(name));
        self.inner.delete(name)
    }
}

#[cfg(target_os = "linux")]
mod kernel {
    use linux_keyutils::{Key, KeyRing, KeyRingIdentifier, KeyType};
    use zeroize::Zeroizing;

    use crate::keystore::KeyMaterial;

    /// Keychain secrets are 32 bytes; anything longer than this is not ours.
    const MAX_SECRET_LEN: usize = 256;

    fn session() -> Option<KeyRing> {
        // `create: false`: without a session keyring the kernel answers with the user-session
        // keyring, which is the right fallback (one per user, also possessor-only).
        KeyRing::from_special_id(KeyRingIdentifier::Session, false).ok()
    }

    pub(super) fn find(description: &str) -> Option<Key> {
        session()?.search(description).ok()
    }

    pub(super) fn read(description: &str) -> Option<KeyMaterial> {
        read_up_to(description, MAX_SECRET_LEN)
    }

    pub(super) fn read_up_to(description: &str, max: usize) -> Option<KeyMaterial> {
        let key = find(description)?;
        let mut buffer = Zeroizing::new(vec![0u8; max]);
        let len = key.read(&mut *buffer).ok()?;
        if len == 0 || len > max {
            return None;
        }
        Some(KeyMaterial::from_bytes(buffer[..len].to_vec()))
    }

    /// Whether the secret is now kept (with its timeout).
    pub(super) fn put(description: &str, secret: &KeyMaterial, ttl: u32) -> bool {
        let Some(ring) = session() else { return false };
        // EXPOSE: the secret goes into kernel memory, readable only by this session.
        let Ok(key) = ring.add_key(description, secret.expose_secret()) else {
            return false;
        };
        // The kernel has no add-with-timeout: a copy that cannot expire must not stay.
        if key.set_timeout(ttl as usize).is_err() {
            let _ = key.invalidate();
            return false;
        }
        true
    }

    pub(super) fn forget(description: &str) {
        if let Some(key) = find(description) {
            let _ = key.invalidate();
        }
    }

    pub(super) fn forget_prefix(prefix: &str) -> usize {
        let Some(links) = session().and_then(|ring| ring.get_links(4096).ok()) else {
            return 0;
        };
        let mut dropped = 0;
        for link in links.iter() {
            let Some(key) = link.as_key() else { continue };
            let ours = key.metadata().is_ok_and(|meta| {
                meta.get_type() == KeyType::User && meta.get_description().starts_with(prefix)
            });
            if ours && key.invalidate().is_ok() {
                dropped += 1;
            }
        }
        dropped
    }
}

/// Other systems have no kernel keyring: the cache is never hit.
#[cfg(not(target_os = "linux"))]
mod kernel {
    use crate::keystore::KeyMaterial;

    pub(super) fn read(_description: &str) -> Option<KeyMaterial> {
        None
    }
    pub(super) fn read_up_to(_description: &str, _max: usize) -> Option<KeyMaterial> {
        None
    }
    pub(super) fn put(_description: &str, _secret: &KeyMaterial, _ttl: u32) -> bool {
        false
    }
    pub(super) fn forget(_description: &str) {}
    pub(super) fn forget_prefix(_prefix: &str) -> usize {
        0
    }
}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use super::*;
    use crate::keystore::MemoryKeyStore;

    /// The kernel keyring is a real, shared part of this machine: each test takes its own
    /// scope and leaves nothing behind.
    fn cache(ttl: u32) -> SessionCache<MemoryKeyStore> {
        let scope = format!("test-{}", uuid::Uuid::new_v4());
        SessionCache::new(MemoryKeyStore::new(), scope, ttl)
    }

    fn secret(byte: u8) -> KeyMaterial {
        KeyMaterial::from_bytes(vec![byte; 32])
    }

    fn kernel_keyring_works() -> bool {
        let cache = cache(5);
        let inner = cache.inner();
        inner.store("probe", &secret(1)).unwrap();
        cache.load("probe").unwrap();
        inner.delete("probe").unwrap();
        let works = cache.load("probe").unwrap().is_some();
        cache.forget_all();
        tessera_testkit::real::needs(
            "a kernel keyring test",
            works,
            "a usable kernel session keyring (seccomp may forbid keyctl)",
        )
    }

    #[test]
    fn a_loaded_secret_is_served_from_the_kernel_until_forgotten() {
        if !kernel_keyring_works() {
            return;
        }
        let cache = cache(60);
        let inner = cache.inner();
        inner.store("vault a", &secret(7)).unwrap();
        assert_eq!(
            cache.load("vault a").unwrap().unwrap().expose_secret(),
            [7; 32]
        );
        // Deleted behind the cache's back (another program): still served, by design.
        inner.delete("vault a").unwrap();
        assert_eq!(
            cache.load("vault a").unwrap().unwrap().expose_secret(),
            [7; 32]
        );
        assert_eq!(cache.forget_all(), 1);
        assert!(cache.load("vault a").unwrap().is_none());
    }

    #[test]
    fn store_and_delete_through_the_cache_drop_the_copy() {
        if !kernel_keyring_works() {
            return;
        }
        let cache = cache(60);
        let inner = cache.inner();
        cache.store("vault b", &secret(1)).unwrap();
        assert_eq!(
            cache.load("vault b").unwrap().unwrap().expose_secret(),
            [1; 32]
        );
        cache.store("vault b", &secret(2)).unwrap();
        assert_eq!(
            cache.load("vault b").unwrap().unwrap().expose_secret(),
            [2; 32]
        );
        cache.delete("vault b").unwrap();
        assert!(inner.load("vault b").unwrap().is_none());
        assert!(cache.load("vault b").unwrap().is_none());
    }

    #[test]
    fn scopes_do_not_see_each_other() {
        if !kernel_keyring_works() {
            return;
        }
        let first = cache(60);
        let second = cache(60);
        let first_inner = first.inner();
        first_inner.store("vault c", &secret(3)).unwrap();
        first.load("vault c").unwrap();
        assert!(second.load("vault c").unwrap().is_none());
        assert_eq!(second.forget_all(), 0);
        assert_eq!(first.forget_all(), 1);
    }

    #[test]
    fn a_kept_secret_lives_in_the_kernel_only_and_goes_with_forget_all() {
        if !kernel_keyring_works() {
            return;
        }
        let cache = cache(60);
        // Longer than a keychain secret (a signed-in session).
        let long = KeyMaterial::from_bytes(vec![9; 1500]);
        assert!(cache.keep("sign-in", &long, 300));
        assert!(
            cache.inner().load("sign-in").unwrap().is_none(),
            "not in the keychain"
        );
        assert_eq!(
            cache.kept("sign-in").unwrap().expose_secret(),
            long.expose_secret()
        );
        let key = kernel::find(&cache.description("sign-in")).unwrap();
        let perms = key.metadata().unwrap().get_perms().bits();
        assert_eq!(
            perms & 0x0002_0202,
            0,
            "only the possessor reads: {perms:#010x}"
        );
        cache.forget("sign-in");
        assert!(cache.kept("sign-in").is_none());
        assert!(cache.keep("sign-in", &long, 300));
        assert_eq!(cache.forget_all(), 1);
        assert!(cache.kept("sign-in").is_none());
        // Never longer than the cache's own time; a cache that is off keeps nothing.
        let short = super::SessionCache::new(MemoryKeyStore::new(), cache.scope.clone(), 1);
        assert!(short.keep("brief", &long, 300));
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert!(short.kept("brief").is_none());
        let off = super::SessionCache::new(MemoryKeyStore::new(), cache.scope.clone(), 0);
        assert!(!off.keep("never", &long, 300));
        assert!(off.kept("never").is_none());
    }

    #[test]
    fn ttl_zero_never_caches() {
        let cache = cache(0);
        let inner = cache.inner();
        inner.store("vault d", &secret(4)).unwrap();
        cache.load("vault d").unwrap();
        inner.delete("vault d").unwrap();
        assert!(cache.load("vault d").unwrap().is_none());
    }

    #[test]
    fn the_copy_expires_and_only_this_session_may_read_it() {
        if !kernel_keyring_works() {
            return;
        }
        let cache = cache(1);
        let inner = cache.inner();
        inner.store("vault e", &secret(5)).unwrap();
        cache.load("vault e").unwrap();
        let key = kernel::find(&cache.description("vault e")).unwrap();
        let perms = key.metadata().unwrap().get_perms().bits();
        // Byte layout: possessor, user, group, other. Only the possessor may read (0x02).
        assert_ne!(perms >> 24 & 0x02, 0, "possessor reads: {perms:#010x}");
        assert_eq!(
            perms & 0x00ff_ffff & 0x0002_0202,
            0,
            "nobody else reads: {perms:#010x}"
        );
        inner.delete("vault e").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert!(cache.load("vault e").unwrap().is_none());
    }
}
