//! How errors leave the process: `error: <message> (<code>)` on stderr, exit code 2 for bad
//! input and 1 for everything else, and silence when stdout was closed early (`| head`).

use std::io;
use std::process::ExitCode;

use anstream::eprintln;
use tessera_core::uri::UriError;

/// Input the CLI itself rejects (as opposed to the core's typed errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum InputError {
    #[error("standard input holds no URI")]
    EmptyStdin,
    #[error("standard input is longer than one URI can be")]
    StdinTooLong,
}

impl InputError {
    fn code(self) -> &'static str {
        match self {
            Self::EmptyStdin => "empty_stdin",
            Self::StdinTooLong => "stdin_too_long",
        }
    }
}

/// Exit statuses of the CLI.
const BAD_INPUT: u8 = 2;
const FAILURE: u8 = 1;

/// Prints `error` and returns the exit code for it.
pub(crate) fn report(error: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(error) {
        // The reader went away (e.g. `| head -1`): nothing to report, like ripgrep.
        return ExitCode::SUCCESS;
    }
    let (status, code) = classify(error);
    // `{:#}` prints the context chain on one line. Core error messages never contain secrets.
    eprintln!("\x1b[1;31merror:\x1b[0m {error:#} ({code})");
    ExitCode::from(status)
}

fn classify(error: &anyhow::Error) -> (u8, &'static str) {
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<UriError>() {
            return (BAD_INPUT, e.code());
        }
        if let Some(e) = cause.downcast_ref::<InputError>() {
            return (BAD_INPUT, e.code());
        }
        if cause.downcast_ref::<io::Error>().is_some() {
            return (FAILURE, "io_error");
        }
    }
    (FAILURE, "internal")
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                .is_some_and(|kind| kind == io::ErrorKind::BrokenPipe)
    })
}
