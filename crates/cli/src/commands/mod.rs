//! One module per group of subcommands; `run` only dispatches.

pub(crate) mod account;
pub(crate) mod clipboard;
pub(crate) mod code;
pub(crate) mod keys;
pub(crate) mod push;
pub(crate) mod qr;
pub(crate) mod selfservice;
pub(crate) mod transfer;
pub(crate) mod vault;

use std::io::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use serde::Serialize;
use tessera_core::UnixTime;

use crate::cli::{Cli, Command, Group};
use crate::session::Session;

/// Runs one subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    let Cli { global, command } = cli;
    // Commands that need no vault run without resolving one (or reading stdin for it).
    match &command {
        Command::Completions(args) => return vault::completions(args),
        Command::Code(args) if !command.uses_vault() => return code::run_uri(args),
        Command::Scan(args) if !command.uses_vault() => return qr::scan(None, args),
        Command::Account(Group { command }) if !command.uses_vault() => {
            // An unlock secret given anyway is the first line: skip it, the password follows.
            let mut input = crate::input::Input::new();
            if global.passphrase_stdin || global.recovery_key_stdin {
                input.line("unlock secret")?;
            }
            return selfservice::run_without_vault(command, input);
        }
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

/// Now, or the `--at` time tests and scripts pass.
pub(crate) fn now(at: Option<u64>) -> anyhow::Result<UnixTime> {
    if let Some(seconds) = at {
        return Ok(UnixTime(seconds));
    }
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is set before 1970")?;
    Ok(UnixTime(since_epoch.as_secs()))
}

/// Writes `value` as one line of JSON on stdout.
pub(crate) fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value).context("writing JSON")?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Writes `text` on stdout (already sanitized by the caller).
pub(crate) fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
