//! Test helper process: opens a vault with the recovery key from `TESSERA_TEST_RECOVERY_KEY`
//! and appends accounts named `<prefix>-<n>`, one save per account, printing `n` on stdout after
//! each save returned. `n` continues from the accounts already there with the same prefix.
//! Before the first save it prints `ready`: a test that kills it times the kill from there, as
//! process start alone takes from a millisecond (Linux) to tens of them (Windows under Wine).
//!
//!   tessera-vault-writer <vault> <prefix> <count>      (count 0 = until killed)

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tessera_core::vault::RecoveryKey;
use tessera_core::{Account, Otp, OtpSecret, UnixTime, Unlock, Vault, VaultError};
use tessera_tests::{RECOVERY_KEY_ENV, WRITER_READY as READY, issuer};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tessera-vault-writer: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args_os().skip(1);
    let usage = "usage: tessera-vault-writer <vault> <prefix> <count>";
    let path = PathBuf::from(args.next().ok_or(usage)?);
    let prefix = args
        .next()
        .and_then(|p| p.into_string().ok())
        .ok_or(usage)?;
    let count: u64 = args
        .next()
        .and_then(|c| c.into_string().ok())
        .and_then(|c| c.parse().ok())
        .ok_or(usage)?;
    let text = std::env::var(RECOVERY_KEY_ENV).map_err(|_| format!("{RECOVERY_KEY_ENV} unset"))?;
    let recovery = RecoveryKey::parse(&text).map_err(|e| e.to_string())?;
    let mut vault =
        Vault::open(&path, Unlock::RecoveryKey(&recovery)).map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{READY}").map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    let mut index = 0u64;
    while count == 0 || index < count {
        let next = vault
            .update(|data| {
                let existing = data
                    .accounts
                    .iter()
                    .filter(|a| a.issuer.starts_with(&format!("{prefix}-")))
                    .count() as u64;
                let n = existing + 1;
                data.accounts.push(Account::new(
                    issuer(&prefix, n),
                    "writer",
                    OtpSecret::from_slice(&n.to_le_bytes()),
                    Otp::DEFAULT_TOTP,
                    UnixTime(n),
                ));
                Ok::<_, VaultError>(n)
            })
            .map_err(|e| e.to_string())?;
        writeln!(stdout, "{next}").map_err(|e| e.to_string())?;
        stdout.flush().map_err(|e| e.to_string())?;
        index += 1;
    }
    Ok(())
}
