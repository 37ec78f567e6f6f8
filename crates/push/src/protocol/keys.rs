//! The two RSA keys of a push token and the one signature scheme both sides use.
//!
//! Every push signature, in both directions, is RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8
//! bytes of a `|`-joined string, sent as upper-case, `=`-padded RFC 4648 base32 (protocol doc
//! §1). privacyIDEA rejects PSS and unpadded or lower-case base32.

use std::fmt;

use data_encoding::{BASE32, BASE64};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use zeroize::Zeroizing;

use crate::PushError;

/// Size of a new device key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum KeySize {
    /// 2048 bits: accepted by privacyIDEA (verified), about 5x faster to make. For tests.
    Rsa2048,
    /// 4096 bits, what the official privacyIDEA Authenticator makes.
    #[default]
    Rsa4096,
}

impl KeySize {
    fn bits(self) -> usize {
        match self {
            Self::Rsa2048 => 2048,
            Self::Rsa4096 => 4096,
        }
    }
}

/// The device's private key: signs polls and answers. It is the token's credential.
///
/// No `Clone`, `Debug` derive, `Serialize` or `Display`; the RSA key wipes itself on drop
/// (rsa zeroizes `d`, the primes and the CRT values), and its stored form only ever exists in
/// wiping buffers.
pub struct DeviceKey {
    signer: SigningKey<Sha256>,
    bits: usize,
}

impl DeviceKey {
    /// Makes a fresh key from the OS random generator. Slow (seconds for 4096 bits): callers on
    /// a UI thread run it elsewhere (`transport::make_device_key` does).
    pub fn make(size: KeySize) -> Result<Self, PushError> {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, size.bits())
            .map_err(|_| PushError::Key)?;
        Ok(Self::from_rsa(key))
    }

    fn from_rsa(key: RsaPrivateKey) -> Self {
        let bits = key.size() * 8;
        Self {
            signer: SigningKey::<Sha256>::new(key),
            bits,
        }
    }

    /// Reads the stored form (PKCS#8 DER).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, PushError> {
        let key = RsaPrivateKey::from_pkcs8_der(der)
            .map_err(|_| PushError::InvalidStoredToken("device key"))?;
        Ok(Self::from_rsa(key))
    }

    /// The stored form (PKCS#8 DER) in a wiping buffer. The only way key bytes leave this type.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, PushError> {
        let document = self
            .signer
            .as_ref()
            .to_pkcs8_der()
            .map_err(|_| PushError::Key)?;
        // EXPOSE: copied from one wiping buffer (SecretDocument) into another, for the vault.
        Ok(Zeroizing::new(document.as_bytes().to_vec()))
    }

    /// What enrollment step 2 uploads as `pubkey`: standard base64 of the SPKI DER, one line,
    /// no PEM armour. privacyIDEA stores any format at step 2 but fails every later poll with
    /// HTTP 500 unless it is exactly this (protocol doc §2).
    pub fn public_key_field(&self) -> Result<String, PushError> {
        let der = self
            .signer
            .as_ref()
            .to_public_key()
            .to_public_key_der()
            .map_err(|_| PushError::Key)?;
        Ok(BASE64.encode(der.as_bytes()))
    }

    /// Key size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Signs `message` and returns the wire form (padded upper-case base32).
    pub(crate) fn sign_b32(&self, message: &str) -> String {
        BASE32.encode(&self.signer.sign(message.as_bytes()).to_bytes())
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceKey(rsa-{})", self.bits)
    }
}

/// The server's public key for one token, from enrollment step 2. Public data.
#[derive(Clone)]
pub struct ServerKey {
    verifier: VerifyingKey<Sha256>,
    key: RsaPublicKey,
}

/// Keys below this size are refused: a server-side key this weak makes every prompt forgeable.
const MIN_SERVER_KEY_BITS: usize = 2048;

impl ServerKey {
    /// Parses `detail.public_key` as privacyIDEA sends it: base64 of a PKCS#1 `RSAPublicKey`,
    /// wrapped with `\n` every 64 characters, no armour (protocol doc §2). Whitespace and PEM
    /// armour lines are tolerated.
    pub fn from_server_text(text: &str) -> Result<Self, PushError> {
        let body: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("-----"))
            .flat_map(|line| line.split_whitespace())
            .collect();
        let der = BASE64
            .decode(body.as_bytes())
            .map_err(|_| PushError::InvalidResponse("server key is not base64"))?;
        Self::from_pkcs1_der(&der)
    }

    /// Parses PKCS#1 DER (the stored form).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, PushError> {
        let key = RsaPublicKey::from_pkcs1_der(der)
            .map_err(|_| PushError::InvalidResponse("server key is not PKCS#1 RSA"))?;
        if key.size() * 8 < MIN_SERVER_KEY_BITS {
            return Err(PushError::InvalidResponse("server key is too small"));
        }
        Ok(Self {
            verifier: VerifyingKey::<Sha256>::new(key.clone()),
            key,
        })
    }

    /// The stored form: PKCS#1 DER.
    pub fn to_pkcs1_der(&self) -> Result<Vec<u8>, PushError> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        self.key
            .to_pkcs1_der()
            .map(|document| document.as_bytes().to_vec())
            .map_err(|_| PushError::Key)
    }

    /// Whether `signature_b32` (padded upper-case base32) signs `message`.
    pub(crate) fn verifies(&self, message: &[u8], signature_b32: &str) -> bool {
        // data-encoding's BASE32 is strict: lower case, missing padding or stray characters
        // fail to decode, as they fail on the server.
        let Ok(raw) = BASE32.decode(signature_b32.as_bytes()) else {
            return false;
        };
        let Ok(signature) = Signature::try_from(raw.as_slice()) else {
            return false;
        };
        self.verifier.verify(message, &signature).is_ok()
    }
}

impl PartialEq for ServerKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for ServerKey {}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerKey(rsa-{})", self.key.size() * 8)
    }
}

/// One 2048-bit key for the whole unit-test binary: key generation is the slow part.
#[cfg(test)]
pub(crate) fn test_key() -> &'static DeviceKey {
    static KEY: std::sync::OnceLock<DeviceKey> = std::sync::OnceLock::new();
    #[allow(clippy::unwrap_used)]
    KEY.get_or_init(|| DeviceKey::make(KeySize::Rsa2048).unwrap())
}

/// The [`ServerKey`] matching [`test_key`], as if the device were the server (unit tests sign
/// challenges with it).
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn test_key_as_server() -> ServerKey {
    use rsa::pkcs1::EncodeRsaPublicKey;
    let public = test_key().signer.as_ref().to_public_key();
    ServerKey::from_pkcs1_der(public.to_pkcs1_der().unwrap().as_bytes()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let key = test_key();
        let printed = format!("{key:?} {key:#?}");
        assert_eq!(printed, "DeviceKey(rsa-2048) DeviceKey(rsa-2048)");
    }

    #[test]
    fn signature_wire_form_is_padded_upper_base32() {
        let signature = test_key().sign_b32("PIPU00005FB7|2026-11-29T10:09:00.797327Z");
        // 256 bytes -> 416 base32 characters, the last 6 of them padding (protocol doc §1).
        assert_eq!(signature.len(), 416);
        assert!(signature.ends_with("======"));
        assert!(!signature[..410].contains('='));
        assert!(
            signature
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b) || b == b'=')
        );
    }

    #[test]
    fn pkcs8_round_trip_signs_the_same() {
        let key = test_key();
        let der = key.to_pkcs8_der().unwrap();
        let back = DeviceKey::from_pkcs8_der(&der).unwrap();
        // PKCS#1 v1.5 is deterministic: same key, same message, same signature.
        assert_eq!(back.sign_b32("a|b"), key.sign_b32("a|b"));
        assert!(DeviceKey::from_pkcs8_der(&der[..der.len() - 1]).is_err());
    }

    #[test]
    fn public_key_field_is_spki_base64() {
        let field = test_key().public_key_field().unwrap();
        // SPKI of an RSA key starts with SEQUENCE { SEQUENCE { rsaEncryption OID ...
        assert!(
            field.starts_with("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"),
            "{field}"
        );
        assert!(!field.contains('\n') && !field.contains("BEGIN"));
    }

    #[test]
    fn own_signatures_verify_and_tampering_fails() {
        let key = test_key();
        let server = test_key_as_server();
        let signature = key.sign_b32("nonce|serial");
        assert!(server.verifies(b"nonce|serial", &signature));
        assert!(!server.verifies(b"nonce|serial ", &signature));
        assert!(!server.verifies(b"nonce|serial", &signature.to_lowercase()));
        assert!(!server.verifies(b"nonce|serial", signature.trim_end_matches('=')));
        assert!(!server.verifies(b"nonce|serial", "not base32!"));
        assert!(!server.verifies(b"nonce|serial", ""));
    }

    #[test]
    fn small_or_garbage_server_keys_are_refused() {
        assert!(ServerKey::from_server_text("not base64 !!").is_err());
        assert!(ServerKey::from_server_text("AAAA").is_err());
        let small = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024).unwrap();
        use rsa::pkcs1::EncodeRsaPublicKey;
        let der = small.to_public_key().to_pkcs1_der().unwrap();
        assert!(matches!(
            ServerKey::from_pkcs1_der(der.as_bytes()),
            Err(PushError::InvalidResponse("server key is too small"))
        ));
    }
}
