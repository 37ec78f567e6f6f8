//! The key derivations and ciphers of other apps' backups, with cost caps checked before any
//! derivation starts.
//!
//! Every primitive comes from a RustCrypto crate; this module only applies the formats'
//! parameters and refuses absurd ones. Opening failures are a plain `None`: the callers map it
//! to "wrong password" or "damaged file" depending on what the format can tell apart.

use aes_gcm::aead::{Aead, AeadInOut, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use cbc::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use zeroize::Zeroizing;

use crate::{Format, ImportError};

/// A derived 256-bit key, wiped on drop.
pub(crate) type Key = Zeroizing<[u8; 32]>;

/// The cost caps applied to KDF parameters read from files.
///
/// Each is far above what the apps write (noted per cap) and far below what would make an
/// import hang or exhaust memory: a file asking for more is refused with
/// [`ImportError::KdfTooExpensive`] before anything is derived.
pub mod limits {
    /// PBKDF2 iterations. Bitwarden allows up to 2,000,000; Aegis refuses andOTP files above
    /// 10,000,000.
    pub const MAX_PBKDF2_ITERATIONS: u64 = 10_000_000;
    /// Argon2 memory in KiB: 2 GiB. Ente writes 256 MiB (down to 128 MiB), Stratum 1 GiB,
    /// Bitwarden at most 1 GiB.
    pub const MAX_ARGON2_MEMORY_KIB: u64 = 2 * 1024 * 1024;
    /// Argon2 passes. Ente doubles from 16 as it halves memory; Bitwarden allows 10.
    pub const MAX_ARGON2_ITERATIONS: u64 = 1024;
    /// Argon2 memory × passes, in KiB: 8 GiB of memory traffic (Ente's 256 MiB × 16 is 4 GiB).
    pub const MAX_ARGON2_WORK_KIB: u64 = 8 * 1024 * 1024;
    /// Argon2 lanes (Bitwarden allows 16).
    pub const MAX_ARGON2_PARALLELISM: u64 = 16;
    /// scrypt memory, 128·N·r bytes: 1 GiB (Aegis uses N = 2^15, r = 8: 32 MiB).
    pub const MAX_SCRYPT_MEMORY: u64 = 1 << 30;
    /// scrypt p (Aegis uses 1).
    pub const MAX_SCRYPT_PARALLELISM: u64 = 16;
}

use limits::*;

/// PBKDF2 with the HMAC hash a format names.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Prf {
    Sha1,
    Sha256,
    Sha512,
}

pub(crate) fn pbkdf2(
    format: Format,
    prf: Prf,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
) -> Result<Key, ImportError> {
    if iterations == 0 {
        return Err(ImportError::InvalidContainer { format });
    }
    let rounds = u32::try_from(iterations)
        .ok()
        .filter(|_| iterations <= MAX_PBKDF2_ITERATIONS)
        .ok_or(ImportError::KdfTooExpensive { format })?;
    let mut key = Zeroizing::new([0u8; 32]);
    match prf {
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, key.as_mut()),
        Prf::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, key.as_mut()),
        Prf::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, key.as_mut()),
    }
    Ok(key)
}

/// Argon2id v1.3, 32-byte output. `memory_kib` is in KiB as argon2 counts it.
pub(crate) fn argon2id(
    format: Format,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    memory_kib: u64,
    parallelism: u64,
) -> Result<Key, ImportError> {
    let too_costly = memory_kib > MAX_ARGON2_MEMORY_KIB
        || iterations > MAX_ARGON2_ITERATIONS
        || parallelism > MAX_ARGON2_PARALLELISM
        || memory_kib.saturating_mul(iterations) > MAX_ARGON2_WORK_KIB;
    if too_costly {
        return Err(ImportError::KdfTooExpensive { format });
    }
    let invalid = ImportError::InvalidContainer { format };
    // The caps above keep all three within u32.
    let to_u32 = |value: u64| u32::try_from(value).map_err(|_| invalid);
    let params = argon2::Params::new(
        to_u32(memory_kib)?,
        to_u32(iterations)?,
        to_u32(parallelism)?,
        Some(32),
    )
    .map_err(|_| invalid)?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, salt, key.as_mut())
        .map_err(|_| invalid)?;
    Ok(key)
}

/// scrypt with N given as the number itself (Aegis stores `n`, not log2 n).
pub(crate) fn scrypt(
    format: Format,
    password: &[u8],
    salt: &[u8],
    n: u64,
    r: u64,
    p: u64,
) -> Result<Key, ImportError> {
    let invalid = ImportError::InvalidContainer { format };
    if n < 2 || !n.is_power_of_two() || r == 0 || p == 0 {
        return Err(invalid);
    }
    let memory = 128u64.saturating_mul(n).saturating_mul(r);
    if memory > MAX_SCRYPT_MEMORY || p > MAX_SCRYPT_PARALLELISM {
        return Err(ImportError::KdfTooExpensive { format });
    }
    let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| invalid)?;
    let to_u32 = |value: u64| u32::try_from(value).map_err(|_| invalid);
    let params = scrypt::Params::new(log_n, to_u32(r)?, to_u32(p)?).map_err(|_| invalid)?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).map_err(|_| invalid)?;
    Ok(key)
}

/// AES-256-GCM decryption of `ciphertext || tag` (16-byte tag, 12-byte nonce).
pub(crate) fn gcm_open(
    key: &[u8],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let nonce = Nonce::try_from(nonce).ok()?;
    cipher
        .decrypt(
            &nonce,
            Payload {
                msg: ciphertext_and_tag,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// AES-256-GCM encryption of `buffer` in place (no AAD), returning the 16-byte tag: the buffer
/// then holds only ciphertext, so no plaintext copy is made. `None` only for inputs over GCM's
/// 64 GiB limit.
pub(crate) fn gcm_seal_in_place(
    key: &[u8; 32],
    nonce: &[u8; 12],
    buffer: &mut [u8],
) -> Option<[u8; 16]> {
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let nonce = Nonce::from(*nonce);
    let tag = cipher
        .encrypt_inout_detached(&nonce, b"", buffer.into())
        .ok()?;
    Some(tag.into())
}

/// `N` bytes from the operating system's random source, wiped on drop. `None` if the OS gave
/// none.
pub(crate) fn random<const N: usize>() -> Option<Zeroizing<[u8; N]>> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut_slice()).ok()?;
    Some(bytes)
}

/// AES-256-CBC decryption with PKCS#7 padding.
pub(crate) fn cbc_open(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv).ok()?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let len = decryptor
        .decrypt_padded::<Pkcs7>(buffer.as_mut_slice())
        .ok()?
        .len();
    buffer.truncate(len);
    Some(buffer)
}

/// Standard base64, padded or not, ignoring whitespace (JSON exports wrap or indent it).
pub(crate) fn base64(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let cleaned: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.bytes()
            .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
            .collect(),
    );
    data_encoding::BASE64_NOPAD
        .decode(&cleaned)
        .ok()
        .map(Zeroizing::new)
}

/// Hex, either case.
pub(crate) fn hex(text: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_parameters_are_refused_before_deriving() {
        let f = Format::Ente;
        let too_costly =
            |r: Result<Key, ImportError>| matches!(r, Err(ImportError::KdfTooExpensive { .. }));
        // 4 TiB of Argon2 memory, a billion passes, a billion PBKDF2 rounds, 64 GiB of scrypt:
        // each would hang or kill the process if it ran, so returning at all proves the check.
        assert!(too_costly(argon2id(f, b"pw", b"saltsalt", 1, 1 << 32, 1)));
        assert!(too_costly(argon2id(f, b"pw", b"saltsalt", 1 << 30, 8, 1)));
        assert!(too_costly(argon2id(f, b"pw", b"saltsalt", 64, 1 << 20, 1)));
        assert!(too_costly(pbkdf2(f, Prf::Sha1, b"pw", b"salt", 1 << 30)));
        assert!(too_costly(scrypt(f, b"pw", b"salt", 1 << 26, 8, 1)));
        assert!(too_costly(scrypt(f, b"pw", b"salt", 1 << 10, 8, 1 << 20)));
        let invalid =
            |r: Result<Key, ImportError>| matches!(r, Err(ImportError::InvalidContainer { .. }));
        assert!(invalid(scrypt(f, b"pw", b"salt", 1000, 8, 1)));
        assert!(invalid(pbkdf2(f, Prf::Sha1, b"pw", b"salt", 0)));
        assert!(invalid(argon2id(f, b"pw", b"short", 1, 64, 1)));
    }

    #[test]
    fn ente_cli_argon2_vector() {
        // ente-io/ente cli/internal/crypto/crypto_test.go (formats.md §11).
        let salt = base64("vd0dcYMGNLKn/gpT6uTFTw==").unwrap();
        let key = argon2id(Format::Ente, b"test_password", &salt, 2, 64 * 1024, 1).unwrap();
        assert_eq!(
            data_encoding::BASE64.encode(key.as_ref()),
            "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0="
        );
    }

    #[test]
    fn pbkdf2_sha1_rfc6070_vector() {
        // RFC 6070 §2, second vector (c = 2), first 20 bytes of our 32-byte output.
        let key = pbkdf2(Format::Steam, Prf::Sha1, b"password", b"salt", 2).unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..20]),
            "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"
        );
    }

    #[test]
    fn openers_fail_cleanly_on_bad_input() {
        assert!(gcm_open(&[0; 32], &[0; 12], &[0; 10], b"").is_none());
        assert!(gcm_open(&[0; 31], &[0; 12], &[0; 20], b"").is_none());
        assert!(gcm_open(&[0; 32], &[0; 11], &[0; 20], b"").is_none());
        assert!(cbc_open(&[0; 32], &[0; 16], &[0; 15]).is_none());
        assert!(cbc_open(&[0; 32], &[0; 15], &[0; 16]).is_none());
    }
}
