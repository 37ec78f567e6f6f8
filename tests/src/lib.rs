//! End-to-end tests live in `tests/`; this library holds only what the test binaries and the
//! helper processes in `src/bin/` share.

/// Environment variable carrying a test vault's recovery key to helper processes (test vaults
/// only: a real recovery key never goes into an environment).
pub const RECOVERY_KEY_ENV: &str = "TESSERA_TEST_RECOVERY_KEY";

/// What `tessera-vault-writer` prints on its own line once the vault is open, before its first
/// save.
pub const WRITER_READY: &str = "ready";

/// The issuer name the writer gives its `index`-th account under `prefix`.
pub fn issuer(prefix: &str, index: u64) -> String {
    format!("{prefix}-{index}")
}
