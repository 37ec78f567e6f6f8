//! The push service's orchestration on the mock runtime, with a real vault in a temporary
//! directory: poller events become prompts, closings and activity entries; pollers start on
//! unlock, report a server that is down, and stop on lock. The request is the real signed
//! challenge captured from privacyIDEA 3.14 (`tessera_testkit::capture`), verified here.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::test::{MockRuntime, mock_builder};
use tauri::{App, Manager};
use tessera_core::UnixTime;
use tessera_core::keystore::MemoryKeyStore;
use tessera_core::vault::KdfParams;
use tessera_push::protocol::{KeySize, parse_poll_response};
use tessera_push::store::Outcome;
use tessera_push::transport::PollEvent;
use tessera_push::{Decision, DeviceKey, EnrollmentUri, PushError, PushToken, ServerKey};
use tessera_testkit::capture::{CHALLENGE, SERVER_KEY};
use tessera_verify::FixedVerifier;

use super::PushService;
use crate::clipboard::{Board, Clipboard, MemoryClipboard};
use crate::dto::push::ModeDto;
use crate::state::AppState;
use crate::state::SettingsHook;

const SERVER: &str = "http://127.0.0.1:5000";

struct Harness {
    /// The vault's folder (`None`: borrowed from another harness, a restart of the same app).
    _dir: Option<tempfile::TempDir>,
    path: std::path::PathBuf,
    keychain: Arc<MemoryKeyStore>,
    /// The vault's recovery key (empty for a restarted harness).
    recovery: String,
    app: App<MockRuntime>,
    events: Arc<Mutex<Vec<Value>>>,
    /// The "start at login" value of every settings change applied outside the vault.
    login_items: Arc<Mutex<Vec<bool>>>,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tessera");
        let keychain = Arc::new(MemoryKeyStore::new());
        let state = Self::state(&path, &keychain);
        let recovery = state.create(None, UnixTime(1_795_946_800)).unwrap();
        let mut harness = Self::start(Some(dir), path, keychain, state);
        harness.recovery = recovery.to_string();
        // The app's first tick after an unlock: the push key store is made (its status event is
        // not what the tests look at).
        harness.push().sync(harness.app.handle());
        harness.events.lock().unwrap().clear();
        harness
    }

    /// The app started again on `other`'s vault and keychain, with the vault locked.
    fn with_vault_of(other: &Harness) -> Self {
        let state = Self::state(&other.path, &other.keychain);
        Self::start(None, other.path.clone(), Arc::clone(&other.keychain), state)
    }

    fn state(path: &std::path::Path, keychain: &Arc<MemoryKeyStore>) -> AppState {
        AppState::new(
            Some(path.to_owned()),
            Box::new(crate::tests::Shared(Arc::clone(keychain))),
            KdfParams::new(8, 1, 1).unwrap(),
        )
    }

    fn start(
        dir: Option<tempfile::TempDir>,
        path: std::path::PathBuf,
        keychain: Arc<MemoryKeyStore>,
        state: AppState,
    ) -> Self {
        let login_items = Arc::new(Mutex::new(Vec::new()));
        let builder = mock_builder()
            .manage(Board::new(
                Arc::new(MemoryClipboard::default()) as Arc<dyn Clipboard>
            ))
            .manage({
                let login_items = Arc::clone(&login_items);
                SettingsHook::new(move |settings| {
                    login_items.lock().unwrap().push(settings.start_at_login);
                    Ok(())
                })
            });
        let app = crate::run_app(builder, crate::context(), state).unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        app.state::<PushService>()
            .subscribe(Channel::new(move |body: InvokeResponseBody| {
                if let InvokeResponseBody::Json(json) = body {
                    sink.lock()
                        .unwrap()
                        .push(serde_json::from_str(&json).unwrap());
                }
                Ok(())
            }));
        Self {
            _dir: dir,
            path,
            keychain,
            recovery: String::new(),
            app,
            events,
            login_items,
        }
    }

    fn push(&self) -> tauri::State<'_, PushService> {
        self.app.state::<PushService>()
    }

    fn event_types(&self) -> Vec<String> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .map(|event| event["type"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Makes the token of the captured challenge known to the service (as `sync` would).
    fn known_token(&self) -> Arc<PushToken> {
        self.known_token_with("")
    }

    /// The captured challenge's token, enrolled from a link with `extra` query parameters
    /// (replacing the one known before).
    fn known_token_with(&self, extra: &str) -> Arc<PushToken> {
        let token = Arc::new(token_with("127.0.0.1%3A5000", extra));
        let push = self.push();
        let mut inner = PushService::inner(&push);
        inner.tokens.retain(|known| known.id() != token.id());
        inner.tokens.push(Arc::clone(&token));
        drop(inner);
        token
    }

    fn activity(&self) -> Vec<tessera_push::ActivityEntry> {
        self.push().activity(self.app.handle()).unwrap()
    }
}

fn token() -> PushToken {
    token_at("127.0.0.1%3A5000")
}

/// The captured challenge's token, or one with the same serial on another server.
fn token_at(host: &str) -> PushToken {
    token_with(host, "")
}

fn token_with(host: &str, extra: &str) -> PushToken {
    let uri = EnrollmentUri::parse(&format!(
        "otpauth://pipush/PIPU00005FB7?url=http%3A//{host}/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=7f4a9bb0c87bbb0b501ac98abae0976c67ac2f15&v=1&serial=PIPU00005FB7&sslverify=0&poll_only=True{extra}",
    ))
    .unwrap();
    PushToken::new(
        &uri,
        DeviceKey::make(KeySize::Rsa2048).unwrap(),
        ServerKey::from_server_text(SERVER_KEY).unwrap(),
        UnixTime(1_795_946_870),
    )
}

fn verified_request(received: SystemTime) -> tessera_push::PushRequest<tessera_push::Verified> {
    let entry: Value = serde_json::from_str(CHALLENGE).unwrap();
    let body =
        serde_json::to_vec(&serde_json::json!({"result": {"status": true, "value": [entry]}}))
            .unwrap();
    let (mut requests, malformed) = parse_poll_response(200, &body, received).unwrap();
    assert_eq!(malformed, 0);
    requests
        .pop()
        .unwrap()
        .verify(&ServerKey::from_server_text(SERVER_KEY).unwrap())
        .unwrap()
}

const NONCE: &str = "H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK";

#[test]
fn a_verified_request_becomes_one_prompt_and_its_expiry_is_logged() {
    let h = Harness::new();
    let token = h.known_token();
    let request = || PollEvent::Request {
        token_id: token.id(),
        request: verified_request(SystemTime::now()),
    };
    h.push().handle(h.app.handle(), SERVER, request());
    // The poller's inbox de-duplicates; the book does too, should a nonce come back.
    h.push().handle(h.app.handle(), SERVER, request());
    let status = h.push().status();
    assert_eq!(status.prompts.len(), 1);
    let prompt = &status.prompts[0];
    assert_eq!(
        (
            prompt.nonce.as_str(),
            prompt.title.as_str(),
            prompt.question.as_str()
        ),
        (NONCE, "CI test", "Log in to 127.0.0.1?")
    );
    assert_eq!(
        (prompt.serial.as_str(), prompt.server.as_str()),
        ("PIPU00005FB7", SERVER)
    );
    assert_eq!(prompt.expires - prompt.received, 120_000);
    assert!(prompt.insecure && prompt.takes_reason && prompt.options.is_none());
    assert_eq!(h.event_types(), ["prompt"]);
    assert_eq!(
        h.events.lock().unwrap()[0]["prompt"]["question"],
        "Log in to 127.0.0.1?"
    );

    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Expired {
            token_id: token.id(),
            nonce: NONCE.into(),
        },
    );
    assert!(h.push().status().prompts.is_empty());
    assert_eq!(h.event_types(), ["prompt", "closed", "activity"]);
    assert_eq!(h.events.lock().unwrap()[1]["reason"], "expired");
    let logged = h.activity();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].outcome, Outcome::Expired);
    assert_eq!(logged[0].question, "Log in to 127.0.0.1?");
    // A second expiry of the same nonce changes nothing.
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Expired {
            token_id: token.id(),
            nonce: NONCE.into(),
        },
    );
    assert_eq!(h.activity().len(), 1);
}

#[test]
fn the_first_push_token_turns_start_at_login_on_once() {
    let h = Harness::new();
    let settings = || h.app.state::<AppState>().settings().unwrap();
    assert!(!settings().start_at_login);
    h.push().save(h.app.handle(), &token()).unwrap();
    assert!(settings().start_at_login, "prompts need Tessera running");
    assert_eq!(
        *h.login_items.lock().unwrap(),
        [true],
        "the OS login item too"
    );

    // The user turns it off: a second token leaves their choice alone.
    let mut off = settings();
    off.start_at_login = false;
    h.app.state::<AppState>().update_settings(&off).unwrap();
    h.push()
        .save(h.app.handle(), &token_at("127.0.0.1%3A5001"))
        .unwrap();
    assert!(!settings().start_at_login);
    assert_eq!(h.login_items.lock().unwrap().len(), 1);
}

#[test]
fn dropped_requests_are_counted_not_stored_and_problems_reach_the_token_list() {
    let h = Harness::new();
    let token = h.known_token();
    h.push().save(h.app.handle(), &token).unwrap();
    for (nonce, error) in [
        ("FORGED", PushError::BadSignature),
        ("OTHER", PushError::UnknownSerial),
    ] {
        h.push().handle(
            h.app.handle(),
            SERVER,
            PollEvent::Dropped {
                token_id: token.id(),
                nonce: nonce.into(),
                error,
            },
        );
    }
    // Issue 16: a stored forgery's nonce passed for seen and hid the genuine request.
    assert!(h.activity().is_empty(), "unverified data writes nothing");
    let status = h.push().status();
    assert!(status.prompts.is_empty(), "never shown");
    assert_eq!(status.dropped_count, 2);
    assert_eq!(h.event_types(), ["status", "status"]);

    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::TokenProblem {
            token_id: token.id(),
            error: PushError::TokenUnknownToServer,
        },
    );
    let tokens = h.push().tokens(h.app.handle()).unwrap();
    assert_eq!(tokens[0].problem, Some("push_token_unknown_to_server"));
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::ServerDown {
            error: PushError::Timeout,
            retry_in: Duration::from_secs(20),
        },
    );
    let server = &h.push().status().servers[0];
    assert_eq!(
        (server.up, server.retry_in_secs, server.error),
        (false, Some(20), Some("push_timeout"))
    );
    h.push().handle(h.app.handle(), SERVER, PollEvent::ServerUp);
    assert!(h.push().status().servers[0].up);
}

#[test]
fn an_answer_that_cannot_be_delivered_keeps_the_prompt_open_and_is_logged() {
    // Nothing listens on the captured registration URL's port here: a network failure.
    let h = Harness::new();
    let token = h.known_token();
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Request {
            token_id: token.id(),
            request: verified_request(SystemTime::now()),
        },
    );
    let answer = tauri::async_runtime::block_on(h.push().answer(
        h.app.handle(),
        NONCE,
        Decision::Approve { number: None },
        None,
    ))
    .unwrap();
    assert_eq!(answer.error, Some("push_network"));
    assert!(answer.retry);
    assert_eq!(h.push().status().prompts.len(), 1, "still answerable");
    assert_eq!(
        h.activity()[0].outcome,
        Outcome::Failed {
            code: "push_network".into()
        }
    );
    // Unknown nonces are refused before anything is sent.
    let missing = tauri::async_runtime::block_on(h.push().answer(
        h.app.handle(),
        "NOPE",
        Decision::Decline { reason: None },
        None,
    ))
    .unwrap_err();
    assert_eq!(missing.code, "not_found");
}

/// Opens the captured request as a prompt of `token` and answers it.
fn answer_prompt(
    h: &Harness,
    token: &Arc<PushToken>,
    decision: Decision,
    stand_in: Option<&str>,
) -> Result<crate::dto::push::AnswerDto, crate::error::IpcError> {
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Request {
            token_id: token.id(),
            request: verified_request(SystemTime::now()),
        },
    );
    tauri::async_runtime::block_on(h.push().answer(h.app.handle(), NONCE, decision, stand_in))
}

const APPROVE: Decision = Decision::Approve { number: None };

#[test]
fn approving_while_locked_needs_the_os_verification_and_a_refusal_sends_nothing() {
    let h = Harness::new();
    let token = h.known_token();
    h.app.state::<AppState>().lock();
    let refusing = Arc::new(FixedVerifier::refused());
    h.app
        .state::<crate::verification::Verification>()
        .set(refusing.clone());
    let error = answer_prompt(&h, &token, APPROVE, None).unwrap_err();
    assert_eq!(error.code, "verify_refused");
    assert_eq!(refusing.calls(), 1);
    assert!(h.activity().is_empty(), "nothing was sent");
    assert_eq!(h.push().status().prompts.len(), 1, "still answerable");
    // The OS's dialog was told why, and to give up when the request expires.
    let asked = refusing.last_request().unwrap();
    assert!(asked.reason.contains("CI test"), "{}", asked.reason);
    assert!(asked.deadline.is_some() && !asked.require_biometric);

    // Cancelled: the same.
    h.app
        .state::<crate::verification::Verification>()
        .set(Arc::new(FixedVerifier::cancelled()));
    let error = answer_prompt(&h, &token, APPROVE, None).unwrap_err();
    assert_eq!(error.code, "verify_cancelled");
    assert!(h.activity().is_empty());

    // Verified: the approval goes out (here to a dead server, so it fails on the network).
    let passing = Arc::new(FixedVerifier::ok());
    h.app
        .state::<crate::verification::Verification>()
        .set(passing.clone());
    let answer = answer_prompt(&h, &token, APPROVE, None).unwrap();
    assert_eq!(answer.error, Some("push_network"));
    assert_eq!(passing.calls(), 1);

    // A denial never asks.
    let never = Arc::new(FixedVerifier::refused());
    h.app
        .state::<crate::verification::Verification>()
        .set(never.clone());
    let answer = answer_prompt(&h, &token, Decision::Decline { reason: None }, None).unwrap();
    assert_eq!(answer.error, Some("push_network"));
    assert_eq!(never.calls(), 0);
}

#[test]
fn without_an_os_verifier_the_vault_secret_stands_in_and_a_wrong_one_sends_nothing() {
    let h = Harness::new();
    let token = h.known_token();
    h.app.state::<AppState>().lock();
    h.app
        .state::<crate::verification::Verification>()
        .set(Arc::new(FixedVerifier::no_agent()));
    let error = answer_prompt(&h, &token, APPROVE, None).unwrap_err();
    assert_eq!(error.code, "verify_stand_in");
    assert!(error.message.contains("recovery key"), "{}", error.message);
    let error = answer_prompt(&h, &token, APPROVE, Some("not the passphrase")).unwrap_err();
    assert_ne!(error.code, "verify_stand_in");
    assert!(h.activity().is_empty(), "nothing was sent");
    let answer = answer_prompt(&h, &token, APPROVE, Some(h.recovery.as_str())).unwrap();
    assert_eq!(answer.error, Some("push_network"), "verified: sent");
    assert!(
        !h.app.state::<AppState>().is_unlocked(),
        "standing in does not unlock"
    );
}

#[test]
fn unlocked_approvals_ask_only_when_the_organisation_or_the_user_wants_it() {
    let h = Harness::new();
    let refusing = Arc::new(FixedVerifier::refused());
    h.app
        .state::<crate::verification::Verification>()
        .set(refusing.clone());
    let token = h.known_token();
    // Unlocked, no policy, setting off: sent without asking.
    let answer = answer_prompt(&h, &token, APPROVE, None).unwrap();
    assert_eq!(answer.error, Some("push_network"));
    assert_eq!(refusing.calls(), 0);

    // The user's "verify every approval".
    let state = h.app.state::<AppState>();
    let mut settings = state.settings().unwrap();
    settings.verify_every_approval = true;
    state.update_settings(&settings).unwrap();
    let error = answer_prompt(&h, &token, APPROVE, None).unwrap_err();
    assert_eq!((error.code, refusing.calls()), ("verify_refused", 1));
    settings.verify_every_approval = false;
    state.update_settings(&settings).unwrap();

    // A token enrolled with app_force_unlock=biometric asks, biometric, even while unlocked (its
    // prompt replaces the one still open for the other token).
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Withdrawn {
            token_id: token.id(),
            nonce: NONCE.into(),
        },
    );
    let strict = h.known_token_with("&app_force_unlock=biometric");
    let error = answer_prompt(&h, &strict, APPROVE, None).unwrap_err();
    assert_eq!((error.code, refusing.calls()), ("verify_refused", 2));
    assert!(refusing.last_request().unwrap().require_biometric);
}

#[test]
fn pollers_start_back_off_from_a_dead_server_and_keep_running_when_the_vault_locks() {
    let h = Harness::new();
    assert_eq!(h.push().status().mode, ModeDto::Stopped);
    h.push().sync(h.app.handle());
    assert_eq!(h.push().status().mode, ModeDto::Stopped, "no token");

    // A token stored (as the CLI or an enrollment would) is picked up by the next sync.
    let stored = token();
    h.push().save(h.app.handle(), &stored).unwrap();
    h.push().sync(h.app.handle());
    let status = h.push().status();
    assert_ne!(status.mode, ModeDto::Stopped);
    assert_eq!(status.servers.len(), 1);
    // Its first poll fails (connection refused): the server is reported down with a back-off.
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.push().status().servers[0].up {
        assert!(Instant::now() < deadline, "no ServerDown");
        std::thread::sleep(Duration::from_millis(50));
    }
    let down = h.push().status().servers[0].clone();
    assert_eq!(down.error, Some("push_network"));
    assert!((5..=6).contains(&down.retry_in_secs.unwrap()), "{down:?}");

    // Several servers side by side: one poller each (same serial, another server: another token).
    let elsewhere = token_at("127.0.0.2%3A5000");
    h.push().save(h.app.handle(), &elsewhere).unwrap();
    h.push().sync(h.app.handle());
    let servers: Vec<String> = h
        .push()
        .status()
        .servers
        .into_iter()
        .map(|s| s.server)
        .collect();
    assert_eq!(servers, [SERVER, "http://127.0.0.2:5000"]);
    assert_eq!(h.push().tokens(h.app.handle()).unwrap().len(), 2);
    // A prompt is open when the vault locks: it stays open and the pollers keep running, from
    // the push key store (the vault's account secrets are gone).
    let token = PushService::inner(&h.push()).token(&stored.id()).unwrap();
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Request {
            token_id: token.id(),
            request: verified_request(SystemTime::now()),
        },
    );
    h.app.state::<AppState>().lock();
    h.push()
        .tick(h.app.handle(), tessera_presence::Reading::default());
    let status = h.push().status();
    assert_ne!(status.mode, ModeDto::Stopped);
    assert_eq!((status.prompts.len(), status.servers.len()), (1, 2));
    assert!(
        h.app.state::<AppState>().list(UnixTime(1)).is_err(),
        "accounts stay locked"
    );
    assert_eq!(h.push().tokens(h.app.handle()).unwrap().len(), 2);

    // A restart with the vault locked: the push key store opens through its own keychain
    // entry, without the vault, and polling starts.
    let restarted = Harness::with_vault_of(&h);
    assert!(!restarted.app.state::<AppState>().is_unlocked());
    restarted.push().sync(restarted.app.handle());
    let status = restarted.push().status();
    assert_ne!(status.mode, ModeDto::Stopped);
    assert_eq!(status.servers.len(), 2);
    assert!(!restarted.app.state::<AppState>().is_unlocked());
}

#[test]
fn a_push_link_from_outside_waits_with_a_preview_and_can_be_dismissed() {
    let h = Harness::new();
    let error = h.push().offer_link("pia://pipush/X?v=1").unwrap_err();
    assert_eq!(error.code, "push_invalid_uri");
    h.push()
        .offer_link("pia://pipush/Work%20laptop?url=https%3A//pi.example.com/ttype/push&issuer=ACME&enrollment_credential=c0ffee&v=1&serial=PIPU0000BEEF&sslverify=1")
        .unwrap();
    let link = h.push().status().link.unwrap();
    assert_eq!(
        (
            link.label.as_str(),
            link.issuer.as_deref(),
            link.server.as_str(),
            link.sslverify
        ),
        ("Work laptop", Some("ACME"), "https://pi.example.com", true)
    );
    // The preview never carries the credential.
    let json = serde_json::to_string(&h.push().status()).unwrap();
    assert!(!json.contains("c0ffee"), "{json}");
    h.push().dismiss_link();
    assert!(h.push().status().link.is_none());
}

/// Issue 16: plain http to another computer, and a link that turns TLS checks off without the
/// user's explicit choice, are refused before the device key is made (no progress step).
#[test]
fn insecure_links_are_refused_before_any_key_is_made() {
    let h = Harness::new();
    let steps = Mutex::new(Vec::new());
    let enroll = |link: &str, allow: bool| {
        tauri::async_runtime::block_on(h.push().enroll(h.app.handle(), link, allow, |step| {
            steps.lock().unwrap().push(step)
        }))
        .unwrap_err()
        .code
    };
    let plain = "otpauth://pipush/X?v=1&serial=PIPU1&enrollment_credential=c&url=http://192.0.2.1/ttype/push";
    assert_eq!(enroll(plain, false), "push_insecure_url");
    assert_eq!(
        enroll(plain, true),
        "push_insecure_url",
        "no choice makes http safe"
    );
    let unchecked = "otpauth://pipush/X?v=1&serial=PIPU1&enrollment_credential=c&sslverify=0&url=https://192.0.2.1/ttype/push";
    assert_eq!(enroll(unchecked, false), "push_unverified_tls");
    assert!(steps.lock().unwrap().is_empty(), "no key made");
    // The same from outside: the preview says so, and "add" without the choice is refused
    // (the link stays for the deliberate retry).
    assert_eq!(
        h.push().offer_link(plain).unwrap_err().code,
        "push_insecure_url"
    );
    h.push().offer_link(unchecked).unwrap();
    assert!(!h.push().status().link.unwrap().sslverify);
    let refused =
        tauri::async_runtime::block_on(h.push().enroll_link(h.app.handle(), false, |step| {
            steps.lock().unwrap().push(step)
        }))
        .unwrap_err();
    assert_eq!(refused.code, "push_unverified_tls");
    assert!(steps.lock().unwrap().is_empty(), "no key made");
    assert!(h.push().status().link.is_some());
}

#[test]
fn codes_use_the_server_time_only_when_the_user_chose_it() {
    let h = Harness::new();
    let local = UnixTime(1_795_946_876);
    assert_eq!(h.push().code_time(local), local);
    // The offset learnt from a server 95 s behind this computer's clock.
    h.push()
        .client()
        .unwrap()
        .set_clock_offset(tessera_push::ClockOffset::from_millis(-95_000));
    assert_eq!(h.push().code_time(local), local, "not chosen yet");
    h.push().use_server_time(true);
    assert!(h.push().status().server_time_for_codes);
    assert_eq!(h.push().code_time(local), UnixTime(1_795_946_781));
    h.push().use_server_time(false);
    assert_eq!(h.push().code_time(local), local);
}

#[test]
fn the_tick_polls_fast_while_the_user_is_at_the_desktop_and_slowly_when_away_or_locked() {
    let h = Harness::new();
    h.push().save(h.app.handle(), &token()).unwrap();
    let reading = |idle_secs: u64, screen_locked: Option<bool>| tessera_presence::Reading {
        idle: Some(Duration::from_secs(idle_secs)),
        screen_locked,
    };
    // No window is shown (the mock app has none): the OS's idle time decides.
    let cases = [
        (
            "typing in a browser",
            reading(2, Some(false)),
            ModeDto::Active,
        ),
        (
            "no input for 3 minutes",
            reading(180, Some(false)),
            ModeDto::Idle,
        ),
        (
            "input 119 s ago, no lock source",
            reading(119, None),
            ModeDto::Active,
        ),
        (
            "screen locked a second after input",
            reading(1, Some(true)),
            ModeDto::Idle,
        ),
    ];
    for (name, reading, want) in cases {
        let _ = h.push().tick(h.app.handle(), reading);
        assert_eq!(h.push().status().mode, want, "{name}");
    }
    // Back at the screen: the screen-unlock edge polls at once and fast for a while, before
    // the next reading says anything.
    h.push().user_back();
    assert_eq!(h.push().status().mode, ModeDto::Active);
}

#[test]
fn the_tick_polls_slowly_with_no_window_in_use_and_fast_on_check_now_or_a_prompt() {
    let h = Harness::new();
    let stored = token();
    h.push().save(h.app.handle(), &stored).unwrap();
    // The mock app has no window shown: nobody is looking.
    h.push()
        .tick(h.app.handle(), tessera_presence::Reading::default());
    assert_eq!(h.push().status().mode, ModeDto::Idle);
    h.push().check_now();
    assert_eq!(h.push().status().mode, ModeDto::Active);

    let h = Harness::new();
    h.push().save(h.app.handle(), &stored).unwrap();
    h.push()
        .tick(h.app.handle(), tessera_presence::Reading::default());
    assert_eq!(h.push().status().mode, ModeDto::Idle);
    let token = PushService::inner(&h.push()).token(&stored.id()).unwrap();
    h.push().handle(
        h.app.handle(),
        SERVER,
        PollEvent::Request {
            token_id: token.id(),
            request: verified_request(SystemTime::now()),
        },
    );
    assert_eq!(h.push().status().mode, ModeDto::Active, "a prompt is open");
}
