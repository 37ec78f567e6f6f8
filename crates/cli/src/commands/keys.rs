//! Key commands: `passphrase set|remove`, `recovery-key rotate`, `unlock`.

use clap::{Args, Subcommand};
use tessera_core::vault::KdfParams;

use crate::failure::CliError;
use crate::input::{self, Input};
use crate::session::{SecretKind, Session, show_recovery_key};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum PassphraseCommand {
    /// Set or change the passphrase (re-keys the vault and deletes its kept versions).
    Set {
        /// Read the new passphrase from standard input (after the unlock secret, if any)
        /// instead of asking twice on the terminal.
        #[arg(long)]
        new_passphrase_stdin: bool,
    },
    /// Remove the passphrase (re-keys the vault); it then opens with the keychain or the
    /// recovery key.
    Remove,
}

pub(crate) fn passphrase(session: &mut Session, command: &PassphraseCommand) -> anyhow::Result<()> {
    let mut vault = session.open()?;
    match command {
        PassphraseCommand::Set {
            new_passphrase_stdin,
        } => {
            let passphrase = if *new_passphrase_stdin {
                session.input.passphrase("new passphrase")?
            } else if Input::is_interactive() {
                input::prompt_new_passphrase("vault passphrase")?
            } else {
                return Err(CliError::NotATerminal {
                    needed: "the new passphrase",
                    flag: "--new-passphrase-stdin",
                }
                .into());
            };
            let had = vault.has_passphrase();
            vault.set_passphrase(&passphrase, KdfParams::RECOMMENDED, session.keychain())?;
            anstream::eprintln!(
                "{} {}",
                if had {
                    "Changed the passphrase."
                } else {
                    "Set the passphrase."
                },
                rekeyed(vault.has_keychain_slot(), "the old passphrase")
            );
        }
        PassphraseCommand::Remove => {
            if !vault.has_passphrase() {
                anstream::eprintln!("This vault has no passphrase: nothing to remove.");
                return Ok(());
            }
            vault.remove_passphrase(session.keychain())?;
            anstream::eprintln!(
                "Removed the passphrase. The vault opens with {}the recovery key.",
                if vault.has_keychain_slot() {
                    "the system keychain or "
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
}

/// What a re-key did, and what it cannot do, as the tests in `tests/cli/keychain.rs`
/// (`a_copy_from_before_passphrase_set_*`) check sentence by sentence.
fn rekeyed(bound: bool, old_secret: &str) -> String {
    let refused = if bound {
        "Tessera on this computer refuses it (vault_rolled_back) in this vault's place or \
         anywhere else, whichever secret is given, unless you keep it with `tessera restore \
         --this-file`"
    } else {
        "this vault is not bound to the system keychain, which is what refuses older copies, \
         so one put back in its place opens again"
    };
    format!(
        "The vault was re-keyed: this file no longer opens with {old_secret}, and its kept \
         versions and set-aside copies were deleted. A copy made before (a backup, a synced \
         folder) still opens with {old_secret} where this computer's keychain is not asked; \
         {refused}."
    )
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum RecoveryKeyCommand {
    /// Make a new recovery key and print it once; the old one stops working (re-keys the
    /// vault). Asks first, unless --yes.
    Rotate {
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

pub(crate) fn recovery_key(
    session: &mut Session,
    command: &RecoveryKeyCommand,
) -> anyhow::Result<()> {
    let RecoveryKeyCommand::Rotate { yes } = command;
    let mut vault = session.open()?;
    input::confirm(
        "Replace the recovery key? The one you wrote down stops working, and you must write the \
         new one down now.",
        "replacing the recovery key",
        *yes,
    )?;
    let key = vault.rotate_recovery_key(session.keychain())?;
    anstream::eprintln!(
        "Replaced the recovery key. {}",
        rekeyed(vault.has_keychain_slot(), "the old recovery key")
    );
    show_recovery_key(&key)
}

#[derive(Debug, Args)]
pub(crate) struct UnlockArgs {
    /// Open with the recovery key (asked on the terminal, or --recovery-key-stdin).
    #[arg(long, conflicts_with = "passphrase")]
    recovery_key: bool,
    /// Open with the passphrase (asked on the terminal, or --passphrase-stdin).
    #[arg(long)]
    passphrase: bool,
}

pub(crate) fn unlock(session: &mut Session, args: &UnlockArgs) -> anyhow::Result<()> {
    let from_stdin = session.stdin_secret_kind();
    let kind = match (args.recovery_key, args.passphrase, from_stdin) {
        (true, _, _) => SecretKind::RecoveryKey,
        (_, true, _) => SecretKind::Passphrase,
        (false, false, Some(kind)) => kind,
        (false, false, None) => {
            return Err(CliError::UnlockConflict(
                "say which secret opens the vault: --recovery-key or --passphrase",
            )
            .into());
        }
    };
    let mut vault = session.open_with_secret(kind)?;
    // Binding the keychain to a file it refuses would pin that file's key: keeping such a file
    // is `restore --this-file`'s job, which re-keys it first.
    vault.check_keychain(session.keychain())?;
    vault.rebind_keychain(session.keychain())?;
    anstream::eprintln!(
        "Unlocked, and bound the vault to the system keychain again: the next commands open it \
         without asking."
    );
    Ok(())
}

/// `tessera lock`: drops the session's cached keychain secrets (see `SessionCache`).
pub(crate) fn lock(session: &Session) -> anyhow::Result<()> {
    let dropped = session.keychain().forget_all();
    anstream::eprintln!(
        "Locked: {dropped} cached keychain secret(s) or privacyIDEA sign-in(s) forgotten; the \
         next command asks the system keychain again, and `tessera account` signs in again."
    );
    Ok(())
}
