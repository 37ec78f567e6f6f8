//! Where secrets and answers come from: standard input, one value per line, or the terminal
//! (hidden prompts for secrets). Secrets never come from argv, where `ps` and shell history see
//! them.
//!
//! Order on standard input: the unlock secret (`--passphrase-stdin` / `--recovery-key-stdin`)
//! is the first line, then the command's own values in the order its help lists them.

use std::io::{self, BufRead as _, IsTerminal as _, Read as _, Write as _};

use tessera_core::vault::Passphrase;
use zeroize::Zeroizing;

use crate::failure::CliError;

/// A line longer than this is not a secret, URI or answer.
const MAX_LINE: u64 = 64 * 1024;

/// Standard input, read one line at a time. The lock is taken per line (stdin's buffer is
/// global, so nothing read ahead is lost), leaving terminal prompts free to read too.
pub(crate) struct Input(());

impl Input {
    pub(crate) fn new() -> Self {
        Self(())
    }

    /// Whether a person can be asked (stdin and stderr are terminals).
    pub(crate) fn is_interactive() -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// The next line of stdin, without its line ending. `what` names it in errors.
    pub(crate) fn line(&mut self, what: &'static str) -> anyhow::Result<Zeroizing<String>> {
        let mut line = Zeroizing::new(String::new());
        // Reserve up front so the buffer holding a secret is never reallocated (and left
        // unwiped) while it grows.
        line.reserve(1024);
        let read = io::stdin()
            .lock()
            .take(MAX_LINE + 1)
            .read_line(&mut line)
            .map_err(|e| anyhow::Error::new(e).context(format!("reading the {what}")))?;
        if read == 0 {
            return Err(CliError::StdinEnded(what).into());
        }
        if line.len() as u64 > MAX_LINE {
            return Err(CliError::StdinTooLong.into());
        }
        let end = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(end);
        Ok(line)
    }

    /// The next line of stdin, or `None` when it has ended.
    pub(crate) fn next_line(
        &mut self,
        what: &'static str,
    ) -> anyhow::Result<Option<Zeroizing<String>>> {
        match self.line(what) {
            Ok(line) => Ok(Some(line)),
            Err(error) if matches!(error.downcast_ref(), Some(CliError::StdinEnded(_))) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The next line that is not blank (URIs may come after empty lines).
    pub(crate) fn nonblank_line(
        &mut self,
        what: &'static str,
    ) -> anyhow::Result<Zeroizing<String>> {
        loop {
            match self.line(what) {
                Ok(line) if line.trim().is_empty() => {}
                Ok(line) => return Ok(line),
                Err(error) => {
                    return Err(match error.downcast_ref::<CliError>() {
                        Some(CliError::StdinEnded(_)) if what == "URI" => {
                            CliError::EmptyStdin.into()
                        }
                        _ => error,
                    });
                }
            }
        }
    }

    /// A passphrase from the next line of stdin.
    pub(crate) fn passphrase(&mut self, what: &'static str) -> anyhow::Result<Passphrase> {
        let mut line = self.line(what)?;
        // Moves the text out without copying it; `line` is left empty.
        Ok(Passphrase::new(std::mem::take(&mut *line)))
    }
}

/// A hidden prompt on the terminal.
pub(crate) fn prompt_hidden(prompt: &str) -> anyhow::Result<Zeroizing<String>> {
    let text = rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| anyhow::Error::new(e).context("reading from the terminal"))?;
    Ok(text)
}

/// Asks for a new passphrase twice on the terminal.
pub(crate) fn prompt_new_passphrase(what: &str) -> anyhow::Result<Passphrase> {
    let mut first = prompt_hidden(&format!("New {what}: "))?;
    let second = prompt_hidden(&format!("Repeat the {what}: "))?;
    if *first != *second {
        return Err(CliError::PassphraseMismatch.into());
    }
    Ok(Passphrase::new(std::mem::take(&mut *first)))
}

/// A visible one-line answer on the terminal.
pub(crate) fn prompt_line(prompt: &str) -> anyhow::Result<String> {
    let mut stderr = io::stderr();
    write!(stderr, "{prompt}")?;
    stderr.flush()?;
    let answer = read_terminal_line()
        .map_err(|e| anyhow::Error::new(e).context("reading from the terminal"))?;
    Ok(answer.trim_end_matches(['\n', '\r']).to_owned())
}

/// One line from the terminal, read a byte at a time and unbuffered: stdin's buffer would
/// swallow what was typed ahead for the hidden prompts that follow (rpassword reads the
/// terminal device itself).
#[cfg(unix)]
fn read_terminal_line() -> io::Result<String> {
    let mut tty = std::fs::File::open("/dev/tty")?;
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while (bytes.len() as u64) < MAX_LINE {
        if tty.read(&mut byte)? == 0 || byte[0] == b'\n' {
            break;
        }
        bytes.push(byte[0]);
    }
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(not(unix))]
fn read_terminal_line() -> io::Result<String> {
    let mut answer = String::new();
    io::stdin().lock().take(MAX_LINE).read_line(&mut answer)?;
    Ok(answer)
}

/// Asks "`question` [y/N]" unless `yes`; without a terminal the caller must pass `--yes`.
pub(crate) fn confirm(question: &str, what: &'static str, yes: bool) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !Input::is_interactive() {
        return Err(CliError::ConfirmationNeeded { what }.into());
    }
    let answer = prompt_line(&format!("{question} [y/N] "))?;
    if matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(CliError::Cancelled.into())
    }
}
