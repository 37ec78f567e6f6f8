//! `tessera code [QUERY]`: the code of the account QUERY means (or of every account), and
//! `tessera code --uri URI`: the code an otpauth URI shows, without a vault.
//!
//! HOTP: showing a code uses the stored counter and advances it in the same vault write, so a
//! code is never shown twice and the counter never lags behind what the server has seen.

use std::fmt::Write as _;

use clap::Args;
use serde::Serialize;
use tessera_core::otp::{self, Code};
use tessera_core::uri::OtpUri;
use tessera_core::{Account, Otp, UnixTime};

use crate::commands::clipboard;
use crate::failure::CliError;
use crate::input::Input;
use crate::output::{now, print_json, print_text};
use crate::query::{self, Labelled as _};
use crate::sanitize::sanitize;
use crate::session::Session;

#[derive(Debug, Args)]
pub(crate) struct CodeArgs {
    /// The account: issuer, name, `Issuer:name`, a tag, or its id (8+ characters of it are
    /// enough). Without it, the codes of every time-based account.
    #[arg(value_name = "QUERY", conflicts_with = "uri")]
    query: Option<String>,
    /// An otpauth:// URI instead of a vault account, or `-` to read it from standard input
    /// (keeps the secret out of shell history and the process list).
    #[arg(long, value_name = "URI")]
    uri: Option<String>,
    /// Print JSON: {"code","seconds_left","issuer","name"} (plus "id" and "kind" for vault
    /// accounts; an array without QUERY).
    #[arg(long)]
    json: bool,
    /// Compute the code at this time (seconds since 1970-01-01 UTC) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Put the code on the clipboard instead of printing it; it is cleared after a delay if it
    /// is still there.
    #[arg(long, short = 'c')]
    copy: bool,
    /// Seconds before a copied code is cleared (0: never) [default: the vault setting, 30].
    #[arg(long, value_name = "SECONDS", requires = "copy")]
    clear_after: Option<u32>,
}

impl CodeArgs {
    pub(crate) fn uses_vault(&self) -> bool {
        self.uri.is_none()
    }
}

#[derive(Serialize)]
struct CodeJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    code: Option<&'a str>,
    seconds_left: Option<u32>,
    issuer: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
}

/// `code --uri`.
pub(crate) fn run_uri(args: &CodeArgs) -> anyhow::Result<()> {
    let Some(uri) = &args.uri else {
        return Ok(());
    };
    let text = if uri == "-" {
        Input::new().nonblank_line("URI")?
    } else {
        zeroize::Zeroizing::new(uri.clone())
    };
    let uri = OtpUri::parse(&text)?;
    let now = now(args.at)?;
    let code = otp::generate(&uri.secret, &uri.otp, now);
    let seconds_left = otp::seconds_left(&uri.otp, now);
    if args.copy {
        let label = tessera_core::model::display_label(&uri.issuer, &uri.name);
        return clipboard::copy(&code, args.clear_after.unwrap_or(30), &label);
    }
    let json = CodeJson {
        id: None,
        code: Some(code.as_str()),
        seconds_left,
        issuer: &uri.issuer,
        name: &uri.name,
        kind: None,
    };
    output(args.json, &json)
}

/// `code [QUERY]` on the vault.
pub(crate) fn run(session: &mut Session, args: &CodeArgs) -> anyhow::Result<()> {
    if let Some(query) = &args.query
        && glance_code(session, args, query)?
    {
        return Ok(());
    }
    let mut vault = session.open()?;
    let now = now(args.at)?;
    let Some(query) = &args.query else {
        if args.copy {
            return Err(CliError::CopyNeedsOneAccount.into());
        }
        return all_codes(vault.accounts(), now, args.json);
    };
    let index = query::resolve(vault.accounts(), query)?;
    let account = &vault.accounts()[index];
    let id = account.id;
    let code = if let Otp::Hotp { .. } = account.otp {
        // Generate with the counter as stored under the writer lock, and advance it in the
        // same write.
        vault.update(|data| -> anyhow::Result<Code> {
            let account = data
                .accounts
                .iter_mut()
                .find(|account| account.id == id)
                .ok_or_else(|| CliError::NoMatch {
                    query: query.clone(),
                })?;
            let code = otp::generate(&account.secret, &account.otp, now);
            if let Otp::Hotp { counter, .. } = &mut account.otp {
                *counter = counter.checked_add(1).ok_or(CliError::CounterExhausted)?;
            }
            account.updated = now;
            Ok(code)
        })?
    } else {
        otp::generate(&account.secret, &account.otp, now)
    };
    let account = vault.data().account(id).ok_or_else(|| CliError::NoMatch {
        query: query.clone(),
    })?;
    if args.copy {
        let clear_after = args
            .clear_after
            .unwrap_or(vault.settings().clipboard_clear_secs);
        return clipboard::copy(&code, clear_after, &account.display_label());
    }
    output(args.json, &account_json(account, Some(&code), now))
}

/// `code QUERY` from a [`Glance`](tessera_core::vault::Glance): most runs show a time-based
/// code and change nothing, so they need not build every account. Returns false (having done
/// nothing) when the vault needs a secret from the user to open, for an HOTP account, whose
/// code must advance the counter in a vault write, and for a payload the glance cannot read:
/// the full open then asks, writes, or reports what is wrong.
fn glance_code(session: &Session, args: &CodeArgs, query: &str) -> anyhow::Result<bool> {
    let Some(glance) = session.glance_silently()? else {
        return Ok(false);
    };
    // Only the accounts still in the running for the best match are kept while reading.
    let mut ranker = query::Ranker::new(query);
    let Ok(data) = glance.read_where(|account| ranker.offer(account)) else {
        return Ok(false);
    };
    let account = &data.accounts[query::resolve_kept(&data.accounts, &ranker, query)?];
    if let Otp::Hotp { .. } = account.otp {
        return Ok(false);
    }
    let now = now(args.at)?;
    let code = otp::generate(&account.secret()?, &account.otp, now);
    if args.copy {
        let clear_after = args
            .clear_after
            .unwrap_or(data.settings.clipboard_clear_secs);
        return clipboard::copy(&code, clear_after, &account.display_label()).map(|()| true);
    }
    let json = CodeJson {
        id: Some(account.id.to_string()),
        code: Some(code.as_str()),
        seconds_left: otp::seconds_left(&account.otp, now),
        issuer: &account.issuer,
        name: &account.name,
        kind: Some(account.otp.kind_name()),
    };
    output(args.json, &json).map(|()| true)
}

fn account_json<'a>(account: &'a Account, code: Option<&'a Code>, now: UnixTime) -> CodeJson<'a> {
    CodeJson {
        id: Some(account.id.to_string()),
        code: code.map(Code::as_str),
        seconds_left: otp::seconds_left(&account.otp, now),
        issuer: &account.issuer,
        name: &account.name,
        kind: Some(account.otp.kind_name()),
    }
}

fn output(json: bool, code: &CodeJson<'_>) -> anyhow::Result<()> {
    if json {
        return print_json(code);
    }
    let text = code.code.unwrap_or_default();
    match code.seconds_left {
        Some(seconds) => print_text(&format!("{text}  ({seconds} s left)\n")),
        // HOTP codes do not expire; they change when the counter is advanced.
        None => print_text(&format!("{text}\n")),
    }
}

/// Every time-based account's code. HOTP accounts are listed without one: showing an HOTP
/// code uses up a counter value, so that takes an explicit `tessera code QUERY`.
fn all_codes(accounts: &[Account], now: UnixTime, json: bool) -> anyhow::Result<()> {
    let codes: Vec<Option<Code>> = accounts
        .iter()
        .map(|account| match account.otp {
            Otp::Hotp { .. } => None,
            _ => Some(otp::generate(&account.secret, &account.otp, now)),
        })
        .collect();
    if json {
        let items: Vec<CodeJson<'_>> = accounts
            .iter()
            .zip(&codes)
            .map(|(account, code)| account_json(account, code.as_ref(), now))
            .collect();
        return print_json(&items);
    }
    if accounts.is_empty() {
        anstream::eprintln!("The vault has no accounts yet: add one with `tessera add`.");
        return Ok(());
    }
    let width = codes
        .iter()
        .flatten()
        .map(Code::len)
        .max()
        .unwrap_or(6)
        .max(6);
    let mut text = String::new();
    for (account, code) in accounts.iter().zip(&codes) {
        let dashes = "-".repeat(width);
        let (shown, left) = match code {
            Some(code) => (
                code.as_str(),
                otp::seconds_left(&account.otp, now)
                    .map(|s| format!("{s:>2} s"))
                    .unwrap_or_default(),
            ),
            None => (dashes.as_str(), "hotp".to_owned()),
        };
        // Writing to a String cannot fail.
        let _ = writeln!(
            text,
            "{shown:<width$}  {left:<4}  {}  {}",
            query::short_id(account.id),
            sanitize(&account.display_label())
        );
    }
    print_text(&text)
}
