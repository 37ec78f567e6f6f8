//! The command line: global options and the list of subcommands; each subcommand's arguments
//! live with its code.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::{
    account::{AddArgs, EditArgs, ListArgs, RmArgs, TagCommand},
    code::CodeArgs,
    keys::{PassphraseCommand, RecoveryKeyCommand, UnlockArgs},
    push::PushCommand,
    qr::{QrArgs, ScanArgs},
    selfservice::AccountCommand,
    transfer::{ExportArgs, ImportArgs},
    vault::{BackupArgs, CompletionsArgs, InitArgs, RestoreArgs},
};

const AFTER_HELP: &str = "\
Secrets never go on the command line: they are asked for on the terminal, or read one per line
from standard input with the --*-stdin options (the unlock secret first).

Exit status: 0 success, 1 failure, 2 bad input or usage, 3 no account matches, 4 several
accounts match (they are listed), 5 the vault stays locked (keychain unusable, wrong passphrase
or recovery key).";

/// Tessera: one-time codes (TOTP, HOTP, Steam) from an encrypted vault, in the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "tessera",
    version,
    about,
    propagate_version = true,
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every vault command accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The vault file [default: vault.tessera in the platform data directory, e.g.
    /// ~/.local/share/tessera/]
    #[arg(long, global = true, env = "TESSERA_VAULT", value_name = "PATH")]
    pub(crate) vault: Option<PathBuf>,
    /// Open the vault with the passphrase on the first line of standard input (for `init` and a
    /// restore into a new vault: the new vault's passphrase).
    #[arg(long, global = true, conflicts_with = "recovery_key_stdin")]
    pub(crate) passphrase_stdin: bool,
    /// Open the vault with the recovery key on the first line of standard input.
    #[arg(long, global = true)]
    pub(crate) recovery_key_stdin: bool,
    /// Keychain service name (tests use their own, so they never touch the real entries).
    #[arg(long, global = true, hide = true, env = "TESSERA_KEYCHAIN_SERVICE")]
    pub(crate) keychain_service: Option<String>,
    /// Seconds this login session keeps the keychain secret in the kernel keyring after a
    /// look-up, so the next commands skip the keychain (Linux; 0: never; `tessera lock` forgets
    /// it now).
    #[arg(long, global = true, env = "TESSERA_KEY_CACHE_SECONDS", value_name = "SECONDS",
          default_value_t = tessera_core::keystore::SESSION_CACHE_TTL_SECONDS)]
    pub(crate) key_cache_seconds: u32,
}

// Each subcommand's arguments are built only when that subcommand runs: building the whole
// tree at every start was half of `tessera code`'s start-up time (callgrind).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum Command {
    /// Create a new vault and print its recovery key (once).
    Init(InitArgs),
    /// Add an account from an otpauth:// URI, or by answering prompts.
    Add(AddArgs),
    /// List the accounts (no secrets, no codes).
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Print the current code of an account (or of every account), or of an otpauth:// URI.
    Code(CodeArgs),
    /// Change an account's issuer, name or icon.
    Edit(EditArgs),
    /// Remove an account (asks first, unless --yes).
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Add, remove or list tags.
    Tag(Group<TagCommand>),
    /// Write an encrypted backup of the vault, protected by a passphrase of its own.
    Backup(BackupArgs),
    /// Bring accounts back from a backup (merged without duplicates, or --replace), or put the
    /// newest kept version of a damaged vault back (--kept).
    Restore(RestoreArgs),
    /// Import the accounts of another app's export file (preview first; only new accounts are
    /// added, in one write).
    Import(ImportArgs),
    /// Export the accounts for another app (Aegis, Google Authenticator, otpauth:// list) or as
    /// a Tessera backup.
    Export(ExportArgs),
    /// Read QR codes from image files: list the accounts found (no secrets), --add them.
    Scan(ScanArgs),
    /// Show an account as a QR code on the terminal (asks first: it reveals the secret).
    Qr(QrArgs),
    /// privacyIDEA push tokens: enroll, list, rename, remove, watch for sign-in requests and
    /// answer them, and the sign-in activity.
    Push(Group<PushCommand>),
    /// Your tokens at your organisation's privacyIDEA: list them, enroll TOTP/HOTP/push straight
    /// into the vault, disable, enable, delete, reset or resync one, create backup codes.
    Account(Group<AccountCommand>),
    /// Set, change or remove the vault passphrase.
    Passphrase(Group<PassphraseCommand>),
    /// Replace the recovery key.
    #[command(name = "recovery-key")]
    RecoveryKey(Group<RecoveryKeyCommand>),
    /// Open the vault with the recovery key or passphrase and bind the system keychain again,
    /// so later commands open it silently.
    Unlock(UnlockArgs),
    /// Forget the keychain secret this login session keeps for a few minutes, so the next
    /// command asks the system keychain again.
    Lock,
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

// A command with subcommands of its own (`tessera push list`). Held as arguments rather than a
// `#[command(subcommand)]` variant because clap's `defer` skips subcommand variants: this way
// `tessera code` does not build the push, account, tag and key subtrees at every start.
// (A plain comment: a doc comment would replace each command's own help text.)
#[derive(Debug, Args)]
pub(crate) struct Group<T: Subcommand> {
    #[command(subcommand)]
    pub(crate) command: T,
}

impl Command {
    /// Whether the command works on the vault (and so reads the unlock secret from stdin).
    pub(crate) fn uses_vault(&self) -> bool {
        match self {
            Self::Code(args) => args.uses_vault(),
            Self::Completions(_) => false,
            Self::Scan(args) => args.uses_vault(),
            Self::Account(group) => group.command.uses_vault(),
            _ => true,
        }
    }
}
