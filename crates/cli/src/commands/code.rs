//! `tessera code --uri URI`: the code an otpauth URI shows now (or at `--at`).

use std::io::{self, BufRead as _, Read as _, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use clap::Args;
use serde::Serialize;
use tessera_core::UnixTime;
use tessera_core::otp;
use tessera_core::uri::OtpUri;
use zeroize::Zeroizing;

use crate::failure::InputError;

#[derive(Debug, Args)]
pub(crate) struct CodeArgs {
    /// The otpauth:// URI, or `-` to read it from standard input (keeps the secret out of shell
    /// history and the process list).
    #[arg(long, value_name = "URI")]
    uri: String,
    /// Print JSON: {"code","seconds_left","issuer","name"}.
    #[arg(long)]
    json: bool,
    /// Compute the code at this time (seconds since 1970-01-01 UTC) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
}

#[derive(Serialize)]
struct CodeJson<'a> {
    code: &'a str,
    seconds_left: Option<u32>,
    issuer: &'a str,
    name: &'a str,
}

/// Stdin holds one URI; anything longer than this is not one (and is not read into memory).
const MAX_STDIN: u64 = 64 * 1024;

pub(crate) fn run(args: &CodeArgs) -> anyhow::Result<()> {
    let text = if args.uri == "-" {
        read_stdin()?
    } else {
        Zeroizing::new(args.uri.clone())
    };
    let uri = OtpUri::parse(&text)?;
    let now = match args.at {
        Some(seconds) => UnixTime(seconds),
        None => now()?,
    };
    let code = otp::generate(&uri.secret, &uri.otp, now);
    let seconds_left = otp::seconds_left(&uri.otp, now);

    let mut out = io::stdout().lock();
    if args.json {
        let json = CodeJson {
            code: code.as_str(),
            seconds_left,
            issuer: &uri.issuer,
            name: &uri.name,
        };
        serde_json::to_writer(&mut out, &json).context("writing JSON")?;
        writeln!(out)?;
    } else {
        match seconds_left {
            Some(seconds) => writeln!(out, "{code}  ({seconds} s left)")?,
            // HOTP codes do not expire; they change when the counter is advanced.
            None => writeln!(out, "{code}")?,
        }
    }
    out.flush()?;
    Ok(())
}

/// The first non-blank line of stdin.
fn read_stdin() -> anyhow::Result<Zeroizing<String>> {
    let mut text = Zeroizing::new(String::new());
    // Reserve up front so the buffer holding the secret is never reallocated (and left unwiped).
    text.reserve(usize::try_from(MAX_STDIN).unwrap_or(0) + 1);
    io::stdin()
        .lock()
        .take(MAX_STDIN + 1)
        .read_to_string(&mut text)
        .context("reading the URI from standard input")?;
    if text.len() as u64 > MAX_STDIN {
        return Err(InputError::StdinTooLong.into());
    }
    let line = text
        .as_bytes()
        .lines()
        .map_while(Result::ok)
        .map(Zeroizing::new)
        .find(|line| !line.trim().is_empty())
        .ok_or(InputError::EmptyStdin)?;
    Ok(line)
}

fn now() -> anyhow::Result<UnixTime> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is set before 1970")?;
    Ok(UnixTime(since_epoch.as_secs()))
}
