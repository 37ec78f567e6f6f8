//! `tessera`: the command-line authenticator.
//!
//! `main` only parses arguments, runs the command and turns its error into a message, a hint
//! and an exit code (see [`failure`]); each subcommand lives under `commands/`.

mod cli;
mod commands;
mod failure;
mod input;
mod output;
mod query;
mod sanitize;
mod session;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    // The detached clipboard holder `code --copy` starts (not a user command).
    let mut args = std::env::args_os();
    if args
        .nth(1)
        .is_some_and(|arg| arg == commands::clipboard::HOLD_ARG)
    {
        let clear_after = args
            .next()
            .and_then(|arg| arg.to_str()?.parse().ok())
            .unwrap_or(30);
        return match commands::clipboard::hold(clear_after) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => failure::report(&error),
        };
    }
    // Clap reports usage errors itself (exit code 2, colour per NO_COLOR/terminal).
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => failure::report(&error),
    }
}
