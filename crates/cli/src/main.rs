//! `tessera`: the command-line authenticator.
//!
//! `main` only parses arguments, runs the command and turns its error into a message, a hint
//! and an exit code (see [`failure`]); each subcommand lives under `commands/`.

mod cli;
mod commands;
mod failure;
mod input;
mod query;
mod sanitize;
mod session;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    // Clap reports usage errors itself (exit code 2, colour per NO_COLOR/terminal).
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => failure::report(&error),
    }
}
