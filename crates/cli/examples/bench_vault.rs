//! Makes the vault `make bench` times `tessera code QUERY` on: COUNT TOTP accounts named
//! `Issuer NNNN` / `userNNNN@example.com`, bound to the keychain service in
//! `TESSERA_KEYCHAIN_SERVICE` (as the CLI would be with the same variable).
//!
//! Usage: `bench_vault PATH COUNT` (run inside scripts/with-keyring.sh).

use std::path::PathBuf;
use std::process::ExitCode;

use tessera_core::keystore::OsKeyStore;
use tessera_core::vault::Protection;
use tessera_core::{Account, Otp, OtpSecret, UnixTime, Vault, VaultError};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: bench_vault PATH COUNT");
        return ExitCode::from(2);
    };
    let Some(count) = count.to_str().and_then(|c| c.parse::<u32>().ok()) else {
        eprintln!("COUNT must be a whole number");
        return ExitCode::from(2);
    };
    let Ok(service) = std::env::var("TESSERA_KEYCHAIN_SERVICE") else {
        eprintln!("set TESSERA_KEYCHAIN_SERVICE (a throwaway keychain service name)");
        return ExitCode::from(2);
    };
    match make(&PathBuf::from(path), count, &service) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error} ({})", error.code());
            ExitCode::FAILURE
        }
    }
}

fn make(path: &std::path::Path, count: u32, service: &str) -> Result<(), VaultError> {
    let store = OsKeyStore::with_service(service);
    let now = UnixTime(1_700_000_000);
    let protection = Protection {
        keychain: Some(&store),
        passphrase: None,
    };
    let (mut vault, _recovery_key) = Vault::create(path, protection, now)?;
    vault.update(|data| -> Result<(), VaultError> {
        for n in 0..count {
            // Distinct 20-byte secrets; benchmark data, not real accounts.
            let secret: Vec<u8> = (0..20u32)
                .map(|i| (n.wrapping_mul(31).wrapping_add(i * 7) % 251) as u8)
                .collect();
            data.accounts.push(Account::new(
                format!("Issuer {n:04}"),
                format!("user{n:04}@example.com"),
                OtpSecret::from_bytes(secret),
                Otp::DEFAULT_TOTP,
                now,
            ));
        }
        Ok(())
    })
}
