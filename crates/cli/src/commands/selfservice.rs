//! `tessera account …`: the user's own self-service at their organisation's privacyIDEA: see
//! their tokens (marking those that live in this vault), enroll TOTP/HOTP tokens straight into
//! the vault (the secret is never shown), disable, enable, delete, reset or resync a token, and
//! create backup codes (shown once).
//!
//! Signing in: the password (from standard input after the vault's unlock secret, if any, or a
//! hidden prompt), then a one-time code when the server wants one: asked for by a challenge
//! (`login_mode=privacyIDEA` with a challenge-response policy), or checked together with the
//! password (the same login mode without one: the password alone is refused, and the code is
//! sent with it). The server, user and realm are remembered in the vault, and the whole
//! sign-in is learnt too, so the next time asks for the code up front instead of spending a
//! failure on every token.
//!
//! The signed-in session is kept for [`SIGN_IN_SECONDS`] in the kernel session keyring (the
//! same place, with the same rules, as the keychain secret `tessera code` keeps: readable by
//! this login session only, expired by the kernel, dropped by `tessera lock`; never on disk),
//! so "disable, then delete" signs in once.

use std::io::IsTerminal as _;
use std::time::Duration;

use anstream::eprintln;
use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde::Serialize;
use tessera_core::Vault;
use tessera_push::selfservice::{
    Here, LastServer, Password, SelfServiceError, Server, Session as PiSession, SignIn, TokenInfo,
    last_server, mark_here, remember_code_with_password, remember_server, save_enrolled,
};

use crate::commands::push;
use crate::failure::CliError;
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

/// How long a sign-in is kept for the next `tessera account` commands (and never longer than
/// `--key-cache-seconds`): long enough to look at the tokens and then disable and delete one,
/// short because it lets anyone in this login session change the user's tokens at the server
/// without a password or code. privacyIDEA's own sessions live an hour by default; a server
/// that ends one sooner is signed in to again.
const SIGN_IN_SECONDS: u32 = 300;

/// Where and as whom to sign in: given once, then remembered in the vault.
#[derive(Debug, Args)]
pub(crate) struct Connect {
    /// The privacyIDEA server, e.g. https://pi.example.com [default: the one last signed in to]
    #[arg(long, value_name = "URL", env = "TESSERA_PI_SERVER")]
    server: Option<String>,
    /// Your user name there [default: the one last signed in as, at that server]
    #[arg(long, value_name = "USER", env = "TESSERA_PI_USER")]
    user: Option<String>,
    /// Your realm, if the server has several [default: the one last signed in to, likewise]
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

/// Runs one `tessera account` command.
pub(crate) fn run(session: &mut Session, command: &AccountCommand) -> anyhow::Result<()> {
    match command {
        AccountCommand::Tokens(args) => tokens(session, args),
        AccountCommand::EnrollTotp(args) => enroll(session, args, false),
        AccountCommand::EnrollHotp(args) => enroll(session, args, true),
        AccountCommand::EnrollPush(args) => enroll_push(session, args),
        AccountCommand::Disable(args) => simple(session, args, Action::Disable),
        AccountCommand::Enable(args) => simple(session, args, Action::Enable),
        AccountCommand::Reset(args) => simple(session, args, Action::Reset),
        AccountCommand::Delete(args) => {
            input::confirm(
                &format!(
                    "Delete token {} at the server for good? It will no longer sign you in.",
                    sanitize(&args.serial.serial)
                ),
                "deleting a token",
                args.yes,
            )?;
            simple(session, &args.serial, Action::Delete)
        }
        AccountCommand::Resync(args) => {
            let mut vault = session.open_if_silent()?;
            let mut pi = Pi::new(session, vault.as_mut(), &args.connect)?;
            pi.signed_in()?;
            let first = answer(&mut pi.session.input, "first code", "First code: ")?;
            let second = answer(&mut pi.session.input, "second code", "The next code: ")?;
            pi.call(async |pi| pi.resync(&args.serial, &first, &second).await)?;
            eprintln!("Token {} is in sync again.", sanitize(&args.serial));
            Ok(())
        }
        AccountCommand::BackupCodes(args) => {
            let mut vault = session.open_if_silent()?;
            let mut pi = Pi::new(session, vault.as_mut(), &args.connect)?;
            let codes = pi.call(async |pi| {
                pi.create_backup_codes(args.count, Some("Tessera backup codes"))
                    .await
            })?;
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
    }
}

#[derive(Clone, Copy)]
enum Action {
    Disable,
    Enable,
    Reset,
    Delete,
}

fn simple(session: &mut Session, args: &SerialArgs, action: Action) -> anyhow::Result<()> {
    // The vault only tells the server last signed in to, and remembers this one.
    let mut vault = session.open_if_silent()?;
    let mut pi = Pi::new(session, vault.as_mut(), &args.connect)?;
    let serial = args.serial.as_str();
    pi.call(async |pi| match action {
        Action::Disable => pi.disable(serial).await,
        Action::Enable => pi.enable(serial).await,
        Action::Reset => pi.reset_failcounter(serial).await,
        Action::Delete => pi.delete(serial).await,
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

/// Where and as whom to sign in, from the options or the vault's memory of the last sign-in.
struct Target {
    server: Server,
    user: String,
    realm: Option<String>,
    /// The server took the password together with a one-time code last time.
    code_with_password: bool,
}

impl Target {
    /// The server, user and realm given, completed from `last` (the server last signed in to).
    fn resolve(connect: &Connect, last: Option<LastServer>) -> anyhow::Result<Target> {
        let given = connect.server.as_deref().map(Server::parse).transpose()?;
        let same_server = |url: &str| match (&given, Server::parse(url)) {
            (None, _) => true,
            (Some(given), Ok(last)) => given.url() == last.url(),
            (Some(_), Err(_)) => false,
        };
        // What is remembered counts for the server it was remembered for only.
        let last = last.filter(|last| same_server(&last.url));
        let server = match (given, &last) {
            (Some(server), _) => server,
            (None, Some(last)) => Server::parse(&last.url)?,
            (None, None) => return Err(CliError::NoServer("privacyIDEA server (--server)").into()),
        };
        // The user's per-server choice to skip certificate checks (made in the app) holds here
        // too, and saving the server again keeps it.
        let server = match &last {
            Some(last) => server.verifying_tls(last.verify_tls),
            None => server,
        };
        let last = last.filter(|last| connect.user.as_ref().is_none_or(|user| *user == last.user));
        let user = match (&connect.user, &last) {
            (Some(user), _) => user.trim().to_owned(),
            (None, Some(last)) => last.user.clone(),
            (None, None) => return Err(CliError::NoServer("user name (--user)").into()),
        };
        let realm = match &connect.realm {
            Some(realm) => Some(realm.trim().to_owned()).filter(|realm| !realm.is_empty()),
            None => last.as_ref().and_then(|last| last.realm.clone()),
        };
        Ok(Target {
            server,
            user,
            realm,
            code_with_password: last.is_some_and(|last| last.code_with_password),
        })
    }

    /// The kernel-keyring name of this sign-in.
    fn kept_name(&self) -> String {
        format!(
            "selfservice:{}|{}|{}",
            self.server.url(),
            self.user,
            self.realm.as_deref().unwrap_or_default()
        )
    }
}

/// One command's way to the server: the sign-in kept from an earlier command, or a new one.
struct Pi<'s> {
    session: &'s mut Session,
    rt: tokio::runtime::Runtime,
    client: tessera_push::PushClient,
    target: Target,
    /// The vault, when it is open (or opens silently): it remembers where the user signed in.
    vault: Option<&'s mut Vault>,
    signed_in: Option<PiSession>,
    /// `signed_in` came from the keyring: the server may have ended it meanwhile.
    resumed: bool,
}

impl<'s> Pi<'s> {
    fn new(
        session: &'s mut Session,
        vault: Option<&'s mut Vault>,
        connect: &Connect,
    ) -> anyhow::Result<Pi<'s>> {
        let target = Target::resolve(
            connect,
            vault.as_deref().and_then(|vault| last_server(vault.data())),
        )?;
        Ok(Pi {
            session,
            rt: runtime()?,
            client: push::client()?,
            target,
            vault,
            signed_in: None,
            resumed: false,
        })
    }

    /// Signed in: with the session kept from an earlier command, or by signing in now.
    fn signed_in(&mut self) -> anyhow::Result<&PiSession> {
        if self.signed_in.is_none() {
            let name = self.target.kept_name();
            let kept =
                self.session.keychain().kept(&name).and_then(|kept| {
                    PiSession::resume(&self.client, &self.target.server, &kept).ok()
                });
            self.resumed = kept.is_some();
            let pi = match kept {
                Some(pi) => pi,
                None => self.sign_in()?,
            };
            self.signed_in = Some(pi);
        }
        self.signed_in
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("not signed in"))
    }

    /// Runs `call` signed in; a kept sign-in the server no longer takes is replaced by a new
    /// one, once (the server refused before doing anything, so the call is safe to repeat).
    fn call<T>(
        &mut self,
        call: impl AsyncFn(&PiSession) -> Result<T, SelfServiceError>,
    ) -> anyhow::Result<T> {
        self.signed_in()?;
        let result = match &self.signed_in {
            Some(pi) => self.rt.block_on(call(pi)),
            None => return Err(anyhow::anyhow!("not signed in")),
        };
        match result {
            Err(SelfServiceError::SessionExpired) if self.resumed => {
                self.session.keychain().forget(&self.target.kept_name());
                self.signed_in = None;
                self.resumed = false;
                self.signed_in = Some(self.sign_in()?);
                match &self.signed_in {
                    Some(pi) => Ok(self.rt.block_on(call(pi))?),
                    None => Err(anyhow::anyhow!("not signed in")),
                }
            }
            result => Ok(result?),
        }
    }

    /// Signs in now (password, then a code when the server wants one), keeps the session for
    /// the next commands and remembers the server in the vault.
    fn sign_in(&mut self) -> anyhow::Result<PiSession> {
        let (pi, code_with_password) = sign_in(
            &self.rt,
            &self.client,
            &mut self.session.input,
            &self.target,
        )?;
        self.session
            .keychain()
            .keep(&self.target.kept_name(), &pi.keep(), SIGN_IN_SECONDS);
        if let Some(vault) = &mut self.vault {
            let realm = self.target.realm.as_deref();
            vault.update(|data| -> anyhow::Result<()> {
                remember_server(data, &self.target.server, &self.target.user, realm);
                remember_code_with_password(data, code_with_password);
                Ok(())
            })?;
        }
        Ok(pi)
    }
}

fn is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

fn password(input: &mut Input, target: &Target) -> anyhow::Result<Password> {
    let mut text = if is_terminal() {
        input::prompt_hidden(&format!(
            "Password of {} at {}{}: ",
            sanitize(&target.user),
            sanitize(target.server.url()),
            if target.code_with_password {
                " (the one-time code comes next)"
            } else {
                ""
            }
        ))?
    } else {
        input.line("password")?
    };
    Ok(Password::new(std::mem::take(&mut *text)))
}

/// A one-time code to send with the password: asked on the terminal, else the next line of
/// standard input. `None` when none is given (Enter alone, or standard input has ended).
fn code_with_password(input: &mut Input) -> anyhow::Result<Option<zeroize::Zeroizing<String>>> {
    let code = if is_terminal() {
        Some(input::prompt_hidden(
            "One-time code (from your authenticator, e.g. `tessera code`, or a backup code): ",
        )?)
    } else {
        input.next_line("one-time code")?
    };
    Ok(code.filter(|code| !code.trim().is_empty()))
}

/// Signs in: the password alone first, unless the server is known to take it with a code;
/// when the server refuses the password alone where it checks a code with it, the code is
/// asked for and sent with the password. Then the second step, if the server opens one.
/// Returns the session and whether the code went with the password.
fn sign_in(
    rt: &tokio::runtime::Runtime,
    client: &tessera_push::PushClient,
    input: &mut Input,
    target: &Target,
) -> anyhow::Result<(PiSession, bool)> {
    let (server, user, realm) = (
        &target.server,
        target.user.as_str(),
        target.realm.as_deref(),
    );
    let password = password(input, target)?;
    let alone = async || PiSession::sign_in(client, server, user, realm, &password).await;
    let together = async |code: &str| {
        PiSession::sign_in_with_code(client, server, user, realm, &password, code).await
    };
    let mut with_code = target.code_with_password;
    let first = if with_code {
        let code = code_with_password(input)?.unwrap_or_default();
        match rt.block_on(together(code.trim())) {
            // The server no longer checks a code with the password: the password alone, then.
            Err(SelfServiceError::BadCredentials { with_code: false }) => {
                with_code = false;
                rt.block_on(alone())
            }
            result => result,
        }
    } else {
        match rt.block_on(alone()) {
            Err(refused @ SelfServiceError::BadCredentials { with_code: true }) => {
                if is_terminal() {
                    eprintln!(
                        "The server refused the password alone: it checks a one-time code from \
                         one of your tokens together with it. Type the code (or just Enter if \
                         the password was mistyped, and run the command again)."
                    );
                }
                let Some(code) = code_with_password(input)? else {
                    return Err(refused.into());
                };
                with_code = true;
                rt.block_on(together(code.trim()))
            }
            result => result,
        }
    };
    drop(password);
    let mut step = first?;
    let mut tries = 0;
    loop {
        let second = match step {
            SignIn::Done(session) => return Ok((session, with_code)),
            SignIn::SecondFactor(second) => second,
        };
        tries += 1;
        let push = second.has_push();
        if is_terminal() {
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
        let mut code = if is_terminal() {
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
            Err(SelfServiceError::BadCredentials { .. }) if tries < 3 && is_terminal() => {
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
    let mut pi = Pi::new(session, Some(&mut vault), &args.connect)?;
    let mut tokens: Vec<TokenInfo> = pi.call(async |pi| pi.list_tokens().await)?;
    let server = pi.target.server.clone();
    drop(pi);
    mark_here(&mut tokens, &server, vault.data(), Some(store.data()));
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
    let mut pi = Pi::new(session, Some(&mut vault), &args.connect)?;
    let now = now(None)?;
    let description = Some(args.description.as_str()).filter(|text| !text.trim().is_empty());
    let enrolled = pi.call(async |pi| {
        if hotp {
            pi.enroll_hotp_here(description, now).await
        } else {
            pi.enroll_totp_here(description, now).await
        }
    })?;
    let serial = enrolled.serial.clone();
    let label = enrolled.account.display_label();
    let server = pi.target.server.clone();
    drop(pi);
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
    let mut vault = session.open_if_silent()?;
    let mut pi = Pi::new(session, vault.as_mut(), &args.enroll.connect)?;
    let description = Some(args.enroll.description.as_str()).filter(|text| !text.trim().is_empty());
    let size = push::key_size(args.key_bits);
    eprintln!(
        "Making the device key (RSA {}) and registering it: this takes a few seconds…",
        args.key_bits
    );
    let token = pi.call(async |pi| {
        pi.enroll_push_here(description, size, args.allow_unverified_tls)
            .await
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn last(url: &str, verify_tls: bool) -> LastServer {
        serde_json::from_value(serde_json::json!({
            "url": url, "user": "alice", "realm": "staff", "verify_tls": verify_tls,
        }))
        .unwrap()
    }

    fn connect(server: Option<&str>, user: Option<&str>) -> Connect {
        Connect {
            server: server.map(str::to_owned),
            user: user.map(str::to_owned),
            realm: None,
        }
    }

    #[test]
    fn the_last_server_fills_what_is_not_given() {
        let target =
            Target::resolve(&connect(None, None), Some(last("https://pi.example", true))).unwrap();
        assert_eq!(
            target.server.url(),
            Server::parse("https://pi.example").unwrap().url()
        );
        assert_eq!(target.user, "alice");
        assert_eq!(target.realm.as_deref(), Some("staff"));
    }

    #[test]
    fn a_choice_to_skip_certificate_checks_holds_for_its_server_only() {
        let remembered = || Some(last("https://pi.example", false));
        let same = Target::resolve(&connect(None, None), remembered()).unwrap();
        assert!(
            !same.server.verifies_tls(),
            "the user's per-server choice is kept"
        );
        let other = Target::resolve(
            &connect(Some("https://other.example"), Some("bob")),
            remembered(),
        )
        .unwrap();
        assert!(other.server.verifies_tls(), "another server is checked");
        assert_eq!(other.realm, None, "nothing remembered for another server");
    }

    #[test]
    fn nothing_given_and_nothing_remembered_says_what_to_pass() {
        let Err(error) = Target::resolve(&connect(None, None), None) else {
            panic!("resolved with nothing to resolve from");
        };
        let cli = error.downcast_ref::<CliError>().expect("a CliError");
        assert!(matches!(cli, CliError::NoServer(_)), "{cli}");
    }
}
