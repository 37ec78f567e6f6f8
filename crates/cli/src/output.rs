//! What every command writes on stdout (one line of JSON, or text already sanitized), and the
//! clock commands read (with the `--at` time tests pass).

use std::io::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use serde::Serialize;
use tessera_core::UnixTime;

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
