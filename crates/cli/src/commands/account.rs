//! Account commands: `add`, `list`, `edit`, `rm`, `tag add|rm|list`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use tessera_core::uri::{OtpUri, UriError, decode_base32};
use tessera_core::{Account, Algorithm, Digits, Otp, OtpSecret, Period, UnixTime};
use zeroize::Zeroizing;

use crate::failure::CliError;
use crate::input::{self, Input};
use crate::output::{now, print_json, print_text};
use crate::query;
use crate::sanitize::sanitize;
use crate::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Totp,
    Hotp,
    Steam,
}

#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// Add the account an otpauth:// URI describes; `-` reads it from standard input (keeps
    /// the secret out of shell history and the process list).
    #[arg(long, value_name = "URI", conflicts_with_all = ["secret_stdin", "kind", "algorithm", "digits", "period", "counter"])]
    uri: Option<String>,
    /// Service name, e.g. GitHub (asked for when missing and on a terminal).
    #[arg(long)]
    issuer: Option<String>,
    /// Account name within the service, e.g. alice@example.com.
    #[arg(long)]
    name: Option<String>,
    /// Read the base32 secret from standard input instead of a hidden prompt.
    #[arg(long)]
    secret_stdin: bool,
    /// Kind of codes.
    #[arg(long = "type", value_enum, default_value = "totp")]
    kind: Kind,
    /// HMAC algorithm (TOTP and HOTP).
    #[arg(long, value_parser = ["SHA1", "SHA256", "SHA512", "sha1", "sha256", "sha512"])]
    algorithm: Option<String>,
    /// Code length, 5 to 10 (TOTP and HOTP) [default: 6].
    #[arg(long)]
    digits: Option<u32>,
    /// TOTP time step in seconds [default: 30].
    #[arg(long)]
    period: Option<u32>,
    /// HOTP counter of the next code [default: 0].
    #[arg(long)]
    counter: Option<u64>,
    /// Tag the account (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Icon hint (a built-in icon name).
    #[arg(long)]
    icon: Option<String>,
    /// Add it even if the vault already has an account with this secret.
    #[arg(long)]
    allow_duplicate: bool,
}

pub(crate) fn add(session: &mut Session, args: &AddArgs) -> anyhow::Result<()> {
    let mut vault = session.open()?;
    let now = now(None)?;
    // Kept until the account is saved: a privacyIDEA link names its token (`serial=`).
    let mut link = None;
    let mut account = match &args.uri {
        Some(uri) => {
            let text = if uri == "-" {
                session.input.nonblank_line("URI")?
            } else {
                Zeroizing::new(uri.clone())
            };
            let mut account = OtpUri::parse(&text)?.into_account(now);
            link = Some(text);
            if let Some(issuer) = &args.issuer {
                account.issuer = issuer.trim().to_owned();
            }
            if let Some(name) = &args.name {
                account.name = name.trim().to_owned();
            }
            account
        }
        None => account_from_flags(session, args, now)?,
    };
    if account.issuer.is_empty() && account.name.is_empty() {
        return Err(CliError::NoLabel.into());
    }
    for tag in &args.tags {
        add_tag(&mut account, tag)?;
    }
    account.icon = args.icon.clone().filter(|icon| !icon.trim().is_empty());
    if !args.allow_duplicate
        && let Some(existing) = vault
            .accounts()
            .iter()
            .find(|existing| same_account(existing, &account))
    {
        return Err(CliError::Duplicate {
            label: existing.display_label(),
        }
        .into());
    }
    let label = account.display_label();
    let id = account.id;
    vault.update(|data| -> anyhow::Result<()> {
        data.accounts.push(account);
        // `tessera account tokens` then knows the server token it came from.
        if let Some(link) = &link {
            tessera_push::selfservice::link_added(data, id, link);
        }
        Ok(())
    })?;
    anstream::eprintln!("Added {} ({}).", sanitize(&label), query::short_id(id));
    Ok(())
}

fn account_from_flags(
    session: &mut Session,
    args: &AddArgs,
    now: UnixTime,
) -> anyhow::Result<Account> {
    let otp = otp_from_flags(args)?;
    let interactive = Input::is_interactive();
    let issuer = match &args.issuer {
        Some(issuer) => issuer.clone(),
        None if interactive => input::prompt_line("Issuer (service, e.g. GitHub): ")?,
        None => String::new(),
    };
    let name = match &args.name {
        Some(name) => name.clone(),
        None if interactive => input::prompt_line("Account name (e.g. alice@example.com): ")?,
        None => String::new(),
    };
    let text = if args.secret_stdin {
        session.input.line("secret")?
    } else if interactive {
        input::prompt_hidden("Secret (base32, hidden): ")?
    } else {
        return Err(CliError::NotATerminal {
            needed: "the secret",
            flag: "--secret-stdin",
        }
        .into());
    };
    let secret: OtpSecret = decode_base32(&text).ok_or(UriError::InvalidSecret)?.secret;
    Ok(Account::new(issuer.trim(), name.trim(), secret, otp, now))
}

fn otp_from_flags(args: &AddArgs) -> Result<Otp, anyhow::Error> {
    let algorithm = match &args.algorithm {
        Some(text) => Algorithm::parse(text).ok_or(UriError::InvalidAlgorithm)?,
        None => Algorithm::Sha1,
    };
    let digits = match args.digits {
        Some(digits) => Digits::new(digits).ok_or(UriError::InvalidDigits)?,
        None => Digits::SIX,
    };
    Ok(match args.kind {
        Kind::Totp => {
            if args.counter.is_some() {
                return Err(CliError::InvalidParameters("--counter is for HOTP accounts").into());
            }
            let period = match args.period {
                Some(period) => Period::new(period).ok_or(UriError::InvalidPeriod)?,
                None => Period::THIRTY,
            };
            Otp::Totp {
                algorithm,
                digits,
                period,
            }
        }
        Kind::Hotp => {
            if args.period.is_some() {
                return Err(CliError::InvalidParameters("--period is for TOTP accounts").into());
            }
            Otp::Hotp {
                algorithm,
                digits,
                counter: args.counter.unwrap_or(0),
            }
        }
        Kind::Steam => {
            if args.algorithm.is_some()
                || args.digits.is_some()
                || args.period.is_some()
                || args.counter.is_some()
            {
                return Err(CliError::InvalidParameters(
                    "Steam fixes its parameters (SHA1, 5 characters, 30 s): drop --algorithm, \
                     --digits, --period and --counter",
                )
                .into());
            }
            Otp::Steam
        }
    })
}

/// Whether two accounts are the same one: the same id, or core's rule ([`Account::same_as`]).
pub(crate) fn same_account(a: &Account, b: &Account) -> bool {
    a.id == b.id || a.same_as(&b.secret, &b.otp)
}

fn add_tag(account: &mut Account, tag: &str) -> Result<bool, CliError> {
    let tag = tag.trim();
    if tag.is_empty() || tag.chars().any(char::is_control) {
        return Err(CliError::InvalidTag);
    }
    if account
        .tags
        .iter()
        .any(|t| t.to_lowercase() == tag.to_lowercase())
    {
        return Ok(false);
    }
    account.tags.push(tag.to_owned());
    Ok(true)
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Print JSON: an array of {"id","issuer","name","kind","tags","icon"}.
    #[arg(long)]
    json: bool,
    /// Only accounts with this tag.
    #[arg(long)]
    tag: Option<String>,
}

#[derive(Serialize)]
struct AccountJson<'a> {
    id: String,
    issuer: &'a str,
    name: &'a str,
    kind: &'static str,
    tags: &'a [String],
    icon: Option<&'a str>,
}

impl<'a> AccountJson<'a> {
    fn new(account: &'a Account) -> Self {
        Self {
            id: account.id.to_string(),
            issuer: &account.issuer,
            name: &account.name,
            kind: account.otp.kind_name(),
            tags: &account.tags,
            icon: account.icon.as_deref(),
        }
    }
}

pub(crate) fn list(session: &mut Session, args: &ListArgs) -> anyhow::Result<()> {
    let vault = session.open()?;
    let accounts: Vec<&Account> = vault
        .accounts()
        .iter()
        .filter(|account| match &args.tag {
            Some(tag) => account.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            None => true,
        })
        .collect();
    if args.json {
        let items: Vec<AccountJson<'_>> = accounts.iter().map(|a| AccountJson::new(a)).collect();
        return print_json(&items);
    }
    if accounts.is_empty() {
        anstream::eprintln!("No accounts.");
        return Ok(());
    }
    let rows: Vec<[String; 5]> = accounts
        .iter()
        .map(|account| {
            [
                query::short_id(account.id),
                sanitize(&account.issuer).into_owned(),
                sanitize(&account.name).into_owned(),
                account.otp.kind_name().to_owned(),
                sanitize(&account.tags.join(", ")).into_owned(),
            ]
        })
        .collect();
    print_text(&table(&["ID", "ISSUER", "NAME", "KIND", "TAGS"], &rows))
}

/// Left-aligned columns separated by two spaces; the last column is not padded.
fn table<const N: usize>(headers: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = headers.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let mut line = |cells: [&str; N]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                out.push_str(cell);
                out.push_str(&" ".repeat(pad + 2));
            }
        }
        // Writing to a String cannot fail.
        let _ = writeln!(text, "{}", out.trim_end());
    };
    line(*headers);
    for row in rows {
        line(row.each_ref().map(String::as_str));
    }
    text
}

#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// The account (issuer, name, `Issuer:name`, tag or id).
    query: String,
    /// New issuer.
    #[arg(long)]
    issuer: Option<String>,
    /// New account name.
    #[arg(long)]
    name: Option<String>,
    /// New icon hint.
    #[arg(long, conflicts_with = "no_icon")]
    icon: Option<String>,
    /// Remove the icon hint.
    #[arg(long)]
    no_icon: bool,
}

pub(crate) fn edit(session: &mut Session, args: &EditArgs) -> anyhow::Result<()> {
    if args.issuer.is_none() && args.name.is_none() && args.icon.is_none() && !args.no_icon {
        return Err(CliError::NoChange.into());
    }
    let mut vault = session.open()?;
    let now = now(None)?;
    let index = query::resolve(vault.accounts(), &args.query)?;
    let id = vault.accounts()[index].id;
    let label = vault.update(|data| -> anyhow::Result<String> {
        let account = find_mut(&mut data.accounts, id, &args.query)?;
        if let Some(issuer) = &args.issuer {
            account.issuer = issuer.trim().to_owned();
        }
        if let Some(name) = &args.name {
            account.name = name.trim().to_owned();
        }
        if account.issuer.is_empty() && account.name.is_empty() {
            return Err(CliError::NoLabel.into());
        }
        if let Some(icon) = &args.icon {
            account.icon = Some(icon.trim().to_owned()).filter(|icon| !icon.is_empty());
        }
        if args.no_icon {
            account.icon = None;
        }
        account.updated = now;
        Ok(account.display_label())
    })?;
    anstream::eprintln!("Updated {} ({}).", sanitize(&label), query::short_id(id));
    Ok(())
}

fn find_mut<'a>(
    accounts: &'a mut [Account],
    id: tessera_core::AccountId,
    query: &str,
) -> Result<&'a mut Account, CliError> {
    // Another process may have removed it between the read and the write lock.
    accounts
        .iter_mut()
        .find(|account| account.id == id)
        .ok_or_else(|| CliError::NoMatch {
            query: query.to_owned(),
        })
}

#[derive(Debug, Args)]
pub(crate) struct RmArgs {
    /// The account (issuer, name, `Issuer:name`, tag or id).
    query: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    yes: bool,
}

pub(crate) fn rm(session: &mut Session, args: &RmArgs) -> anyhow::Result<()> {
    let mut vault = session.open()?;
    let index = query::resolve(vault.accounts(), &args.query)?;
    let account = &vault.accounts()[index];
    let (id, label) = (account.id, account.display_label());
    input::confirm(
        &format!(
            "Remove {} ({})? Its secret is deleted from the vault.",
            sanitize(&label),
            query::short_id(id)
        ),
        "removing an account",
        args.yes,
    )?;
    vault.update(|data| -> anyhow::Result<()> {
        let before = data.accounts.len();
        data.accounts.retain(|account| account.id != id);
        if data.accounts.len() == before {
            return Err(CliError::NoMatch {
                query: args.query.clone(),
            }
            .into());
        }
        Ok(())
    })?;
    anstream::eprintln!("Removed {}.", sanitize(&label));
    Ok(())
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum TagCommand {
    /// Add tags to an account.
    Add {
        /// The account (issuer, name, `Issuer:name`, tag or id).
        query: String,
        /// The tags.
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Remove tags from an account.
    Rm {
        /// The account (issuer, name, `Issuer:name`, tag or id).
        query: String,
        /// The tags.
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// List the tags in use with how many accounts have each (or one account's tags).
    List {
        /// Only this account's tags.
        query: Option<String>,
        /// Print JSON: [{"tag","count"}], or an array of strings for one account.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct TagJson<'a> {
    tag: &'a str,
    count: usize,
}

pub(crate) fn tag(session: &mut Session, command: &TagCommand) -> anyhow::Result<()> {
    let mut vault = session.open()?;
    match command {
        TagCommand::Add { query, tags } | TagCommand::Rm { query, tags } => {
            let adding = matches!(command, TagCommand::Add { .. });
            let index = query::resolve(vault.accounts(), query)?;
            let id = vault.accounts()[index].id;
            let now = now(None)?;
            let (label, after) = vault.update(|data| -> anyhow::Result<(String, Vec<String>)> {
                let account = find_mut(&mut data.accounts, id, query)?;
                for tag in tags {
                    if adding {
                        add_tag(account, tag)?;
                    } else {
                        let tag = tag.trim().to_lowercase();
                        account.tags.retain(|t| t.to_lowercase() != tag);
                    }
                }
                account.updated = now;
                Ok((account.display_label(), account.tags.clone()))
            })?;
            anstream::eprintln!(
                "{}: {}",
                sanitize(&label),
                if after.is_empty() {
                    "no tags".to_owned()
                } else {
                    sanitize(&after.join(", ")).into_owned()
                }
            );
            Ok(())
        }
        TagCommand::List { query, json } => {
            if let Some(query) = query {
                let index = query::resolve(vault.accounts(), query)?;
                let tags = &vault.accounts()[index].tags;
                if *json {
                    return print_json(tags);
                }
                let text: String = tags.iter().map(|t| format!("{}\n", sanitize(t))).collect();
                return print_text(&text);
            }
            // Counted case-insensitively, shown with the first spelling met.
            let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
            for tag in vault.accounts().iter().flat_map(|a| &a.tags) {
                counts
                    .entry(tag.to_lowercase())
                    .or_insert_with(|| (tag.clone(), 0))
                    .1 += 1;
            }
            if *json {
                let items: Vec<TagJson<'_>> = counts
                    .values()
                    .map(|(tag, count)| TagJson { tag, count: *count })
                    .collect();
                return print_json(&items);
            }
            let rows: Vec<[String; 2]> = counts
                .values()
                .map(|(tag, count)| [sanitize(tag).into_owned(), count.to_string()])
                .collect();
            if rows.is_empty() {
                anstream::eprintln!("No tags.");
                return Ok(());
            }
            print_text(&table(&["TAG", "ACCOUNTS"], &rows))
        }
    }
}
