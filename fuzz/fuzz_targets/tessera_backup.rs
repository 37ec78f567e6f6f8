//! Tessera backups and the vault format, opened *with a password*: the header and slot
//! decoder, the Argon2 parameter checks, the AEAD and the payload decoder, through
//! `Vault::read_export_bytes` and the transfer crate's Tessera importer.
//!
//! The first input byte picks how the rest is used:
//! - 0: the bytes as a whole file;
//! - 1: XOR edits (offset u16 LE, byte) applied to a real backup made with a cheap KDF, so the
//!   decoder gets past the magic and the header into the slots and the payload;
//! - 2: accounts built from the bytes, written to a vault, exported with the passphrase and
//!   read back: the payload decoder must return exactly what was written.
//!
//! Arbitrary bytes must never panic, hang or allocate without bound: every failure is an error.
#![no_main]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use tessera_core::vault::{KdfParams, Passphrase, Protection};
use tessera_core::{Account, Otp, OtpSecret, UnixTime, Vault, VaultError};

const PASSWORD: &str = "fuzz";
const NOW: UnixTime = UnixTime(1_700_000_000);

/// Argon2 at its cheapest (8 KiB, 1 pass): the fuzzer spends its time in the decoders.
fn cheap() -> KdfParams {
    KdfParams::new(8, 1, 1).expect("valid parameters")
}

struct Fixture {
    _dir: tempfile::TempDir,
    vault: Mutex<Vault>,
    backup_path: PathBuf,
    /// A real backup of two accounts, with [`cheap`] parameters.
    seed: Vec<u8>,
    /// Where the passphrase slot's Argon2 parameters are in `seed`.
    kdf_at: usize,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (mut vault, _recovery) = Vault::create(
            &dir.path().join("vault.tessera"),
            Protection::default(),
            NOW,
        )
        .expect("vault");
        vault
            .update(|data| {
                data.accounts = vec![
                    Account::new(
                        "Issuer",
                        "me@example.com",
                        OtpSecret::from_slice(b"12345678901234567890"),
                        Otp::DEFAULT_TOTP,
                        NOW,
                    ),
                    Account::new(
                        String::new(),
                        "second",
                        OtpSecret::from_slice(b"abc"),
                        Otp::DEFAULT_TOTP,
                        NOW,
                    ),
                ];
                Ok::<_, VaultError>(())
            })
            .expect("update");
        let backup_path = dir.path().join("backup.tessera");
        vault
            .export_to(&backup_path, &Passphrase::from(PASSWORD), cheap())
            .expect("export");
        let seed = std::fs::read(&backup_path).expect("backup");
        let low = [8u8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
        let kdf_at = seed
            .windows(low.len())
            .position(|w| w == low)
            .expect("the passphrase slot's parameters");
        Fixture {
            _dir: dir,
            vault: Mutex::new(vault),
            backup_path,
            seed,
            kdf_at,
        }
    })
}

fn open(bytes: &[u8]) {
    let _ = Vault::read_export_bytes(bytes, &Passphrase::from(PASSWORD));
    let _ = tessera_transfer::tessera::import(bytes, Some(PASSWORD));
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let fixture = fixture();
    match mode % 3 {
        0 => open(rest),
        1 => {
            let mut bytes = fixture.seed.clone();
            for edit in rest.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([edit[0], edit[1]])) % bytes.len();
                bytes[at] ^= edit[2];
            }
            // Edits that raise the KDF cost would make each run seconds long (the caps allow
            // 4 GiB of Argon2 work); they prove nothing more than the caps' own tests.
            let memory = u32_at(&bytes, fixture.kdf_at);
            let passes = u32_at(&bytes, fixture.kdf_at + 4);
            if u64::from(memory) * u64::from(passes) > 4096 {
                return;
            }
            open(&bytes);
        }
        _ => {
            // Accounts from the bytes: a length byte, then that many bytes split into issuer,
            // name and secret.
            let mut accounts = Vec::new();
            let mut input = rest;
            while let Some((&len, tail)) = input.split_first() {
                let take = usize::from(len).min(tail.len());
                let (chunk, tail) = tail.split_at(take);
                input = tail;
                let third = chunk.len() / 3;
                let issuer = String::from_utf8_lossy(&chunk[..third]).into_owned();
                let name = String::from_utf8_lossy(&chunk[third..2 * third]).into_owned();
                let secret = &chunk[2 * third..];
                if secret.is_empty() || accounts.len() == 64 {
                    break;
                }
                accounts.push(Account::new(
                    issuer,
                    name,
                    OtpSecret::from_slice(secret),
                    Otp::DEFAULT_TOTP,
                    NOW,
                ));
            }
            let mut vault = fixture.vault.lock().expect("one fuzz thread");
            let written: Vec<(String, String)> = accounts
                .iter()
                .map(|a| (a.issuer.clone(), a.name.clone()))
                .collect();
            if vault
                .update(|data| {
                    data.accounts = accounts;
                    Ok::<_, VaultError>(())
                })
                .is_err()
            {
                return;
            }
            vault
                .export_to(&fixture.backup_path, &Passphrase::from(PASSWORD), cheap())
                .expect("export of a vault that was just written");
            let bytes = std::fs::read(&fixture.backup_path).expect("backup");
            let data = Vault::read_export_bytes(&bytes, &Passphrase::from(PASSWORD))
                .expect("a backup Tessera wrote opens with its passphrase");
            let read: Vec<(String, String)> = data
                .accounts
                .iter()
                .map(|a| (a.issuer.clone(), a.name.clone()))
                .collect();
            assert_eq!(read, written);
            let imported = tessera_transfer::tessera::import(&bytes, Some(PASSWORD))
                .expect("the importer reads what the vault wrote");
            assert_eq!(imported.entries.len(), written.len());
        }
    }
});
