//! The optional passphrase: the secret type and its Argon2id parameters.
//!
//! The parameters are stored in the passphrase slot, so they can be raised later without a
//! format change. Values read from a file are checked against hard caps before any memory is
//! allocated: a hostile or damaged file must not make us allocate gigabytes or spin for hours.

use std::fmt;

use zeroize::Zeroizing;

use super::VaultError;
use super::crypto::KEY_LEN;

/// A passphrase typed by the user. No `Clone`, no `Display`, redacted `Debug`, wiped on drop.
///
/// The UTF-8 bytes are used exactly as given (no Unicode normalization), so callers that accept
/// input from different keyboards should normalize before constructing it.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes ownership of the text (no copy is left behind by this call).
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// Whether the passphrase is empty (callers should refuse empty passphrases).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The raw bytes. Every caller must justify the exposure with an `// EXPOSE:` comment.
    fn expose_secret(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl From<&str> for Passphrase {
    fn from(text: &str) -> Self {
        Self::new(text.to_owned())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// Argon2id cost parameters (RFC 9106).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
}

impl KdfParams {
    /// Highest accepted memory cost: 1 GiB. Higher values in a file are refused.
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// Highest accepted number of passes.
    pub const MAX_ITERATIONS: u32 = 64;
    /// Highest accepted number of lanes.
    pub const MAX_PARALLELISM: u32 = 16;
    /// Highest accepted memory × passes, in KiB: 4 GiB of memory traffic (1 GiB × 4 passes,
    /// 21 times [`Self::RECOMMENDED`], about 4 s on a desktop). The memory and pass caps alone
    /// would let a file ask for 1 GiB × 64 passes, a minute of work per attempt: a backup handed
    /// to `tessera import`, or a vault file put in place by someone else, is read before the
    /// passphrase can be checked, so it must not be able to ask for that. Tessera only ever
    /// writes [`Self::RECOMMENDED`], so no file it wrote comes near this.
    pub const MAX_WORK_KIB: u64 = 4 * 1024 * 1024;

    /// What new passphrases use: 64 MiB, 3 passes, 1 lane (RFC 9106 §4's second
    /// recommendation, with the memory raised as far as a desktop unlock stays well under a
    /// second).
    pub const RECOMMENDED: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    /// Checked constructor: refuses values argon2 rejects and values over the caps above.
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self, VaultError> {
        let params = Self {
            memory_kib,
            iterations,
            parallelism,
        };
        let absurd = memory_kib > Self::MAX_MEMORY_KIB
            || iterations > Self::MAX_ITERATIONS
            || parallelism > Self::MAX_PARALLELISM
            || u64::from(memory_kib) * u64::from(iterations) > Self::MAX_WORK_KIB;
        if absurd || params.argon2_params().is_err() {
            return Err(VaultError::KdfParamsRejected {
                memory_kib,
                iterations,
                parallelism,
            });
        }
        Ok(params)
    }

    /// Memory cost in KiB.
    pub fn memory_kib(self) -> u32 {
        self.memory_kib
    }

    /// Number of passes.
    pub fn iterations(self) -> u32 {
        self.iterations
    }

    /// Number of lanes.
    pub fn parallelism(self) -> u32 {
        self.parallelism
    }

    fn argon2_params(self) -> Result<argon2::Params, argon2::Error> {
        argon2::Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

/// Argon2id(passphrase, salt) → 32 bytes of input keying material for the passphrase slot.
pub(crate) fn derive_passphrase_ikm(
    passphrase: &Passphrase,
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, VaultError> {
    let argon_params = params
        .argon2_params()
        .map_err(|_| VaultError::KdfParamsRejected {
            memory_kib: params.memory_kib,
            iterations: params.iterations,
            parallelism: params.parallelism,
        })?;
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon_params,
    );
    let mut output = Zeroizing::new([0u8; KEY_LEN]);
    // EXPOSE: the passphrase is the KDF input; argon2's `zeroize` feature wipes its blocks.
    argon
        .hash_password_into(passphrase.expose_secret(), salt, output.as_mut_slice())
        .map_err(|_| VaultError::KdfParamsRejected {
            memory_kib: params.memory_kib,
            iterations: params.iterations,
            parallelism: params.parallelism,
        })?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let passphrase = Passphrase::from("correct horse battery staple");
        let printed = format!("{passphrase:?} {passphrase:#?}");
        assert_eq!(printed, "Passphrase(..) Passphrase(..)");
    }

    #[test]
    fn absurd_params_are_refused_with_a_code() {
        let cases = [
            ("memory over cap", KdfParams::MAX_MEMORY_KIB + 1, 3, 1),
            (
                "iterations over cap",
                1024,
                KdfParams::MAX_ITERATIONS + 1,
                1,
            ),
            ("lanes over cap", 1024, 3, KdfParams::MAX_PARALLELISM + 1),
            (
                "work over cap: 1 GiB × 64 passes",
                KdfParams::MAX_MEMORY_KIB,
                KdfParams::MAX_ITERATIONS,
                1,
            ),
            (
                "work over cap: 1 GiB × 5 passes",
                KdfParams::MAX_MEMORY_KIB,
                5,
                1,
            ),
            ("zero iterations", 1024, 0, 1),
            ("zero lanes", 1024, 3, 0),
            ("memory below argon2 minimum", 1, 1, 1),
        ];
        for (name, memory, iterations, lanes) in cases {
            let error = KdfParams::new(memory, iterations, lanes).unwrap_err();
            assert_eq!(error.code(), "kdf_params_rejected", "case {name}");
        }
        assert!(KdfParams::new(8, 1, 1).is_ok());
        let recommended = KdfParams::RECOMMENDED;
        assert_eq!(
            KdfParams::new(
                recommended.memory_kib(),
                recommended.iterations(),
                recommended.parallelism()
            )
            .unwrap(),
            recommended
        );
    }

    #[test]
    fn derivation_depends_on_passphrase_and_salt() {
        let params = KdfParams::new(8, 1, 1).unwrap();
        let a = derive_passphrase_ikm(&Passphrase::from("a"), &[1; 16], params).unwrap();
        let a2 = derive_passphrase_ikm(&Passphrase::from("a"), &[1; 16], params).unwrap();
        let b = derive_passphrase_ikm(&Passphrase::from("b"), &[1; 16], params).unwrap();
        let c = derive_passphrase_ikm(&Passphrase::from("a"), &[2; 16], params).unwrap();
        assert_eq!(a, a2);
        assert_ne!(a, b);
        assert_ne!(a, c);
    }
}
