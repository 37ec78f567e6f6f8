//! `tessera account …`: the user's own self-service at their organisation's privacyIDEA: see
//! their tokens (marking those that live in this vault), enroll TOTP/HOTP tokens straight into
//! the vault (the secret is never shown), disable, enable, delete, reset or resync a token, and
//! create backup codes (shown once).
//!
//! The password comes from standard input (after the vault's unlock secret, if any) or a hidden
//! prompt; the session token stays in memory for this one command.

use std::io::IsTerminal as _;
use std::time::Duration;

use anstream::eprintln;
use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde::Serialize;
use tessera_push::selfservice::{
    Here, Password, SelfServiceError, Server, Session as PiSession, SignIn, TokenInfo, mark_here,
    save_enrolled,
};

use crate::commands::push;
use crate::input::{self, Input};
use crate::output::{now, print_json, print_text};
use crate::query;
use crate::sanitize::sanitize;
use crate::session::Session;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum AccountCommand {
    /// List your tokens at the server, marking those that live in this vault.
    Tokens(TokensArgs),
    /// Enroll a new TOTP token at the server, its secret straight into the vault (never shown).
    EnrollTotp(EnrollArgs),
    /// Enroll a new HOTP token at the server, its secret straight into the vault (never shown).
    EnrollHotp(EnrollArgs),
    /// Enroll a new push token at the server end to end (device key made here), straight into
    /// the vault; `tessera push watch` then answers its sign-in requests.
    EnrollPush(EnrollPushArgs),
    /// Disable a token (e.g. on a lost device); `enable` turns it back on.
    Disable(SerialArgs),
    /// Enable a disabled token.
    Enable(SerialArgs),
    /// Delete a token at the server for good (asks first, unless --yes).
    Delete(DeleteArgs),
    /// Reset a locked token's failure counter.
    Reset(SerialArgs),
    /// Resync a token whose codes are rejected, with two consecutive codes (read after the
    /// password, one per line, or asked for).
    Resync(SerialArgs),
    /// Create one-time backup codes (shown this once: print or save them).
    BackupCodes(BackupCodesArgs),
}

impl AccountCommand {
    /// Whether the command works on the vault.
    pub(crate) fn uses_vault(&self) -> bool {
        matches!(
            self,
            Self::Tokens(_) | Self::EnrollTotp(_) | Self::EnrollHotp(_) | Self::EnrollPush(_)
        )
    }
}

/// Where and as whom to sign in.
#[derive(Debug, Args)]
pub(crate) struct Connect {
    /// The privacyIDEA server, e.g. https://pi.example.com
    #[arg(long, value_name = "URL", env = "TESSERA_PI_SERVER")]
    server: String,
    /// Your user name there.
    #[arg(long, value_name = "USER", env = "TESSERA_PI_USER")]
    user: String,
    /// Your realm, if the server has several.
    #[arg(long, value_name = "REALM", env = "TESSERA_PI_REALM")]
    realm: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TokensArgs {
    #[command(flatten)]
    connect: Connect,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EnrollArgs {
    #[command(flatten)]
    connect: Connect,
    /// A description for the token at the server.
    #[arg(long, default_value = "Tessera")]
    description: String,
    /// Print the new account as JSON (no secret).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EnrollPushArgs {
    #[command(flatten)]
    enroll: EnrollArgs,
    /// Device key size in bits (tests use 2048; 4096 is what the official app makes).
    #[arg(long, hide = true, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(2048..=4096))]
    key_bits: u32,
    /// Enroll even if the server's push link turns TLS certificate checks off (sslverify=0):
    /// anyone between this computer and the server could then answer in its place.
    #[arg(long)]
    allow_unverified_tls: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SerialArgs {
    #[command(flatten)]
    connect: Connect,
    /// The token's serial (`tessera account tokens` lists them).
    serial: String,
}

#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    #[command(flatten)]
    serial: SerialArgs,
    /// Do not ask first.
    #[arg(long, short)]
    yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BackupCodesArgs {
    #[command(flatten)]
    connect: Connect,
    /// How many codes (the server's policy may fix another number).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    count: u32,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the network runtime")
}

/// Runs a command that needs no vault.
pub(crate) fn run_without_vault(command: &AccountCommand, mut input: Input) -> anyhow::Result<()> {
    let rt = runtime()?;
    match command {
        AccountCommand::Disable(args) => simple(&rt, &mut input, args, Action::Disable),
        AccountCommand::Enable(args) => simple(&rt, &mut input, args, Action::Enable),
        AccountCommand::Reset(args) => simple(&rt, &mut input, args, Action::Reset),
        AccountCommand::Delete(args) => {
            input::confirm(
                &format!(
                    "Delete token {} at the server for good? It will no longer sign you in.",
                    sanitize(&args.serial.serial)
                ),
                "deleting a token",
                args.yes,
            )?;
            simple(&rt, &mut input, &args.serial, Action::Delete)
        }
        AccountCommand::Resync(args) => {
            let pi = sign_in(&rt, &mut input, &args.connect)?;
            let first = answer(&mut input, "first code", "First code: ")?;
            let second = answer(&mut input, "second code", "The next code: ")?;
            rt.block_on(pi.resync(&args.serial, &first, &second))?;
            eprintln!("Token {} is in sync again.", sanitize(&args.serial));
            Ok(())
        }
        AccountCommand::BackupCodes(args) => {
            let pi = sign_in(&rt, &mut input, &args.connect)?;
            let codes =
                rt.block_on(pi.create_backup_codes(args.count, Some("Tessera backup codes")))?;
            eprintln!(
                "Your {} backup codes (token {}), shown this once: print them or keep them \
                 somewhere safe. Each signs you in once, after your password.\n",
                codes.len(),
                sanitize(codes.serial())
            );
            let mut text = String::new();
            for code in codes.expose_codes() {
                text.push_str(&sanitize(code));
                text.push('\n');
            }
            print_text(&text)
        }
        AccountCommand::Tokens(_)
        | AccountCommand::EnrollTotp(_)
        | AccountCommand::EnrollHotp(_)
        | AccountCommand::EnrollPush(_) => Ok(()),
    }
}

/// Runs a command that works on the vault.
pub(crate) fn run(session: &mut Session, command: &AccountCommand) -> anyhow::Result<()> {
    match command {
        AccountCommand::Tokens(args) => tokens(session, args),
        AccountCommand::EnrollTotp(args) => enroll(session, args, false),
        AccountCommand::EnrollHotp(args) => enroll(session, args, true),
        AccountCommand::EnrollPush(args) => enroll_push(session, args),
        _ => run_without_vault(command, Input::new()),
    }
}

#[derive(Clone, Copy)]
enum Action {
    Disable,
    Enable,
    Reset,
    Delete,
}

fn simple(
    rt: &tokio::runtime::Runtime,
    input: &mut Input,
    args: &SerialArgs,
    action: Action,
) -> anyhow::Result<()> {
    let pi = sign_in(rt, input, &args.connect)?;
    let serial = args.serial.as_str();
    rt.block_on(async {
        match action {
            Action::Disable => pi.disable(serial).await,
            Action::Enable => pi.enable(serial).await,
            Action::Reset => pi.reset_failcounter(serial).await,
            Action::Delete => pi.delete(serial).await,
        }
    })?;
    let done = match action {
        Action::Disable => "disabled: it signs nobody in until it is enabled again",
        Action::Enable => "enabled",
        Action::Reset => "unlocked: its failure counter is back to 0",
        Action::Delete => "deleted at the server",
    };
    eprintln!("Token {} {done}.", sanitize(serial));
    Ok(())
}

/// The next stdin line when stdin is not a terminal, else a visible prompt.
fn answer(input: &mut Input, what: &'static str, prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        input::prompt_line(prompt)
    } else {
        Ok(input.line(what)?.trim().to_owned())
    }
}

fn password(input: &mut Input, connect: &Connect) -> anyhow::Result<Password> {
    let mut text = if std::io::stdin().is_terminal() {
        input::prompt_hidden(&format!(
            "Password of {} at {}: ",
            sanitize(&connect.user),
            sanitize(&connect.server)
        ))?
    } else {
        input.line("password")?
    };
    Ok(Password::new(std::mem::take(&mut *text)))
}

fn sign_in(
    rt: &tokio::runtime::Runtime,
    input: &mut Input,
    connect: &Connect,
) -> anyhow::Result<PiSession> {
    let server = Server::parse(&connect.server)?;
    let password = password(input, connect)?;
    let client = push::client()?;
    let realm = connect.realm.as_deref();
    let mut step = rt.block_on(PiSession::sign_in(
        &client,
        &server,
        &connect.user,
        realm,
        &password,
    ))?;
    drop(password);
    let mut tries = 0;
    loop {
        let second = match step {
            SignIn::Done(session) => return Ok(session),
            SignIn::SecondFactor(second) => second,
        };
        tries += 1;
        let push = second.has_push();
        if std::io::stdin().is_terminal() {
            eprintln!(
                "The server asks for a second factor: {}.",
                if push {
                    "a code from your authenticator or a backup code, or Enter to approve the \
                     push request (`tessera push watch` in another terminal, or your phone)"
                } else {
                    "a code from your authenticator (`tessera code`) or a backup code"
                }
            );
        }
        let mut code = if std::io::stdin().is_terminal() {
            input::prompt_hidden("Code: ")?
        } else {
            input.line("second-factor code")?
        };
        let result = if code.trim().is_empty() && push {
            eprintln!("Waiting for the push approval (up to 2 minutes)…");
            rt.block_on(second.wait_for_push(Duration::from_secs(120)))
        } else {
            rt.block_on(second.answer_code(code.trim()))
        };
        zeroize::Zeroize::zeroize(&mut *code);
        match result {
            Ok(next) => step = next,
            Err(SelfServiceError::BadCredentials)
                if tries < 3 && std::io::stdin().is_terminal() =>
            {
                eprintln!("That code is wrong; try again.");
                step = SignIn::SecondFactor(second);
            }
            Err(error) => return Err(error.into()),
        }
    }
}

#[derive(Serialize)]
struct TokenItem<'a> {
    serial: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    description: &'a str,
    status: &'static str,
    failcount: u32,
    maxfail: u32,
    last_used: Option<u64>,
    remaining_codes: Option<u32>,
    /// The vault account id, or the push token id, when it lives here.
    here: Option<String>,
}

fn here_text(here: Option<&Here>) -> Option<String> {
    match here? {
        Here::Account(id) => Some(id.to_string()),
        Here::Push(id) => Some(id.clone()),
    }
}

fn tokens(session: &mut Session, args: &TokensArgs) -> anyhow::Result<()> {
    let mut vault = session.open()?;
    // The push tokens live in the push key store beside the vault.
    let store = tessera_push::sealed::PushStore::open_from_vault(
        &mut vault,
        Some(session.keychain()),
        crate::output::now(None)?,
    )?;
    let rt = runtime()?;
    let pi = sign_in(&rt, &mut session.input, &args.connect)?;
    let mut tokens: Vec<TokenInfo> = rt.block_on(pi.list_tokens())?;
    mark_here(&mut tokens, pi.server(), vault.data(), Some(store.data()));
    if args.json {
        let items: Vec<_> = tokens
            .iter()
            .map(|token| TokenItem {
                serial: &token.serial,
                kind: &token.kind,
                description: &token.description,
                status: token.status().as_str(),
                failcount: token.failcount,
                maxfail: token.maxfail,
                last_used: token.last_used.map(|time| time.0),
                remaining_codes: token.remaining_codes,
                here: here_text(token.here.as_ref()),
            })
            .collect();
        return print_json(&items);
    }
    if tokens.is_empty() {
        eprintln!("You have no tokens at this server.");
        return Ok(());
    }
    let mut out = String::new();
    for token in &tokens {
        let here = match &token.here {
            Some(Here::Account(id)) => format!("  [here: {}]", query::short_id(*id)),
            Some(Here::Push(_)) => "  [here: push]".to_owned(),
            None => String::new(),
        };
        let codes = token
            .remaining_codes
            .map(|left| format!(", {left} codes left"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {}  {}  failures {}/{}{codes}  {}{here}\n",
            sanitize(&token.serial),
            sanitize(&token.kind),
            token.status().as_str(),
            token.failcount,
            token.maxfail,
            sanitize(&token.description),
        ));
    }
    print_text(&out)
}

fn enroll(session: &mut Session, args: &EnrollArgs, hotp: bool) -> anyhow::Result<()> {
    let mut vault = session.open()?;
    let rt = runtime()?;
    let pi = sign_in(&rt, &mut session.input, &args.connect)?;
    let now = now(None)?;
    let description = Some(args.description.as_str()).filter(|text| !text.trim().is_empty());
    let enrolled = rt.block_on(async {
        if hotp {
            pi.enroll_hotp_here(description, now).await
        } else {
            pi.enroll_totp_here(description, now).await
        }
    })?;
    let serial = enrolled.serial.clone();
    let label = enrolled.account.display_label();
    let server = pi.server().clone();
    let id = vault.update(|data| -> anyhow::Result<_> {
        Ok(save_enrolled(data, &server, &serial, enrolled.account))
    })?;
    eprintln!(
        "Enrolled {} token {} and added it to the vault as {} ({}). `tessera code {}` shows \
         its code.",
        if hotp { "HOTP" } else { "TOTP" },
        sanitize(&serial),
        sanitize(&label),
        query::short_id(id),
        query::short_id(id),
    );
    if args.json {
        print_json(&serde_json::json!({
            "serial": serial,
            "account": id.to_string(),
            "label": label,
        }))?;
    }
    Ok(())
}

fn enroll_push(session: &mut Session, args: &EnrollPushArgs) -> anyhow::Result<()> {
    let mut store = session.open_push_store()?;
    let rt = runtime()?;
    let pi = sign_in(&rt, &mut session.input, &args.enroll.connect)?;
    let description = Some(args.enroll.description.as_str()).filter(|text| !text.trim().is_empty());
    let size = push::key_size(args.key_bits);
    eprintln!(
        "Making the device key (RSA {}) and registering it: this takes a few seconds…",
        args.key_bits
    );
    let token = rt.block_on(pi.enroll_push_here(description, size, args.allow_unverified_tls))?;
    // The server's push link may say sslverify=0 even though this session verified TLS.
    if !token.sslverify() {
        eprintln!("{}", push::TLS_WARNING);
    }
    store.update(|data| -> anyhow::Result<()> {
        tessera_push::store::save_token(data, &token)?;
        Ok(())
    })?;
    eprintln!(
        "Enrolled push token {} and added it to this computer's push key store; `tessera push watch` answers its \
         sign-in requests.",
        sanitize(token.serial()),
    );
    if args.enroll.json {
        print_json(&push::item(&token))?;
    }
    Ok(())
}
