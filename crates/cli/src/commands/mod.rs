//! One module per subcommand; `run` only dispatches.

pub(crate) mod code;

use crate::cli::Command;

/// Runs one subcommand.
pub(crate) fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Code(args) => code::run(&args),
    }
}
