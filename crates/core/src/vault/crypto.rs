//! The one AEAD module: AES-256-GCM for the payload and for key wraps, plus the secret key types.
//!
//! Caveats, all handled here so no caller has to think about them:
//! - GCM is broken by nonce reuse under one key. Every [`seal`] draws a fresh random 96-bit
//!   nonce from the OS. With one vault key per re-key and at most a few million writes per key,
//!   the chance of a collision stays far below 2^-32 (NIST SP 800-38D §8.3 budget).
//! - The associated data (the file header) is authenticated, not encrypted: it holds nothing
//!   secret.
//! - Every failure to open is the same opaque [`CannotDecrypt`]: callers must not learn (or
//!   print) whether the tag, the key or the length was wrong.
//! - Plaintext only ever lives in [`SecretBuf`] (wiped on drop and on growth) and is encrypted
//!   in place, so no unencrypted copy reaches the disk or lingers in freed memory.

use std::fmt;
use std::io;

use aes_gcm::aead::AeadInOut;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// Bytes of an AES-256 key.
pub(crate) const KEY_LEN: usize = 32;
/// Bytes of a GCM nonce.
pub(crate) const NONCE_LEN: usize = 12;
/// Bytes of a GCM tag.
pub(crate) const TAG_LEN: usize = 16;
/// Bytes of a wrapped 256-bit key: ciphertext + tag (the nonce is stored beside it).
pub(crate) const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;

/// Decryption failed: wrong key, or the data or its header was changed. Deliberately opaque.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CannotDecrypt;

/// Sealing failed: the OS gave no random bytes (or the input exceeded GCM's 64 GiB limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CannotSeal;

/// Fills `N` bytes from the OS CSPRNG.
pub(crate) fn random_array<const N: usize>() -> Result<[u8; N], CannotSeal> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| CannotSeal)?;
    Ok(bytes)
}

/// A 256-bit symmetric key: the vault key or a slot's wrapping key. Boxed so moves never leave
/// copies on the stack; wiped on drop.
pub(crate) struct SymmetricKey(Box<Zeroizing<[u8; KEY_LEN]>>);

impl SymmetricKey {
    /// A fresh random key (`make_` = random, per the naming rules).
    pub(crate) fn make() -> Result<Self, CannotSeal> {
        let mut key = Box::new(Zeroizing::new([0u8; KEY_LEN]));
        getrandom::fill(key.as_mut_slice()).map_err(|_| CannotSeal)?;
        Ok(Self(key))
    }

    /// Builds a key from derived bytes; the caller's array is wiped.
    pub(crate) fn from_array(bytes: &mut [u8; KEY_LEN]) -> Self {
        let mut key = Box::new(Zeroizing::new([0u8; KEY_LEN]));
        key.copy_from_slice(bytes);
        bytes.zeroize();
        Self(key)
    }

    /// A commitment to this key: SHA-256 over a label, `context` (the vault id) and the key.
    /// Kept in the keychain entry so a keychain unlock can tell the key it unwrapped is the one
    /// Tessera last wrote: the key cannot be recovered from it, and no other key matches it.
    pub(crate) fn commitment(&self, context: &[u8]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(b"tessera vault key commitment v1");
        hasher.update(context);
        // EXPOSE: hashed into a one-way commitment; the bytes go nowhere else.
        hasher.update(self.0.as_slice());
        hasher.finalize().into()
    }

    fn cipher(&self) -> Aes256Gcm {
        // EXPOSE: keying the cipher; aes-gcm's `zeroize` feature wipes its key schedule on drop.
        let bytes: &[u8; KEY_LEN] = &self.0;
        Aes256Gcm::new(bytes.into())
    }
}

impl fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SymmetricKey(..)")
    }
}

/// A growable buffer for plaintext that wipes every allocation it lets go of (serde_json writes
/// through `io::Write`, and a plain `Vec` would free its old buffer unwiped when it grows).
pub(crate) struct SecretBuf(Vec<u8>);

impl SecretBuf {
    /// An empty buffer with room for `capacity` bytes (plus the GCM tag, so sealing never grows).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity.saturating_add(TAG_LEN)))
    }

    /// The bytes written so far.
    #[cfg(test)]
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.0
    }

    fn reserve_wiping(&mut self, additional: usize) {
        let needed = self.0.len().saturating_add(additional);
        if needed <= self.0.capacity() {
            return;
        }
        let new_capacity = needed.max(self.0.capacity().saturating_mul(2));
        let mut grown = Vec::with_capacity(new_capacity.saturating_add(TAG_LEN));
        grown.extend_from_slice(&self.0);
        self.0.zeroize();
        self.0 = grown;
    }
}

impl io::Write for SecretBuf {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.reserve_wiping(bytes.len());
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for SecretBuf {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Encrypts `plaintext` in place under `key` with a fresh random nonce, binding `aad`.
/// Returns `nonce || ciphertext || tag`; the plaintext buffer is consumed.
pub(crate) fn seal(
    key: &SymmetricKey,
    aad: &[u8],
    mut plaintext: SecretBuf,
) -> Result<Vec<u8>, CannotSeal> {
    let nonce_bytes: [u8; NONCE_LEN] = random_array()?;
    let nonce = Nonce::from(nonce_bytes);
    let tag = key
        .cipher()
        .encrypt_inout_detached(&nonce, aad, plaintext.0.as_mut_slice().into())
        // aes-gcm fails only for inputs over 64 GiB; a vault is orders of magnitude smaller.
        .map_err(|_| CannotSeal)?;
    let mut sealed = Vec::with_capacity(NONCE_LEN + plaintext.0.len() + TAG_LEN);
    sealed.extend_from_slice(&nonce_bytes);
    // After encryption the buffer holds ciphertext, safe to copy out.
    sealed.extend_from_slice(&plaintext.0);
    sealed.extend_from_slice(&tag);
    Ok(sealed)
}

/// Decrypts `nonce || ciphertext || tag` made by [`seal`] with the same `aad`.
pub(crate) fn open(
    key: &SymmetricKey,
    aad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CannotDecrypt> {
    let (nonce_bytes, rest) = sealed.split_at_checked(NONCE_LEN).ok_or(CannotDecrypt)?;
    let body_len = rest.len().checked_sub(TAG_LEN).ok_or(CannotDecrypt)?;
    let (ciphertext, tag_bytes) = rest.split_at(body_len);
    let nonce = Nonce::try_from(nonce_bytes).map_err(|_| CannotDecrypt)?;
    let tag = Tag::try_from(tag_bytes).map_err(|_| CannotDecrypt)?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    key.cipher()
        .decrypt_inout_detached(&nonce, aad, buffer.as_mut_slice().into(), &tag)
        .map_err(|_| CannotDecrypt)?;
    Ok(buffer)
}

/// [`open`] without a copy: decrypts the ciphertext inside `sealed` where it lies and returns
/// where the plaintext is. For large payloads read once (a glance at the vault), where a second
/// buffer of the payload's size costs more than the decryption. The caller wipes `sealed`.
pub(crate) fn open_in_place(
    key: &SymmetricKey,
    aad: &[u8],
    sealed: &mut [u8],
) -> Result<std::ops::Range<usize>, CannotDecrypt> {
    let (nonce_bytes, rest) = sealed
        .split_at_mut_checked(NONCE_LEN)
        .ok_or(CannotDecrypt)?;
    let body_len = rest.len().checked_sub(TAG_LEN).ok_or(CannotDecrypt)?;
    let (ciphertext, tag_bytes) = rest.split_at_mut(body_len);
    let nonce = Nonce::try_from(&*nonce_bytes).map_err(|_| CannotDecrypt)?;
    let tag = Tag::try_from(&*tag_bytes).map_err(|_| CannotDecrypt)?;
    key.cipher()
        .decrypt_inout_detached(&nonce, aad, ciphertext.into(), &tag)
        .map_err(|_| CannotDecrypt)?;
    Ok(NONCE_LEN..NONCE_LEN + body_len)
}

/// Wraps `key` under `wrapping_key` (AES-GCM key wrap, as Aegis does): `(nonce, wrapped)`.
pub(crate) fn wrap_key(
    wrapping_key: &SymmetricKey,
    aad: &[u8],
    key: &SymmetricKey,
) -> Result<([u8; NONCE_LEN], [u8; WRAPPED_LEN]), CannotSeal> {
    let mut buffer = SecretBuf::with_capacity(KEY_LEN);
    // EXPOSE: the key is encrypted in place right here; the buffer is wiped on drop.
    buffer.0.extend_from_slice(key.0.as_slice());
    let sealed = seal(wrapping_key, aad, buffer)?;
    let (nonce, wrapped) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CannotSeal)?;
    let wrapped: [u8; WRAPPED_LEN] = wrapped.try_into().map_err(|_| CannotSeal)?;
    Ok((nonce, wrapped))
}

/// Unwraps a key made by [`wrap_key`].
pub(crate) fn unwrap_key(
    wrapping_key: &SymmetricKey,
    aad: &[u8],
    nonce: &[u8; NONCE_LEN],
    wrapped: &[u8; WRAPPED_LEN],
) -> Result<SymmetricKey, CannotDecrypt> {
    let mut sealed = [0u8; NONCE_LEN + WRAPPED_LEN];
    sealed[..NONCE_LEN].copy_from_slice(nonce);
    sealed[NONCE_LEN..].copy_from_slice(wrapped);
    let plain = open(wrapping_key, aad, &sealed)?;
    let mut bytes: [u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| CannotDecrypt)?;
    Ok(SymmetricKey::from_array(&mut bytes))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    fn plaintext(bytes: &[u8]) -> SecretBuf {
        let mut buffer = SecretBuf::with_capacity(0);
        buffer.write_all(bytes).unwrap();
        buffer
    }

    #[test]
    fn debug_is_redacted() {
        let key = SymmetricKey::from_array(&mut [7u8; KEY_LEN]);
        assert_eq!(format!("{key:?}"), "SymmetricKey(..)");
    }

    #[test]
    fn from_array_wipes_the_source() {
        let mut source = [9u8; KEY_LEN];
        let _key = SymmetricKey::from_array(&mut source);
        assert_eq!(source, [0u8; KEY_LEN]);
    }

    #[test]
    fn nonces_are_fresh_per_seal() {
        let key = SymmetricKey::make().unwrap();
        let a = seal(&key, b"aad", plaintext(b"same")).unwrap();
        let b = seal(&key, b"aad", plaintext(b"same")).unwrap();
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
        assert_ne!(a, b);
    }

    #[test]
    fn wrong_key_or_aad_is_opaque_failure() {
        let key = SymmetricKey::make().unwrap();
        let other = SymmetricKey::make().unwrap();
        let sealed = seal(&key, b"header", plaintext(b"payload")).unwrap();
        assert_eq!(open(&other, b"header", &sealed), Err(CannotDecrypt));
        assert_eq!(open(&key, b"headex", &sealed), Err(CannotDecrypt));
        assert_eq!(open(&key, b"header", &sealed[..10]), Err(CannotDecrypt));
        assert_eq!(open(&key, b"header", &[]), Err(CannotDecrypt));
    }

    #[test]
    fn key_wrap_round_trip_and_wrong_key() {
        let wrapping = SymmetricKey::make().unwrap();
        let key = SymmetricKey::make().unwrap();
        let (nonce, wrapped) = wrap_key(&wrapping, b"slot", &key).unwrap();
        let back = unwrap_key(&wrapping, b"slot", &nonce, &wrapped).unwrap();
        assert_eq!(back.0.as_slice(), key.0.as_slice());
        let other = SymmetricKey::make().unwrap();
        assert!(unwrap_key(&other, b"slot", &nonce, &wrapped).is_err());
        assert!(unwrap_key(&wrapping, b"slox", &nonce, &wrapped).is_err());
    }

    #[test]
    fn secret_buf_growth_keeps_content() {
        let mut buffer = SecretBuf::with_capacity(1);
        for chunk in 0..100u8 {
            buffer.write_all(&[chunk; 10]).unwrap();
        }
        assert_eq!(buffer.as_slice().len(), 1000);
        assert_eq!(buffer.as_slice()[999], 99);
    }

    proptest! {
        #[test]
        fn open_seal_round_trip(data in proptest::collection::vec(any::<u8>(), 0..2048),
                                aad in proptest::collection::vec(any::<u8>(), 0..64)) {
            let key = SymmetricKey::make().unwrap();
            let sealed = seal(&key, &aad, plaintext(&data)).unwrap();
            prop_assert_eq!(sealed.len(), NONCE_LEN + data.len() + TAG_LEN);
            let opened = open(&key, &aad, &sealed).unwrap();
            prop_assert_eq!(opened.as_slice(), data.as_slice());
            let mut in_place = sealed.clone();
            let range = open_in_place(&key, &aad, &mut in_place).unwrap();
            prop_assert_eq!(&in_place[range], data.as_slice());
            if !sealed.is_empty() {
                let mut tampered = sealed.clone();
                let last = tampered.len() - 1;
                tampered[last] ^= 1;
                prop_assert!(open_in_place(&key, &aad, &mut tampered).is_err());
            }
        }
    }
}
