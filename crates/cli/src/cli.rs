//! The command line: global structure only; each subcommand's arguments live with its code.

use clap::{Parser, Subcommand};

use crate::commands::code::CodeArgs;

/// Tessera: one-time codes (TOTP, HOTP, Steam) from the terminal.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the current code of an otpauth:// URI and how long it stays valid.
    Code(CodeArgs),
}
