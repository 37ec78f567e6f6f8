//! Key slots: each one wraps the vault key for one way of unlocking (keychain, recovery key,
//! passphrase).
//!
//! Why slots wrap to an X25519 public key instead of a symmetric wrapping key (as Aegis does):
//! re-keying (new passphrase, new recovery key) needs a fresh vault key wrapped for *every*
//! slot, yet the user proves only one secret at a time. With a public "recipient" key stored in
//! each slot, the vault can wrap a new key for the recovery slot without the recovery key, and
//! for the keychain slot without the keychain. Each wrap is ECIES-style:
//!
//! 1. a fresh ephemeral X25519 key pair; `shared = X25519(ephemeral, recipient)`;
//! 2. `wrapping_key = HKDF-SHA256(salt = ephemeral_pub || recipient_pub, ikm = shared,
//!    info = "tessera vault slot v1" || context)`;
//! 3. the vault key is AES-256-GCM-wrapped under it (nonce stored), AAD = context.
//!
//! `context` is the vault id and slot kind, so a slot cannot be moved to another vault or kind.
//! The recipient's secret key comes from the slot's secret by HKDF-SHA256 (keychain bytes,
//! recovery key) or Argon2id then HKDF (passphrase), see [`derive_recipient`].

use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::crypto::{
    self, CannotDecrypt, CannotSeal, KEY_LEN, NONCE_LEN, SymmetricKey, WRAPPED_LEN,
};

/// Bytes of an X25519 public key.
pub(crate) const PUBLIC_LEN: usize = 32;
/// Encoded size of a [`SlotWrap`].
pub(crate) const WRAP_LEN: usize = PUBLIC_LEN * 2 + NONCE_LEN + WRAPPED_LEN;

const WRAP_INFO: &[u8] = b"tessera vault slot v1";

/// The secret half of a slot: an X25519 key derived from the slot's secret.
pub(crate) struct Recipient(StaticSecret);

impl Recipient {
    /// The public half, stored in the slot.
    pub(crate) fn public(&self) -> [u8; PUBLIC_LEN] {
        PublicKey::from(&self.0).to_bytes()
    }
}

/// Derives a slot's X25519 secret from high-entropy input keying material. `label` separates
/// the slot kinds so one secret never serves two kinds.
pub(crate) fn derive_recipient(ikm: &[u8], label: &[u8]) -> Recipient {
    let hkdf = Hkdf::<Sha256>::new(Some(b"tessera recipient v1"), ikm);
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    // Invariant: 32 bytes is far below HKDF-SHA256's 8160-byte output limit, so expand cannot
    // fail; an all-zero key would only make unwrapping fail, never leak.
    let _ = hkdf.expand(label, bytes.as_mut_slice());
    Recipient(StaticSecret::from(*bytes))
}

/// One wrapped copy of the vault key, addressed to a recipient public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SlotWrap {
    pub(crate) recipient: [u8; PUBLIC_LEN],
    pub(crate) ephemeral: [u8; PUBLIC_LEN],
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) wrapped: [u8; WRAPPED_LEN],
}

impl SlotWrap {
    /// Wraps `vault_key` for `recipient` (only its public key is needed).
    pub(crate) fn seal_to(
        recipient: &[u8; PUBLIC_LEN],
        vault_key: &SymmetricKey,
        context: &[u8],
    ) -> Result<Self, CannotSeal> {
        let ephemeral_bytes = Zeroizing::new(crypto::random_array::<KEY_LEN>()?);
        let ephemeral = StaticSecret::from(*ephemeral_bytes);
        let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
        let wrapping = wrapping_key(&ephemeral, recipient, &ephemeral_public, recipient, context)
            .ok_or(CannotSeal)?;
        let (nonce, wrapped) = crypto::wrap_key(&wrapping, context, vault_key)?;
        Ok(Self {
            recipient: *recipient,
            ephemeral: ephemeral_public,
            nonce,
            wrapped,
        })
    }

    /// Unwraps the vault key with the recipient's secret; any mismatch is [`CannotDecrypt`].
    pub(crate) fn open_with(
        &self,
        recipient: &Recipient,
        context: &[u8],
    ) -> Result<SymmetricKey, CannotDecrypt> {
        if recipient.public() != self.recipient {
            return Err(CannotDecrypt);
        }
        let wrapping = wrapping_key(
            &recipient.0,
            &self.ephemeral,
            &self.ephemeral,
            &self.recipient,
            context,
        )
        .ok_or(CannotDecrypt)?;
        crypto::unwrap_key(&wrapping, context, &self.nonce, &self.wrapped)
    }

    /// Appends the fixed-size encoding.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.recipient);
        out.extend_from_slice(&self.ephemeral);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.wrapped);
    }

    /// Decodes exactly [`WRAP_LEN`] bytes.
    pub(crate) fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != WRAP_LEN {
            return None;
        }
        let (recipient, rest) = bytes.split_at(PUBLIC_LEN);
        let (ephemeral, rest) = rest.split_at(PUBLIC_LEN);
        let (nonce, wrapped) = rest.split_at(NONCE_LEN);
        Some(Self {
            recipient: recipient.try_into().ok()?,
            ephemeral: ephemeral.try_into().ok()?,
            nonce: nonce.try_into().ok()?,
            wrapped: wrapped.try_into().ok()?,
        })
    }
}

fn wrapping_key(
    own: &StaticSecret,
    their_public: &[u8; PUBLIC_LEN],
    ephemeral_public: &[u8; PUBLIC_LEN],
    recipient_public: &[u8; PUBLIC_LEN],
    context: &[u8],
) -> Option<SymmetricKey> {
    let shared = own.diffie_hellman(&PublicKey::from(*their_public));
    // A low-order point gives an all-zero shared secret that anyone can compute: refuse it.
    if !shared.was_contributory() {
        return None;
    }
    let mut salt = [0u8; PUBLIC_LEN * 2];
    salt[..PUBLIC_LEN].copy_from_slice(ephemeral_public);
    salt[PUBLIC_LEN..].copy_from_slice(recipient_public);
    let hkdf = Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes());
    let mut bytes = [0u8; KEY_LEN];
    hkdf.expand_multi_info(&[WRAP_INFO, context], &mut bytes)
        .ok()?;
    Some(SymmetricKey::from_array(&mut bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_to_public_key_opens_with_secret_only() {
        let recipient = derive_recipient(&[1; 32], b"test");
        let other = derive_recipient(&[2; 32], b"test");
        let vault_key = SymmetricKey::make().unwrap();
        let wrap = SlotWrap::seal_to(&recipient.public(), &vault_key, b"ctx").unwrap();
        assert!(wrap.open_with(&recipient, b"ctx").is_ok());
        assert!(wrap.open_with(&other, b"ctx").is_err());
        assert!(wrap.open_with(&recipient, b"ctY").is_err());
        let mut encoded = Vec::new();
        wrap.encode(&mut encoded);
        assert_eq!(encoded.len(), WRAP_LEN);
        assert_eq!(SlotWrap::decode(&encoded), Some(wrap));
        assert_eq!(SlotWrap::decode(&encoded[1..]), None);
    }

    #[test]
    fn labels_separate_slot_kinds() {
        let a = derive_recipient(&[1; 32], b"keychain");
        let b = derive_recipient(&[1; 32], b"recovery");
        assert_ne!(a.public(), b.public());
    }

    #[test]
    fn low_order_ephemeral_is_refused() {
        let recipient = derive_recipient(&[1; 32], b"test");
        let vault_key = SymmetricKey::make().unwrap();
        let mut wrap = SlotWrap::seal_to(&recipient.public(), &vault_key, b"ctx").unwrap();
        wrap.ephemeral = [0; PUBLIC_LEN];
        assert!(wrap.open_with(&recipient, b"ctx").is_err());
    }
}
