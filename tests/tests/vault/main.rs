//! Vault end-to-end tests across processes: a writer killed during saves (SIGKILL,
//! TerminateProcess), several writer processes, a full disk, and the real OS keychain (only with
//! `TESSERA_REAL_KEYCHAIN=1`, see `scripts/with-keyring.sh`).

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod crash;
// Mounts a small tmpfs (Linux, as root); a Windows test under Wine cannot run mount and wait.
#[cfg(target_os = "linux")]
mod full_disk;
mod keychain;
mod processes;

use std::path::{Path, PathBuf};
use std::process::Command;

use tessera_core::vault::{Protection, RecoveryKey};
use tessera_core::{UnixTime, Unlock, Vault};
use tessera_tests::RECOVERY_KEY_ENV;

pub(crate) const NOW: UnixTime = UnixTime(1_700_000_000);

/// A vault with a recovery slot only (cheap to open: no Argon2, no keychain).
pub(crate) fn recovery_only_vault(dir: &Path) -> (PathBuf, RecoveryKey) {
    let path = dir.join("vault.tessera");
    let (_vault, recovery) = Vault::create(&path, Protection::default(), NOW).unwrap();
    (path, recovery)
}

pub(crate) fn writer(path: &Path, recovery: &RecoveryKey, prefix: &str, count: u64) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera-vault-writer"));
    command
        .arg(path)
        .arg(prefix)
        .arg(count.to_string())
        .env(RECOVERY_KEY_ENV, recovery.to_display_text().as_str());
    command
}

/// The numbers of the accounts named `<prefix>-<n>`, in vault order.
pub(crate) fn numbers(path: &Path, recovery: &RecoveryKey, prefix: &str) -> Vec<u64> {
    let vault = Vault::open(path, Unlock::RecoveryKey(recovery)).unwrap();
    vault
        .accounts()
        .iter()
        .filter_map(|a| a.issuer.strip_prefix(&format!("{prefix}-"))?.parse().ok())
        .collect()
}
