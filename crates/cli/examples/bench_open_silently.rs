//! Lets the desktop bench's vaults open straight onto the codes: turns off "the OS verifies it is
//! you before a keychain unlock" (on by default), which the desktop app otherwise asks for before
//! it shows any account. Without it the bench would time, weigh and idle the lock screen.
//!
//! Usage: `bench_open_silently PATH` (run inside scripts/with-keyring.sh, on a vault bound to the
//! keychain as `tessera init` binds it).

use std::process::ExitCode;

use tessera_core::keystore::OsKeyStore;
use tessera_core::{Unlock, Vault, VaultError};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: bench_open_silently PATH");
        return ExitCode::from(2);
    };
    let store = OsKeyStore::for_this_build();
    let result = Vault::open(path.as_ref(), Unlock::Keychain(&store)).and_then(|mut vault| {
        vault.update(|data| -> Result<(), VaultError> {
            data.settings.verify_keychain_unlock = false;
            Ok(())
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error} ({})", error.code());
            ExitCode::FAILURE
        }
    }
}
