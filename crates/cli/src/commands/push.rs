//! `tessera push …`: privacyIDEA push tokens (poll-only mode). Enroll from an
//! `otpauth://pipush/…` link, list, rename and remove them, `watch` for sign-in requests and
//! answer them, and show the activity log.
//!
//! Only requests whose server signatures verify against the stored server key are ever shown
//! or answered (`PushRequest<Verified>`); the others are told on stderr, never stored.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anstream::eprintln;
use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde::{Deserialize, Serialize};
use tessera_core::vault::{Passphrase, RecoveryKey};
use tessera_core::{UnixTime, Unlock, Vault};
use tessera_push::answer::{NumberError, answer, check_number};
use tessera_push::approval::{Required, verification_due};
use tessera_push::pollers::{PollerSet, ServerEvent, by_server};
use tessera_push::protocol::{DeclineReason, Inbox, KeySize, PushRequest, Verified, expires_at};
use tessera_push::sealed::PushStore;
use tessera_push::store::{
    self, ActivityDecision, ActivityEntry, Outcome, append_activity, load_activity, load_tokens,
    seen_nonces,
};
use tessera_push::transport::{ClientConfig, PollEvent, PollerMode, Schedule, make_device_key};
use tessera_push::{Decision, EnrollmentUri, PushClient, PushError, PushToken};
use tessera_verify::{Verifier, VerifyError};
use zeroize::Zeroizing;

use crate::failure::CliError;
use crate::input::{self, Input};
use crate::output::{now, print_json, print_text};
use crate::sanitize::sanitize;
use crate::session::Session;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum PushCommand {
    /// Enroll a push token from its otpauth://pipush/… link ("-": the next line of standard
    /// input). Makes the device key (a few seconds) and stores the token in the push key
    /// store beside the vault (it opens without the vault, so sign-ins reach a locked Tessera).
    Enroll(EnrollArgs),
    /// List the push tokens (no keys).
    #[command(visible_alias = "ls")]
    List(JsonArgs),
    /// Remove a push token from this computer (the server keeps its side).
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Rename a push token.
    Rename(RenameArgs),
    /// Wait for sign-in requests and answer them: approve, deny, or "this was not me". Without
    /// a terminal each request is a JSON line on stdout, answered by a JSON line on stdin:
    /// {"nonce":"…","decision":"approve"|"deny"|"not_me","number":"…"}.
    Watch(WatchArgs),
    /// The sign-in history: every request and decision.
    Activity(JsonArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EnrollArgs {
    /// The otpauth://pipush/… (or pia://pipush/…) link, or "-" to read it from standard input.
    #[arg(value_name = "URI")]
    uri: String,
    /// Print the enrolled token as JSON.
    #[arg(long)]
    json: bool,
    /// Device key size in bits (tests use 2048; 4096 is what the official app makes).
    #[arg(long, hide = true, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(2048..=4096))]
    key_bits: u32,
    /// Enroll a link that turns TLS certificate checks off (sslverify=0): anyone between this
    /// computer and the server could then answer in its place. Refused without this flag.
    #[arg(long)]
    allow_unverified_tls: bool,
}

#[derive(Debug, Args)]
pub(crate) struct JsonArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RmArgs {
    /// The token: its ID (`SERIAL@SERVER`) or its serial.
    id: String,
    /// Do not ask first.
    #[arg(long, short)]
    yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RenameArgs {
    /// The token: its ID (`SERIAL@SERVER`) or its serial.
    id: String,
    /// The new name.
    label: String,
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// Poll every token once, answer what is open, then exit.
    #[arg(long)]
    once: bool,
    /// Seconds between polls.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=300))]
    interval: u64,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the network runtime")
}

pub(crate) fn client() -> anyhow::Result<PushClient> {
    Ok(PushClient::new(ClientConfig::default())?)
}

pub(crate) fn run(session: &mut Session, command: &PushCommand) -> anyhow::Result<()> {
    match command {
        PushCommand::Enroll(args) => enroll(session, args),
        PushCommand::List(args) => list(session, args),
        PushCommand::Rm(args) => rm(session, args),
        PushCommand::Rename(args) => rename(session, args),
        PushCommand::Watch(args) => watch(session, args),
        PushCommand::Activity(args) => activity(session, args),
    }
}

#[derive(Serialize)]
pub(crate) struct TokenItem<'a> {
    id: String,
    serial: &'a str,
    server: &'a str,
    label: &'a str,
    issuer: Option<&'a str>,
    sslverify: bool,
    enrolled: u64,
}

pub(crate) fn item(token: &PushToken) -> TokenItem<'_> {
    TokenItem {
        id: token.id(),
        serial: token.serial(),
        server: token.server(),
        label: &token.label,
        issuer: token.issuer.as_deref(),
        sslverify: token.sslverify(),
        enrolled: token.enrolled.0,
    }
}

pub(crate) const TLS_WARNING: &str = "warning: this token does not check the server's TLS certificate \
     (the link says sslverify=0): anyone between this computer and the server could answer \
     in its place";

/// The device key size for `--key-bits` (2048 for tests, else 4096).
pub(crate) fn key_size(bits: u32) -> KeySize {
    if bits == 2048 {
        KeySize::Rsa2048
    } else {
        KeySize::Rsa4096
    }
}

fn enroll(session: &mut Session, args: &EnrollArgs) -> anyhow::Result<()> {
    let mut store = session.open_push_store()?;
    let text = if args.uri == "-" {
        session.input.nonblank_line("URI")?
    } else {
        Zeroizing::new(args.uri.clone())
    };
    // Plain http to another computer (refused by parse) and a link that turns TLS checks off
    // without the flag are refused here, before the key is made or anything is sent.
    let uri = EnrollmentUri::parse(text.trim())
        .map_err(PushError::from)?
        .allowing_unverified_tls(args.allow_unverified_tls);
    uri.check_transport()?;
    let existing = load_tokens(store.data())?;
    let id = uri.token_id();
    if existing.iter().any(|token| token.id() == id) {
        return Err(CliError::Duplicate {
            label: sanitize(&id).into_owned(),
        }
        .into());
    }
    if !uri.sslverify() {
        eprintln!("{TLS_WARNING}");
    }
    let size = key_size(args.key_bits);
    eprintln!(
        "Making the device key (RSA {}): this takes a few seconds…",
        args.key_bits
    );
    let client = client()?;
    let token = runtime()?.block_on(async {
        let key = make_device_key(size).await?;
        eprintln!(
            "Key made; registering it at {}…",
            sanitize(uri.url().origin().ascii_serialization().as_str())
        );
        client.enroll(&uri, key).await
    })?;
    store.update(|data| -> anyhow::Result<()> {
        store::save_token(data, &token)?;
        Ok(())
    })?;
    eprintln!(
        "Enrolled push token {} ({} at {}).",
        sanitize(&token.label),
        sanitize(token.serial()),
        sanitize(token.server())
    );
    if args.json {
        print_json(&item(&token))?;
    } else {
        print_text(&format!("{}\n", sanitize(&token.id())))?;
    }
    Ok(())
}

fn list(session: &mut Session, args: &JsonArgs) -> anyhow::Result<()> {
    let store = session.open_push_store()?;
    let tokens = load_tokens(store.data())?;
    if args.json {
        let items: Vec<_> = tokens.iter().map(item).collect();
        return print_json(&items);
    }
    if tokens.is_empty() {
        eprintln!("No push tokens. Enroll one with `tessera push enroll URI`.");
        return Ok(());
    }
    let mut out = String::new();
    for token in &tokens {
        let issuer = token
            .issuer
            .as_deref()
            .map(|issuer| format!(" ({})", sanitize(issuer)))
            .unwrap_or_default();
        let warning = if token.sslverify() {
            ""
        } else {
            "  [TLS not verified]"
        };
        out.push_str(&format!(
            "{}  {}{issuer}{warning}\n",
            sanitize(&token.id()),
            sanitize(&token.label)
        ));
    }
    print_text(&out)
}

/// The id of the one stored token that `query` names (its id, or its serial).
fn resolve(store: &PushStore, query: &str) -> anyhow::Result<(String, String)> {
    let tokens = load_tokens(store.data())?;
    if let Some(token) = tokens.iter().find(|token| token.id() == query) {
        return Ok((token.id(), token.label.clone()));
    }
    let matching: Vec<&PushToken> = tokens
        .iter()
        .filter(|token| token.serial().eq_ignore_ascii_case(query))
        .collect();
    match matching.as_slice() {
        [token] => Ok((token.id(), token.label.clone())),
        [] => Err(CliError::NoPushToken {
            query: query.to_owned(),
        }
        .into()),
        several => Err(CliError::Ambiguous {
            query: query.to_owned(),
            candidates: several
                .iter()
                .map(|token| format!("{}  {}", sanitize(&token.id()), sanitize(&token.label)))
                .collect(),
        }
        .into()),
    }
}

fn rm(session: &mut Session, args: &RmArgs) -> anyhow::Result<()> {
    let mut store = session.open_push_store()?;
    let (id, label) = resolve(&store, &args.id)?;
    input::confirm(
        &format!(
            "Remove push token {} ({})? Sign-in requests for it will no longer reach this computer.",
            sanitize(&label),
            sanitize(&id)
        ),
        "removing a push token",
        args.yes,
    )?;
    store.update(|data| -> anyhow::Result<bool> { Ok(store::remove_token(data, &id)?) })?;
    eprintln!(
        "Removed {} from this computer. The server still knows the token: `tessera account delete \
         SERIAL` deletes it there.",
        sanitize(&id)
    );
    Ok(())
}

fn rename(session: &mut Session, args: &RenameArgs) -> anyhow::Result<()> {
    let label = args.label.trim();
    if label.is_empty() || label.chars().any(char::is_control) {
        return Err(CliError::InvalidParameters(
            "a name cannot be empty or contain control characters",
        )
        .into());
    }
    let mut store = session.open_push_store()?;
    let (id, _) = resolve(&store, &args.id)?;
    store.update(|data| -> anyhow::Result<bool> { Ok(store::rename_token(data, &id, label)?) })?;
    eprintln!("Renamed {} to {}.", sanitize(&id), sanitize(label));
    Ok(())
}

#[derive(Serialize)]
struct ActivityItem<'a> {
    time: u64,
    server: &'a str,
    serial: &'a str,
    nonce: &'a str,
    title: &'a str,
    question: &'a str,
    decision: &'a ActivityDecision,
    outcome: &'a Outcome,
}

fn activity(session: &mut Session, args: &JsonArgs) -> anyhow::Result<()> {
    let store = session.open_push_store()?;
    let entries = load_activity(store.data());
    if args.json {
        let items: Vec<_> = entries
            .iter()
            .map(|entry| ActivityItem {
                time: entry.time.0,
                server: &entry.server,
                serial: &entry.serial,
                nonce: &entry.nonce,
                title: &entry.title,
                question: &entry.question,
                decision: &entry.decision,
                outcome: &entry.outcome,
            })
            .collect();
        return print_json(&items);
    }
    if entries.is_empty() {
        eprintln!("No sign-in requests yet.");
        return Ok(());
    }
    let mut out = String::new();
    for entry in &entries {
        let decision = match entry.decision {
            ActivityDecision::Approved => "approved".to_owned(),
            ActivityDecision::Declined {
                reason: Some(DeclineReason::UnknownTrigger),
            } => "denied (not me)".to_owned(),
            ActivityDecision::Declined { .. } => "denied".to_owned(),
            ActivityDecision::None => "no decision".to_owned(),
        };
        let outcome = match &entry.outcome {
            Outcome::Accepted => "accepted".to_owned(),
            Outcome::Refused => "refused by the server".to_owned(),
            Outcome::CodeShown { .. } => "accepted (code shown)".to_owned(),
            Outcome::Expired => "expired".to_owned(),
            Outcome::Withdrawn => "withdrawn".to_owned(),
            Outcome::Dropped { code } => format!("dropped: {}", sanitize(code)),
            Outcome::Failed { code } => format!("failed: {}", sanitize(code)),
            _ => "other".to_owned(),
        };
        out.push_str(&format!(
            "{}  {}  {}  {}: {}  {decision}, {outcome}\n",
            format_time(entry.time),
            sanitize(&entry.server),
            sanitize(&entry.serial),
            sanitize(&entry.title),
            sanitize(&entry.question),
        ));
    }
    print_text(&out)
}

/// `YYYY-MM-DD HH:MM:SS UTC`.
fn format_time(time: UnixTime) -> String {
    let secs = time.0;
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A decision line on standard input (watch without a terminal).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionLine {
    #[serde(default)]
    nonce: Option<String>,
    decision: DecisionKind,
    #[serde(default)]
    number: Option<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum DecisionKind {
    Approve,
    Deny,
    NotMe,
}

#[derive(Serialize)]
struct RequestLine<'a> {
    event: &'static str,
    token: &'a str,
    server: &'a str,
    serial: &'a str,
    nonce: &'a str,
    title: &'a str,
    question: &'a str,
    options: Option<Vec<&'a str>>,
    expires: u64,
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default()
}

fn watch(session: &mut Session, args: &WatchArgs) -> anyhow::Result<()> {
    let opened = session.open_push_store_for_answers()?;
    let vault_path = session.path().to_owned();
    let mut store = opened.store;
    let tokens: Vec<Arc<PushToken>> = load_tokens(store.data())?
        .into_iter()
        .map(Arc::new)
        .collect();
    if tokens.is_empty() {
        return Err(CliError::NoPushTokens.into());
    }
    for token in tokens.iter().filter(|token| !token.sslverify()) {
        eprintln!("{}: {TLS_WARNING}", sanitize(&token.id()));
    }
    let interactive = Input::is_interactive();
    // Handled in earlier runs (the app's too), for replay detection: at the time they were
    // handled, so that only a poll racing a fresh answer passes as no replay. Only verified
    // requests count (a logged forgery must not hide the genuine request).
    let remembered = seen_nonces(&load_activity(store.data()));
    let client = client()?;
    let mut watcher = Watcher {
        store: &mut store,
        input: &mut session.input,
        interactive,
        client: client.clone(),
        vault_proven: opened.vault_settings.is_some(),
        verify_every_approval: opened
            .vault_settings
            .is_some_and(|settings| settings.verify_every_approval),
        verifier: std::sync::Arc::from(tessera_verify::platform()),
        vault_path,
    };
    runtime()?.block_on(async {
        if args.once {
            return watcher.once(&tokens, remembered).await;
        }
        watcher.forever(&tokens, remembered, args.interval).await
    })
}

struct Watcher<'a> {
    store: &'a mut PushStore,
    input: &'a mut Input,
    interactive: bool,
    client: PushClient,
    /// The user proved a vault secret in this run (the store was opened through the vault):
    /// the CLI's "unlocked". A store the keychain opened silently proves nothing.
    vault_proven: bool,
    /// The vault's "verify for every approval" setting (when the vault was opened).
    verify_every_approval: bool,
    verifier: std::sync::Arc<dyn Verifier>,
    vault_path: std::path::PathBuf,
}

/// What became of one request.
enum Handled {
    /// Answered for good: the server took the answer, refused it for good, or it expired.
    Closed,
    /// Nothing final was sent (a missing verification, the tries used up): the request stays
    /// open at the server until it is answered elsewhere or expires.
    Open,
    /// Standard input ended: stop watching.
    StdinEnded,
}

/// One try at answering a request.
enum Try {
    Done(Handled),
    /// The server may still take an answer: ask again. `refused`: a number-matching pick it
    /// refused (else an answer not delivered).
    Again {
        refused: bool,
    },
}

/// An approval whose number does not fit the request: a usage error, nothing sent.
fn number_error(error: NumberError) -> CliError {
    CliError::InvalidParameters(match error {
        NumberError::Missing => {
            "this request uses number matching: give the number the sign-in page shows"
        }
        NumberError::NotAnOption => "the number is not one of the request's options",
        NumberError::NotAsked => {
            "this request does not use number matching: approve without a number"
        }
        _ => "the answer does not fit the request",
    })
}

impl Watcher<'_> {
    /// One poll round per server, with the admission checks of the pollers (signatures, replay,
    /// unknown serial), then exits.
    async fn once(
        &mut self,
        tokens: &[Arc<PushToken>],
        remembered: Vec<(String, SystemTime)>,
    ) -> anyhow::Result<()> {
        let mut inbox = Inbox::new();
        for (nonce, at) in remembered {
            inbox.remember(&nonce, at);
        }
        let inbox = std::sync::Mutex::new(inbox);
        let mut open = 0usize;
        for (server, server_tokens) in by_server(tokens) {
            let round = self.client.poll_round(&server_tokens, &inbox).await;
            for event in round.events {
                open += usize::from(matches!(event, PollEvent::Request { .. }));
                // One round, then the end: nothing is polled again that an answer could race.
                if !self.event(tokens, event, |_| {}).await? {
                    return Ok(());
                }
            }
            if let Some(error) = round.failure {
                eprintln!(
                    "{}: {} ({})",
                    sanitize(&server),
                    sanitize(&error.to_string()),
                    error.code()
                );
            }
        }
        if open == 0 {
            eprintln!("No open sign-in requests.");
        }
        Ok(())
    }

    async fn forever(
        &mut self,
        tokens: &[Arc<PushToken>],
        remembered: Vec<(String, SystemTime)>,
        interval: u64,
    ) -> anyhow::Result<()> {
        let active = Duration::from_secs(interval);
        let schedule = Schedule::new(
            active,
            active.max(Duration::from_secs(15)),
            Duration::from_secs(5),
            Duration::from_secs(300),
        );
        let (mut pollers, mut events) =
            PollerSet::new(self.client.clone(), schedule, PollerMode::Active);
        pollers.set_tokens(tokens, &remembered);
        for server in pollers.servers() {
            eprintln!("Watching {} for sign-in requests…", sanitize(server));
        }
        while let Some(ServerEvent { server, event }) = events.recv().await {
            let answered = |nonce: &str| pollers.answered(&server, nonce, SystemTime::now());
            if !self.event(tokens, event, answered).await? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// One poller event: a request asked and answered (`answered` hears of the ones closed),
    /// the others logged or told. `false`: stop watching (standard input ended).
    async fn event(
        &mut self,
        tokens: &[Arc<PushToken>],
        event: PollEvent,
        answered: impl FnOnce(&str),
    ) -> anyhow::Result<bool> {
        let token = |id: &str| tokens.iter().find(|token| token.id() == id);
        match event {
            PollEvent::Request { token_id, request } => {
                let Some(token) = token(&token_id) else {
                    return Ok(true);
                };
                match self.handle(token, &request).await? {
                    Handled::Closed => answered(request.nonce()),
                    Handled::Open => {}
                    Handled::StdinEnded => return Ok(false),
                }
            }
            // Told, never stored: its nonce is unverified, and stored it would pass for seen.
            PollEvent::Dropped {
                token_id, error, ..
            } => {
                eprintln!(
                    "A sign-in request for {} was dropped without showing it: {} ({}).",
                    sanitize(&token_id),
                    sanitize(&error.to_string()),
                    error.code()
                );
            }
            PollEvent::Expired { nonce, .. } => {
                self.notice("expired", &nonce, "a sign-in request expired unanswered")?;
            }
            PollEvent::Withdrawn { nonce, .. } => {
                self.notice(
                    "withdrawn",
                    &nonce,
                    "a sign-in request was answered elsewhere or cancelled",
                )?;
            }
            PollEvent::TokenProblem { token_id, error } => {
                let message = if matches!(error, PushError::TokenUnknownToServer) {
                    "revoked by your organisation: the server no longer knows this token".to_owned()
                } else {
                    error.to_string()
                };
                eprintln!(
                    "{}: {} ({})",
                    sanitize(&token_id),
                    sanitize(&message),
                    error.code()
                );
            }
            PollEvent::ServerDown { error, retry_in } => {
                eprintln!(
                    "The server cannot be reached ({}); retrying in {} s.",
                    error.code(),
                    retry_in.as_secs()
                );
            }
            PollEvent::ServerUp => eprintln!("The server answers again."),
            _ => {}
        }
        Ok(true)
    }

    fn notice(&self, event: &'static str, nonce: &str, text: &str) -> anyhow::Result<()> {
        if self.interactive {
            eprintln!("{text}.");
            Ok(())
        } else {
            print_json(&serde_json::json!({ "event": event, "nonce": nonce }))
        }
    }

    fn log(&mut self, entry: &ActivityEntry) -> anyhow::Result<()> {
        self.store.update(|data| -> anyhow::Result<()> {
            append_activity(data, entry)?;
            Ok(())
        })
    }

    /// Asks for a decision on `request` and sends it. An answer the server may still take (a
    /// number-matching pick it refused, an answer not delivered for a passing reason) is asked
    /// for again, up to three tries.
    async fn handle(
        &mut self,
        token: &PushToken,
        request: &PushRequest<Verified>,
    ) -> anyhow::Result<Handled> {
        for _ in 0..3 {
            match self.answer_once(token, request).await? {
                Try::Again { refused } => {
                    if self.interactive && refused {
                        eprintln!(
                            "The server refused that number: pick the one the sign-in page shows."
                        );
                    } else if self.interactive {
                        eprintln!("Answer again to send it once more.");
                    }
                }
                Try::Done(handled) => return Ok(handled),
            }
        }
        Ok(Handled::Open)
    }

    async fn answer_once(
        &mut self,
        token: &PushToken,
        request: &PushRequest<Verified>,
    ) -> anyhow::Result<Try> {
        let options = request.presence_options();
        let expires = unix(expires_at(request));
        let (kind, number) = if self.interactive {
            self.ask_terminal(token, request, options.as_deref(), expires)?
        } else {
            print_json(&RequestLine {
                event: "request",
                token: &token.id(),
                server: token.server(),
                serial: token.serial(),
                nonce: request.nonce(),
                title: request.title(),
                question: request.question(),
                options: options.clone(),
                expires,
            })?;
            let line = match self.input.line("decision") {
                Ok(line) => line,
                Err(error)
                    if matches!(
                        error.downcast_ref::<CliError>(),
                        Some(CliError::StdinEnded(_))
                    ) =>
                {
                    return Ok(Try::Done(Handled::StdinEnded));
                }
                Err(error) => return Err(error),
            };
            let parsed: DecisionLine = serde_json::from_str(&line).map_err(|_| {
                CliError::InvalidParameters(
                    "a decision line is {\"nonce\":\"…\",\"decision\":\"approve\"|\"deny\"|\"not_me\",\"number\":\"…\"}",
                )
            })?;
            if parsed
                .nonce
                .as_deref()
                .is_some_and(|nonce| nonce != request.nonce())
            {
                return Err(CliError::InvalidParameters(
                    "the decision line names another request (nonce)",
                )
                .into());
            }
            (parsed.decision, parsed.number)
        };
        // A reason goes out only where the server takes one (tessera_push drops it otherwise).
        let decision = match kind {
            DecisionKind::Approve => Decision::Approve { number },
            DecisionKind::Deny => Decision::Decline {
                reason: Some(DeclineReason::Cancelled),
            },
            DecisionKind::NotMe => Decision::Decline {
                reason: Some(DeclineReason::UnknownTrigger),
            },
        };
        // Before the verification: nobody is asked for a fingerprint to send a wrong number.
        check_number(request, &decision).map_err(number_error)?;
        if let Some(required) = verification_due(
            &decision,
            !self.vault_proven,
            token.force_unlock,
            self.verify_every_approval,
        ) && let Err(missing) = self.verify(request, required).await
        {
            // Nothing is sent: the request stays open at the server until it expires, and the
            // user can approve from the app, or deny.
            if self.interactive {
                eprintln!(
                    "Not approved: {} ({}).",
                    sanitize(&missing.to_string()),
                    missing.code()
                );
            } else {
                print_json(&serde_json::json!({
                    "event": "answered",
                    "nonce": request.nonce(),
                    "decision": "approve",
                    "outcome": "not_sent",
                    "missing": missing.code(),
                }))?;
            }
            return Ok(Try::Done(Handled::Open));
        }
        let answered = answer(&self.client, token, request, &decision)
            .await
            .map_err(number_error)?;
        let entry = ActivityEntry::new(
            now(None)?,
            token,
            request.nonce(),
            request.title(),
            request.question(),
            answered.decision,
            answered.outcome.clone(),
        );
        self.log(&entry)?;
        let outcome_word = match &answered.outcome {
            Outcome::Accepted | Outcome::CodeShown { .. } => "accepted",
            Outcome::Refused => "refused",
            Outcome::Expired => "expired",
            _ => "failed",
        };
        let decision_word = match kind {
            DecisionKind::Approve => "approve",
            DecisionKind::Deny => "deny",
            DecisionKind::NotMe => "not_me",
        };
        let shown = answered.display_code();
        if self.interactive {
            // "Reported" only when the server took the reason (it does not take it from every
            // request).
            let reported = answered.decision
                == (ActivityDecision::Declined {
                    reason: Some(DeclineReason::UnknownTrigger),
                });
            let text = match (&answered.outcome, kind) {
                (Outcome::CodeShown { .. }, _) => String::new(),
                (Outcome::Accepted, DecisionKind::Approve) => "Approved: the sign-in goes on.".into(),
                (Outcome::Accepted, _) if reported => {
                    "Denied and reported as not you. If you did not try to sign in, change your password.".into()
                }
                (Outcome::Accepted, _) => "Denied.".into(),
                (Outcome::Refused, _) => "The server refused the answer (a wrong number, or the request was already answered or expired).".into(),
                (Outcome::Expired, _) => "The request expired before the answer.".into(),
                (Outcome::Failed { code }, _) => format!("The answer could not be delivered ({}).", sanitize(code)),
                _ => String::new(),
            };
            if !text.is_empty() {
                eprintln!("{text}");
            }
            if let Some(code) = shown {
                eprintln!("Type this code on the sign-in page:");
                print_text(&format!("    {}\n", sanitize(code)))?;
            }
        } else {
            print_json(&serde_json::json!({
                "event": "answered",
                "nonce": request.nonce(),
                "decision": decision_word,
                "outcome": outcome_word,
                "code": shown,
            }))?;
        }
        Ok(if answered.retry {
            Try::Again {
                refused: answered.outcome == Outcome::Refused,
            }
        } else {
            Try::Done(Handled::Closed)
        })
    }

    /// "It's me" for an approval: the OS verifier (polkit works from a terminal session), else,
    /// on a terminal, the vault passphrase or recovery key typed in; without a terminal there is
    /// no one to ask, and the error says which verification was missing.
    async fn verify(
        &mut self,
        request: &PushRequest<Verified>,
        required: Required,
    ) -> Result<(), VerifyError> {
        let left = expires_at(request)
            .duration_since(SystemTime::now())
            .unwrap_or_default();
        let ask = tessera_verify::Request::new(format!(
            "Approve the sign-in \u{201c}{}\u{201d}",
            request.title()
        ))
        .biometric(required.biometric)
        .deadline(std::time::Instant::now() + left);
        let verifier = std::sync::Arc::clone(&self.verifier);
        let answered = tokio::task::spawn_blocking(move || verifier.verify(&ask))
            .await
            .unwrap_or(Err(VerifyError::Cancelled));
        match answered {
            Ok(_) => Ok(()),
            Err(error) if error.allows_stand_in() && self.interactive => {
                eprintln!(
                    "{}: type the vault passphrase or recovery key to approve instead.",
                    sanitize(&error.to_string())
                );
                let secret = input::prompt_hidden("Vault passphrase or recovery key: ")
                    .map_err(|_| VerifyError::Cancelled)?;
                let opened = match RecoveryKey::parse(&secret) {
                    Ok(key) => Vault::open(&self.vault_path, Unlock::RecoveryKey(&key)),
                    Err(_) => Vault::open(
                        &self.vault_path,
                        Unlock::Passphrase(&Passphrase::new(secret.to_string())),
                    ),
                };
                opened.map(drop).map_err(|_| VerifyError::Refused)
            }
            Err(error) => Err(error),
        }
    }

    fn ask_terminal(
        &self,
        token: &PushToken,
        request: &PushRequest<Verified>,
        options: Option<&[&str]>,
        expires: u64,
    ) -> anyhow::Result<(DecisionKind, Option<String>)> {
        let remaining = expires.saturating_sub(unix(SystemTime::now()));
        let mut text = format!(
            "\nSign-in request: {}\n  {}\n  server: {}  token: {} ({})  expires in {remaining} s\n",
            sanitize(request.title()),
            sanitize(request.question()),
            sanitize(token.server()),
            sanitize(token.serial()),
            sanitize(&token.label),
        );
        if !token.sslverify() {
            text.push_str("  warning: TLS not verified for this token\n");
        }
        print_text(&text)?;
        loop {
            let answer = input::prompt_line("[a]pprove, [d]eny, or [n]ot me (deny and report)? ")?;
            let kind = match answer.trim().to_lowercase().as_str() {
                "a" | "approve" | "y" | "yes" => DecisionKind::Approve,
                "d" | "deny" | "no" => DecisionKind::Deny,
                "n" | "not me" | "not_me" => DecisionKind::NotMe,
                _ => continue,
            };
            let Some(options) = options.filter(|_| kind == DecisionKind::Approve) else {
                return Ok((kind, None));
            };
            let listed: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(index, option)| format!("{}) {}", index + 1, sanitize(option)))
                .collect();
            eprintln!(
                "Which number does the sign-in page show?  {}",
                listed.join("   ")
            );
            let pick = input::prompt_line("Number (or its position): ")?;
            let pick = pick.trim();
            let chosen = options.iter().find(|option| **option == pick).or_else(|| {
                pick.parse::<usize>()
                    .ok()
                    .and_then(|i| options.get(i.wrapping_sub(1)))
            });
            match chosen {
                Some(number) => return Ok((kind, Some((*number).to_owned()))),
                None => eprintln!("That is not one of the numbers shown; try again."),
            }
        }
    }
}
