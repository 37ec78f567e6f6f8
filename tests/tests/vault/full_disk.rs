//! A real full disk (a 256 KiB tmpfs, when we may mount one): the save fails with `disk_full`,
//! the vault on disk and in memory keep the last good state, and no temp file is left.

use std::path::Path;
use std::process::Command;

use tessera_core::{Account, Otp, OtpSecret, Unlock, Vault, VaultError};

use crate::{NOW, recovery_only_vault};

struct Mount<'a>(&'a Path);

impl Drop for Mount<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

#[test]
fn full_disk_keeps_the_last_good_vault() {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !tessera_testkit::real::needs(
        "the full-disk test",
        mounted,
        "a 256 KiB tmpfs mount (needs root)",
    ) {
        return;
    }
    let _mount = Mount(dir.path());
    let (path, recovery) = recovery_only_vault(dir.path());
    let mut vault = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    let mut saves = 0;
    let error = loop {
        let result = vault.update(|data| {
            data.accounts.push(Account::new(
                "x".repeat(2000),
                format!("{saves}"),
                OtpSecret::from_slice(&[1; 20]),
                Otp::DEFAULT_TOTP,
                NOW,
            ));
            Ok::<_, VaultError>(())
        });
        match result {
            Ok(()) => saves += 1,
            Err(error) => break error,
        }
        assert!(saves < 10_000, "the tmpfs never filled up");
    };
    assert_eq!(error.code(), "disk_full", "{error}");
    assert!(error.to_string().contains("free some space"));
    assert_eq!(
        vault.accounts().len(),
        saves,
        "memory keeps the last good state"
    );
    let reopened = Vault::open(&path, Unlock::RecoveryKey(&recovery)).unwrap();
    assert_eq!(
        reopened.accounts().len(),
        saves,
        "disk keeps the last good state"
    );
    let temps = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(temps, 0, "no temp file left behind");
    assert!(saves > 3, "some saves fit before the disk filled");
}
