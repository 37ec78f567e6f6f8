//! The key derivations and ciphers of other apps' backups, with cost caps checked before any
//! derivation starts.
//!
//! Every primitive comes from a RustCrypto crate; this module only applies the formats'
//! parameters and refuses absurd ones. Opening failures are a plain `None`: the callers map it
//! to "wrong password" or "damaged file" depending on what the format can tell apart.

use aes_gcm::aead::{Aead, AeadInOut, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use cbc::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use zeroize::Zeroizing;

use crate::limits::KdfLimit;
use crate::{Format, ImportError};

/// A derived 256-bit key, wiped on drop.
pub(crate) type Key = Zeroizing<[u8; 32]>;

use crate::limits::*;

// --- The key-derivation budget and the cancel flag of one import ---
//
// An import runs on one thread from start to end, so what it may still spend and whether it
// was cancelled are kept per thread, for the duration of [`scope`]: every derivation of every
// format charges the same budget and sees the same flag without each importer passing them on.

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

struct Scope {
    /// KiB of key-derivation work charged so far (see [`MAX_KDF_WORK_KIB`]).
    spent_kib: u64,
    /// Set by the caller to stop the import between derivations.
    cancel: Option<Arc<AtomicBool>>,
}

/// Clears the thread's scope when the outermost [`scope`] ends, even by a panic.
struct ScopeGuard;

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        SCOPE.with(|scope| *scope.borrow_mut() = None);
    }
}

/// Runs one import: every derivation inside charges one budget of [`MAX_KDF_WORK_KIB`] and
/// returns [`ImportError::Cancelled`] once `cancel` is set. Nested calls (a folder's files)
/// share the outer scope.
pub(crate) fn scope<T>(
    cancel: Option<&Arc<AtomicBool>>,
    run: impl FnOnce() -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let nested = SCOPE.with(|scope| scope.borrow().is_some());
    if nested {
        return run();
    }
    SCOPE.with(|scope| {
        *scope.borrow_mut() = Some(Scope {
            spent_kib: 0,
            cancel: cancel.cloned(),
        });
    });
    let _guard = ScopeGuard;
    check_cancelled()?;
    run()
}

/// [`ImportError::Cancelled`] if the import's cancel flag is set.
pub(crate) fn check_cancelled() -> Result<(), ImportError> {
    let cancelled = SCOPE.with(|scope| {
        scope
            .borrow()
            .as_ref()
            .and_then(|s| s.cancel.as_ref())
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    });
    if cancelled {
        Err(ImportError::Cancelled)
    } else {
        Ok(())
    }
}

/// Checks, before the first of them runs, that derivations costing `work_kib` in total fit in
/// what is left of the import's budget. Charges nothing: each derivation charges itself.
pub(crate) fn plan(format: Format, work_kib: u64) -> Result<(), ImportError> {
    check_cancelled()?;
    let spent = SCOPE.with(|scope| scope.borrow().as_ref().map_or(0, |s| s.spent_kib));
    if spent.saturating_add(work_kib) > MAX_KDF_WORK_KIB {
        return Err(ImportError::KdfBudgetExceeded {
            format,
            limit: KdfLimit::Work,
        });
    }
    Ok(())
}

/// Charges one derivation to the import's budget, just before it runs.
pub(crate) fn charge(format: Format, work_kib: u64) -> Result<(), ImportError> {
    plan(format, work_kib)?;
    SCOPE.with(|scope| {
        if let Some(scope) = scope.borrow_mut().as_mut() {
            scope.spent_kib = scope.spent_kib.saturating_add(work_kib);
        }
    });
    Ok(())
}

/// Budget units of a PBKDF2 derivation: an HMAC-SHA1/SHA-256 iteration (two hash
/// compressions, a few hundred ns) takes roughly a quarter of what Argon2 spends on one 1 KiB
/// block (about 1 µs), so four iterations count as one KiB.
pub(crate) fn pbkdf2_work(iterations: u64) -> u64 {
    iterations.div_ceil(4)
}

/// Budget units of an Argon2 derivation: memory × passes, in KiB.
pub(crate) fn argon2_work(memory_kib: u64, iterations: u64) -> u64 {
    memory_kib.saturating_mul(iterations)
}

/// Budget units of an scrypt derivation: 128·N·r bytes written then read, p times, in KiB.
pub(crate) fn scrypt_work(n: u64, r: u64, p: u64) -> u64 {
    scrypt_memory(n, r).saturating_mul(2).saturating_mul(p) / 1024
}

fn scrypt_memory(n: u64, r: u64) -> u64 {
    128u64.saturating_mul(n).saturating_mul(r)
}

/// Refuses scrypt parameters that are invalid or beyond the per-derivation caps, without
/// deriving; returns the derivation's budget units.
pub(crate) fn check_scrypt(format: Format, n: u64, r: u64, p: u64) -> Result<u64, ImportError> {
    if n < 2 || !n.is_power_of_two() || r == 0 || p == 0 {
        return Err(ImportError::InvalidContainer { format });
    }
    if scrypt_memory(n, r) > MAX_SCRYPT_MEMORY || p > MAX_SCRYPT_PARALLELISM {
        return Err(ImportError::KdfTooExpensive { format });
    }
    Ok(scrypt_work(n, r, p))
}

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
    charge(format, pbkdf2_work(iterations))?;
    let mut key = Zeroizing::new([0u8; 32]);
    match prf {
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, key.as_mut()),
        Prf::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, key.as_mut()),
        Prf::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, key.as_mut()),
    }
    check_cancelled()?;
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
    charge(format, argon2_work(memory_kib, iterations))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, salt, key.as_mut())
        .map_err(|_| invalid)?;
    check_cancelled()?;
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
    let work = check_scrypt(format, n, r, p)?;
    let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| invalid)?;
    let to_u32 = |value: u64| u32::try_from(value).map_err(|_| invalid);
    let params = scrypt::Params::new(log_n, to_u32(r)?, to_u32(p)?).map_err(|_| invalid)?;
    charge(format, work)?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).map_err(|_| invalid)?;
    check_cancelled()?;
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
    fn one_import_shares_one_budget_and_one_cancel_flag() {
        let f = Format::Ente;
        let over = Err(ImportError::KdfBudgetExceeded {
            format: f,
            limit: KdfLimit::Work,
        });
        // Ente at libsodium's "sensitive" cost fits, twice; a third does not.
        let ente = argon2_work(1024 * 1024, 4);
        let result = scope(None, || {
            charge(f, ente)?;
            charge(f, ente)?;
            charge(f, ente)
        });
        assert_eq!(result, over);
        // The scope ends with the import: the next one starts with the whole budget.
        assert_eq!(scope(None, || charge(f, ente)), Ok(()));
        // A plan is checked whole before anything runs, and charges nothing.
        assert_eq!(scope(None, || plan(f, 3 * ente)), over);
        assert_eq!(
            scope(None, || plan(f, ente).and_then(|()| plan(f, ente))),
            Ok(())
        );
        // Steam: 600 encrypted maFiles fit, 700 do not.
        assert!(600 * pbkdf2_work(50_000) <= MAX_KDF_WORK_KIB);
        assert!(700 * pbkdf2_work(50_000) > MAX_KDF_WORK_KIB);
        // Aegis' own slot (N = 2^15, r = 8, p = 1): 64 MiB of traffic.
        assert_eq!(scrypt_work(1 << 15, 8, 1), 64 * 1024);

        let cancel = Arc::new(AtomicBool::new(false));
        let result = scope(Some(&cancel), || {
            charge(f, 1)?;
            cancel.store(true, Ordering::Relaxed);
            pbkdf2(f, Prf::Sha1, b"pw", b"salt", 2)
        });
        assert!(matches!(result, Err(ImportError::Cancelled)));
        // Outside a scope nothing is cancelled.
        assert!(pbkdf2(f, Prf::Sha1, b"pw", b"salt", 2).is_ok());
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
