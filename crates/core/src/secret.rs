//! The one type that holds an OTP shared secret.
//!
//! `OtpSecret` deliberately has no `Clone`, `Serialize`, `Display` or derived `Debug`: the
//! compiler then keeps secrets out of logs, IPC payloads and accidental copies. Every call of
//! [`OtpSecret::expose_secret`] carries an `// EXPOSE:` comment saying why it is needed.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// The HMAC key of an OTP account. Wiped from memory when dropped.
pub struct OtpSecret(Box<[u8]>);

impl OtpSecret {
    /// Takes ownership of raw key bytes. The caller's buffer moves in, so no copy is left behind.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes.into_boxed_slice())
    }

    /// Copies key bytes from a slice (the caller stays responsible for wiping its copy).
    pub fn from_slice(bytes: &[u8]) -> Self {
        Self(bytes.to_vec().into_boxed_slice())
    }

    /// The raw key bytes. Every caller must justify the exposure with an `// EXPOSE:` comment.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// The key as canonical RFC 4648 base32: uppercase, no padding (what exporters write).
    pub fn to_base32(&self) -> Zeroizing<String> {
        // EXPOSE: the caller asked for an export form (URI writer, export file, vault payload).
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(self.expose_secret()))
    }

    /// Length of the key in bytes (metadata only).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key is empty (an empty key cannot produce codes and is rejected by parsers).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An explicit, greppable copy: used only where two owners are unavoidable (re-keying).
    pub fn duplicate(&self) -> Self {
        Self::from_slice(&self.0)
    }
}

impl Drop for OtpSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for OtpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OtpSecret(len={})", self.0.len())
    }
}

/// Constant-time comparison, so equality checks never leak where two keys differ.
impl PartialEq for OtpSecret {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && bool::from(self.0.ct_eq(&other.0))
    }
}

impl Eq for OtpSecret {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = OtpSecret::from_slice(b"12345678901234567890");
        let printed = format!("{secret:?} {:#?}", secret);
        assert_eq!(printed, "OtpSecret(len=20) OtpSecret(len=20)");
        assert!(!printed.contains("1234"));
        assert!(!printed.contains("GEZDGNBV"));
    }

    #[test]
    fn base32_is_canonical() {
        let secret = OtpSecret::from_slice(b"12345678901234567890");
        assert_eq!(
            secret.to_base32().as_str(),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn equality_compares_bytes() {
        assert_eq!(OtpSecret::from_slice(b"abc"), OtpSecret::from_slice(b"abc"));
        assert_ne!(OtpSecret::from_slice(b"abc"), OtpSecret::from_slice(b"abd"));
        assert_ne!(OtpSecret::from_slice(b"abc"), OtpSecret::from_slice(b"ab"));
    }
}
