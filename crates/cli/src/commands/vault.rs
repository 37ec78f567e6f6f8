//! Whole-vault commands: `init`, `backup`, `restore`, `completions`.

use std::io::{self, Write as _};
use std::path::PathBuf;

use clap::Args;
use tessera_core::vault::{KdfParams, Passphrase, VaultData};
use tessera_core::{Account, Otp, Vault, VaultError};

use crate::commands::account::same_account;
use crate::failure::CliError;
use crate::input::{self, Input};
use crate::output::now;
use crate::sanitize::sanitize;
use crate::session::{Session, show_recovery_key};

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Do not bind the vault to the system keychain (it then opens with its passphrase or
    /// recovery key, e.g. on a shared or headless machine).
    #[arg(long)]
    no_keychain: bool,
}

pub(crate) fn init(session: &mut Session, args: &InitArgs) -> anyhow::Result<()> {
    let now = now(None)?;
    let (vault, recovery_key, bound) = session.create(args.no_keychain, now)?;
    describe_new_vault(&vault, bound);
    show_recovery_key(&recovery_key)
}

fn describe_new_vault(vault: &Vault, bound: bool) {
    let ways = match (bound, vault.has_passphrase()) {
        (true, true) => "silently with the system keychain, or with its passphrase",
        (true, false) => "silently with the system keychain",
        (false, _) => "with its passphrase",
    };
    anstream::eprintln!(
        "Created the vault at {}: it opens {ways}, and with the recovery key below.",
        sanitize(&vault.path().display().to_string())
    );
}

#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// Where to write the backup (a Tessera vault file that opens with its own passphrase).
    path: PathBuf,
    /// Read the backup passphrase from standard input (after the unlock secret, if any)
    /// instead of asking twice on the terminal.
    #[arg(long)]
    backup_passphrase_stdin: bool,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub(crate) fn backup(session: &mut Session, args: &BackupArgs) -> anyhow::Result<()> {
    if args.path.exists() && !args.force {
        return Err(CliError::FileExists {
            path: args.path.clone(),
        }
        .into());
    }
    let vault = session.open()?;
    let passphrase = backup_passphrase(session, args.backup_passphrase_stdin, true)?;
    vault.export_to(&args.path, &passphrase, KdfParams::RECOMMENDED)?;
    anstream::eprintln!(
        "Wrote {} accounts to {}, encrypted with the backup passphrase. Restore with `tessera \
         restore {}`.",
        vault.accounts().len(),
        sanitize(&args.path.display().to_string()),
        sanitize(&args.path.display().to_string()),
    );
    Ok(())
}

fn backup_passphrase(
    session: &mut Session,
    from_stdin: bool,
    new: bool,
) -> anyhow::Result<Passphrase> {
    if from_stdin {
        return session.input.passphrase("backup passphrase");
    }
    if !Input::is_interactive() {
        return Err(CliError::NotATerminal {
            needed: "the backup passphrase",
            flag: "--backup-passphrase-stdin",
        }
        .into());
    }
    if new {
        input::prompt_new_passphrase("backup passphrase")
    } else {
        let mut text = input::prompt_hidden("Backup passphrase: ")?;
        Ok(Passphrase::new(std::mem::take(&mut *text)))
    }
}

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The backup file written by `tessera backup` (or exported by the app).
    #[arg(
        required_unless_present_any = ["kept", "this_file"],
        conflicts_with_all = ["kept", "this_file"]
    )]
    path: Option<PathBuf>,
    /// Read the backup passphrase from standard input (after the unlock secret, if any).
    #[arg(long)]
    backup_passphrase_stdin: bool,
    /// Replace every account in the vault with the backup's (asks first, unless --yes).
    #[arg(long)]
    replace: bool,
    /// Put back the newest kept earlier version of this vault that still opens (for a damaged
    /// vault; the damaged file is moved aside, not deleted).
    #[arg(long, conflicts_with_all = ["replace", "backup_passphrase_stdin", "this_file"])]
    kept: bool,
    /// Keep the vault file now in place although the system keychain refuses it (an older
    /// copy put back, or a file Tessera did not write): it opens with your recovery key or
    /// passphrase and is re-keyed from that secret alone (asks first, unless --yes).
    #[arg(long, conflicts_with_all = ["replace", "backup_passphrase_stdin"])]
    this_file: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    yes: bool,
    /// When the vault does not exist yet: create it without binding the system keychain.
    #[arg(long)]
    no_keychain: bool,
}

pub(crate) fn restore(session: &mut Session, args: &RestoreArgs) -> anyhow::Result<()> {
    if args.this_file {
        return restore_this_file(session, args);
    }
    let Some(path) = &args.path else {
        return restore_kept(session, args);
    };
    let passphrase = backup_passphrase(session, args.backup_passphrase_stdin, false)?;
    let mut backup: VaultData = Vault::read_export(path, &passphrase)?;
    let accounts = std::mem::take(&mut backup.accounts);
    let total = accounts.len();

    let (mut vault, new_vault) = if session.path().exists() {
        (session.open()?, None)
    } else {
        let (vault, recovery_key, bound) = session.create(args.no_keychain, now(None)?)?;
        describe_new_vault(&vault, bound);
        (vault, Some(recovery_key))
    };
    if args.replace && !vault.accounts().is_empty() {
        input::confirm(
            &format!(
                "Replace the {} accounts in the vault with the {total} accounts of the backup?",
                vault.accounts().len()
            ),
            "replacing every account",
            args.yes,
        )?;
    }
    let replace = args.replace;
    let (added, skipped) = vault.update(|data| -> anyhow::Result<(usize, usize)> {
        if replace {
            data.accounts = accounts;
            return Ok((total, 0));
        }
        Ok(merge(&mut data.accounts, accounts))
    })?;
    if replace {
        anstream::eprintln!("Replaced the vault's accounts with the {added} of the backup.");
    } else {
        anstream::eprintln!(
            "Restored {added} accounts; {skipped} were already in the vault and were skipped."
        );
    }
    if let Some(recovery_key) = new_vault {
        show_recovery_key(&recovery_key)?;
    }
    Ok(())
}

/// Adds the accounts the vault does not have yet. For an HOTP account it already has, the
/// higher counter is kept: a lower one would show codes the server has already seen.
fn merge(into: &mut Vec<Account>, accounts: Vec<Account>) -> (usize, usize) {
    let (mut added, mut skipped) = (0, 0);
    for account in accounts {
        match into
            .iter_mut()
            .find(|existing| same_account(existing, &account))
        {
            Some(existing) => {
                if let (
                    Otp::Hotp { counter: ours, .. },
                    Otp::Hotp {
                        counter: theirs, ..
                    },
                ) = (&mut existing.otp, account.otp)
                {
                    *ours = (*ours).max(theirs);
                }
                skipped += 1;
            }
            None => {
                into.push(account);
                added += 1;
            }
        }
    }
    (added, skipped)
}

/// `restore --kept`: the newest kept version that opens goes back in place.
fn restore_kept(session: &mut Session, args: &RestoreArgs) -> anyhow::Result<()> {
    let backups = Vault::backups(session.path())?;
    let mut last_error = None;
    for backup in &backups {
        let vault = match session.open_at(&backup.path) {
            Ok(vault) => vault,
            Err(error) => {
                let damaged = error.downcast_ref::<VaultError>().is_some_and(|e| {
                    matches!(
                        e.code(),
                        "damaged"
                            | "cannot_decrypt"
                            | "payload_unreadable"
                            | "unsupported_version"
                            | "vault_rolled_back"
                            | "vault_replaced"
                    )
                });
                if damaged {
                    last_error = Some(error);
                    continue;
                }
                return Err(error);
            }
        };
        input::confirm(
            &format!(
                "Put back the kept version {} ({} accounts) in place of the current vault file?",
                backup.generation,
                vault.accounts().len()
            ),
            "restoring a kept version",
            args.yes,
        )?;
        let count = vault.accounts().len();
        drop(vault);
        let aside = Vault::restore_backup(session.path(), backup)?;
        anstream::eprintln!(
            "Put back the kept version {} with {count} accounts.",
            backup.generation
        );
        if let Some(aside) = aside {
            anstream::eprintln!(
                "The previous vault file was kept as {}.",
                sanitize(&aside.display().to_string())
            );
        }
        return Ok(());
    }
    Err(last_error.unwrap_or_else(|| {
        anyhow::Error::new(CliError::NoKeptVersion {
            path: session.path().to_owned(),
        })
    }))
}

/// `restore --this-file`: the user vouches for the file the keychain refused.
fn restore_this_file(session: &mut Session, args: &RestoreArgs) -> anyhow::Result<()> {
    let mut vault = session.open_unchecked()?;
    let refusal = match vault.check_keychain(session.keychain()) {
        Ok(()) => {
            anstream::eprintln!(
                "The system keychain does not refuse this vault file: nothing to do."
            );
            return Ok(());
        }
        Err(error @ (VaultError::VaultRolledBack { .. } | VaultError::VaultReplaced)) => error,
        Err(error) => return Err(error.into()),
    };
    anstream::eprintln!("{}", sanitize(&refusal.to_string()));
    input::confirm(
        &format!(
            "Keep this file ({} accounts) as the vault? It is re-keyed from the secret you just \
             gave; any other passphrase or recovery key it had stops opening it.",
            vault.accounts().len()
        ),
        "keeping a vault file the keychain refuses",
        args.yes,
    )?;
    let new_recovery_key = vault.adopt(session.keychain())?;
    anstream::eprintln!(
        "Kept this vault file and re-keyed it: it opens with the system keychain again, and \
         with the secret you gave; its earlier copies were deleted."
    );
    match new_recovery_key {
        Some(key) => show_recovery_key(&key),
        None => Ok(()),
    }
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// `command`: the whole command line (`Cli::command()`), passed in: `cli` depends on the
/// commands, not the other way round.
pub(crate) fn completions(
    args: &CompletionsArgs,
    mut command: clap::Command,
) -> anyhow::Result<()> {
    // Generated into memory first: clap_complete panics on a failed write (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "tessera", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
