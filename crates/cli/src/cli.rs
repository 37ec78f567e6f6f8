//! The command line: the list of subcommands and the dispatch to them. Each subcommand's
//! arguments live with its code; the options every command takes live with the session
//! ([`GlobalArgs`]).

use clap::{Args, CommandFactory as _, Parser, Subcommand};

use crate::commands::{
    account,
    account::{AddArgs, EditArgs, ListArgs, RmArgs, TagCommand},
    code,
    code::CodeArgs,
    keys,
    keys::{PassphraseCommand, RecoveryKeyCommand, UnlockArgs},
    push,
    push::PushCommand,
    qr,
    qr::{QrArgs, ScanArgs},
    selfservice,
    selfservice::AccountCommand,
    transfer,
    transfer::{ExportArgs, ImportArgs},
    vault,
    vault::{BackupArgs, CompletionsArgs, InitArgs, RestoreArgs},
};
use crate::session::{GlobalArgs, Session};

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
    /// Forget the keychain secret and the privacyIDEA sign-in this login session keeps for a
    /// few minutes, so the next command asks the system keychain again (and signs in again).
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
            _ => true,
        }
    }
}

/// Runs one subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    let Cli { global, command } = cli;
    // Commands that need no vault run without resolving one (or reading stdin for it).
    match &command {
        Command::Completions(args) => return vault::completions(args, Cli::command()),
        Command::Code(args) if !command.uses_vault() => return code::run_uri(args),
        Command::Scan(args) if !command.uses_vault() => return qr::scan(None, args),
        _ => {}
    }
    let mut session = Session::new(&global)?;
    match command {
        Command::Init(args) => vault::init(&mut session, &args),
        Command::Add(args) => account::add(&mut session, &args),
        Command::List(args) => account::list(&mut session, &args),
        Command::Code(args) => code::run(&mut session, &args),
        Command::Edit(args) => account::edit(&mut session, &args),
        Command::Rm(args) => account::rm(&mut session, &args),
        Command::Tag(Group { command }) => account::tag(&mut session, &command),
        Command::Backup(args) => vault::backup(&mut session, &args),
        Command::Restore(args) => vault::restore(&mut session, &args),
        Command::Passphrase(Group { command }) => keys::passphrase(&mut session, &command),
        Command::RecoveryKey(Group { command }) => keys::recovery_key(&mut session, &command),
        Command::Unlock(args) => keys::unlock(&mut session, &args),
        Command::Lock => keys::lock(&session),
        Command::Import(args) => transfer::import(&mut session, &args),
        Command::Export(args) => transfer::export(&mut session, &args),
        Command::Scan(args) => qr::scan(Some(&mut session), &args),
        Command::Qr(args) => qr::qr(&mut session, &args),
        Command::Push(Group { command }) => push::run(&mut session, &command),
        Command::Account(Group { command }) => selfservice::run(&mut session, &command),
        Command::Completions(_) => Ok(()),
    }
}
