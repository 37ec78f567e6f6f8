//! Push sign-in approvals in the app (privacyIDEA push, poll-only; issue 7).
//!
//! [`PushService`] is managed Tauri state. Whenever Tessera runs, window shown or hidden, vault
//! unlocked or locked, it runs one `tessera_push` [`Poller`] per server on Tauri's tokio
//! runtime, fast while the window is in use, just after a wake or while a prompt is open, slow
//! otherwise, with the poller's own back-off when a server is down. The tokens come from the
//! push key store ([`tessera_push::sealed`]), not from the vault: it opens at start through its
//! own keychain entry (or at the first unlock), holds the device keys and nothing else, and
//! stays open when the vault locks, so only what polling needs is usable in the background.
//! The tick thread of [`spawn_tick`] notices unlocks (the store is made or re-bound then), token
//! changes (the CLI enrolling, say), window visibility and waking from sleep.
//!
//! Only `PushRequest<Verified>` reaches the book of open prompts and the UI; what the poller
//! drops (forged, replayed, unknown serial, expired) is only counted, in memory: unverified, its
//! nonce written to the activity log would pass for seen and hide the genuine request. Answers
//! are signed and sent by `tessera_push`; every outcome goes to the activity log.
//!
//! The prompt is an in-app modal in the main window (over the lock screen when the vault is
//! locked), which is brought to the front and kept on top while a prompt is open: one webview
//! keeps the IPC surface and the capability to a single window (no second window that must also
//! be denied everything else).

pub(crate) mod book;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use tessera_core::UnixTime;
use tessera_push::answer::{NumberError, answer, check_number};
use tessera_push::approval::{Required, verification_due};
use tessera_push::pollers::{PollerSet, ServerEvent};
use tessera_push::protocol::KeySize;
use tessera_push::protocol::expires_at;
use tessera_push::sealed::{PushStore, PushStoreError};
use tessera_push::store::{
    ActivityDecision, ActivityEntry, Outcome, PUSH_SECTION, append_activity, load_activity,
    load_tokens, remove_token, rename_token, save_token, seen_nonces,
};
use tessera_push::transport::{ClientConfig, PollEvent, PollerMode, Schedule, make_device_key};
use tessera_push::{
    Decision, EnrollmentUri, PushClient, PushError, PushRequest, PushToken, Verified,
};

use self::book::{AWAY_AFTER, Presence, PromptBook, ScreenLockEdges, WakeDetector};
use crate::dto::push::{
    AnswerDto, ClosedReason, EnrollStep, ModeDto, PromptDto, PushEvent, PushLinkDto, PushStatusDto,
    PushTokenDto, ServerStatusDto,
};
use zeroize::Zeroizing;

use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::verification::{Purpose, Verification};

/// privacyIDEA accepts poll timestamps within ±60 s of its clock (protocol doc §5). Beyond
/// this the app compensates, but tells the user their clock is wrong.
const CLOCK_TOLERANCE_SECS: i64 = 60;
const MAIN_WINDOW: &str = "main";

/// An approval whose number does not fit the request: the UI's input error, the prompt still
/// open (nothing was sent).
fn number_invalid(error: NumberError) -> IpcError {
    IpcError::invalid(None, error.to_string())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain book-keeping: consistent after any panic (every change is one insert or remove).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Managed state: pollers, open prompts, server status, and the UI's push channels.
#[derive(Default)]
pub(crate) struct PushService {
    client: OnceLock<PushClient>,
    inner: Mutex<Inner>,
    channels: Mutex<Vec<Channel<PushEvent>>>,
    /// The user chose to compute TOTP codes at the push server's time (for this session: the
    /// offset is learnt again from every answer, and the real fix is the system clock).
    server_time_for_codes: AtomicBool,
}

/// How long to wait before asking the keychain again for a push store it could not open.
const STORE_RETRY: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Inner {
    /// The open push key store; `None` before it could be opened (no token enrolled yet, or a
    /// store that only the vault opens and a vault not unlocked since start).
    store: Option<PushStore>,
    /// The last failed attempt to open it: no new one before this instant (a keychain that
    /// does not answer is not asked every second), unless the vault was unlocked since (the
    /// bool: whether it was unlocked then).
    store_retry: Option<(Instant, bool)>,
    /// Whether the vault was unlocked at the last tick (an unlock opens or re-binds the store;
    /// a lock drops the held enrollment link).
    unlocked: bool,
    /// The `push` section the pollers were started from; `None`: stopped (no store).
    fingerprint: Option<String>,
    tokens: Vec<Arc<PushToken>>,
    /// One poller per server of `tokens`; `None` until the first sync with tokens (the set
    /// needs Tauri's runtime) and after a stop.
    pollers: Option<PollerSet>,
    book: PromptBook,
    /// Token id -> the error code its polls keep hitting.
    problems: HashMap<String, &'static str>,
    /// Server origin -> whether its poller is backing off.
    servers: BTreeMap<String, ServerStatusDto>,
    presence: Option<Presence>,
    wake: Option<WakeDetector>,
    mode: Option<PollerMode>,
    on_top: bool,
    /// Requests dropped unshown since start (forged, replayed, unknown serial): counted here
    /// only, never stored.
    dropped: u64,
    /// A push enrollment link opened from outside: the text (it holds the one-time enrollment
    /// credential, so it is wiped when dropped) and its preview.
    link: Option<(Zeroizing<String>, PushLinkDto)>,
}

impl Inner {
    fn presence(&mut self) -> &mut Presence {
        self.presence.get_or_insert(Presence {
            last_focus: None,
            woke: None,
            at_desktop: None,
        })
    }

    fn token(&self, id: &str) -> Option<Arc<PushToken>> {
        self.tokens.iter().find(|token| token.id() == id).cloned()
    }

    /// Applies the poll speed the presence calls for; `true` when it changed.
    fn apply_mode(&mut self, now: Instant) -> bool {
        let open = !self.book.is_empty();
        let mode = self.presence().mode(now, open);
        if self.mode == Some(mode) {
            return false;
        }
        self.mode = Some(mode);
        if let Some(pollers) = self.pollers.as_mut() {
            pollers.set_mode(mode);
        }
        true
    }
}

fn unix_now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|since| since.as_secs())
            .unwrap_or_default(),
    )
}

impl PushService {
    fn client(&self) -> Result<&PushClient, IpcError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = PushClient::new(ClientConfig::default())?;
        Ok(self.client.get_or_init(|| client))
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    pub(crate) fn subscribe(&self, channel: Channel<PushEvent>) {
        lock(&self.channels).push(channel);
    }

    fn emit(&self, event: &PushEvent) {
        lock(&self.channels).retain(|channel| channel.send(event.clone()).is_ok());
    }

    fn emit_status(&self) {
        let status = self.status();
        self.emit(&PushEvent::Status { status });
    }

    /// Pollers, clock and open prompts.
    pub(crate) fn status(&self) -> PushStatusDto {
        let offset = self.client.get().map(PushClient::clock_offset);
        let inner = self.inner();
        let mode = match (
            inner.fingerprint.is_some()
                && inner.pollers.as_ref().is_some_and(|set| !set.is_empty()),
            inner.mode,
        ) {
            (false, _) => ModeDto::Stopped,
            (true, Some(PollerMode::Idle)) => ModeDto::Idle,
            (true, _) => ModeDto::Active,
        };
        let clock_offset_secs = offset.map_or(0, |offset| offset.seconds());
        PushStatusDto {
            mode,
            servers: inner.servers.values().cloned().collect(),
            clock_offset_secs,
            clock_warning: clock_offset_secs.abs() > CLOCK_TOLERANCE_SECS,
            prompts: inner
                .book
                .iter()
                .map(|prompt| PromptDto::new(&prompt.token, &prompt.request))
                .collect(),
            link: inner.link.as_ref().map(|(_, preview)| preview.clone()),
            server_time_for_codes: self.server_time_for_codes.load(Ordering::Relaxed),
            dropped_count: inner.dropped,
        }
    }

    /// Computes TOTP codes at the push server's time from now on (or stops doing so).
    pub(crate) fn use_server_time(&self, enabled: bool) {
        self.server_time_for_codes.store(enabled, Ordering::Relaxed);
        self.emit_status();
    }

    /// The instant codes are computed at: `local`, or the push server's time when the user
    /// chose it and an offset is known (a machine whose clock is wrong gets right codes).
    pub(crate) fn code_time(&self, local: UnixTime) -> UnixTime {
        if !self.server_time_for_codes.load(Ordering::Relaxed) {
            return local;
        }
        let offset = self
            .client
            .get()
            .map_or(0, |client| client.clock_offset().seconds());
        UnixTime(local.0.saturating_add_signed(offset))
    }

    /// Keeps a push enrollment link opened from outside (a deep link) until the user adds or
    /// dismisses it; the UI hears about it through a status event.
    pub(crate) fn offer_link(&self, text: &str) -> Result<(), IpcError> {
        let uri = EnrollmentUri::parse(text.trim()).map_err(PushError::from)?;
        self.inner().link = Some((
            Zeroizing::new(text.trim().to_owned()),
            PushLinkDto::new(&uri),
        ));
        self.emit_status();
        Ok(())
    }

    /// Enrolls the waiting link (kept if enrollment fails, so the user can retry).
    /// `allow_unverified_tls`: see [`Self::enroll`].
    pub(crate) async fn enroll_link<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        allow_unverified_tls: bool,
        progress: impl Fn(EnrollStep),
    ) -> Result<PushTokenDto, IpcError> {
        let link = self
            .inner()
            .link
            .as_ref()
            .map(|(text, _)| Zeroizing::new(text.as_str().to_owned()))
            .ok_or_else(|| IpcError::not_found("push enrollment link"))?;
        let token = self
            .enroll(app, &link, allow_unverified_tls, progress)
            .await?;
        self.dismiss_link();
        Ok(token)
    }

    pub(crate) fn dismiss_link(&self) {
        self.inner().link = None;
        self.emit_status();
    }

    /// Once a second (the tick thread): wake and presence (`desktop`: what the OS says of the
    /// user, see [`tessera_presence`]), then [`Self::sync`]. Returns whether the machine woke
    /// from sleep since the last tick (the two clocks parted).
    pub(crate) fn tick<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        desktop: tessera_presence::Reading,
    ) -> bool {
        let now = Instant::now();
        let in_use = app.get_webview_window(MAIN_WINDOW).is_some_and(|window| {
            window.is_visible().unwrap_or(false) && !window.is_minimized().unwrap_or(false)
        });
        let woke = {
            let mut inner = self.inner();
            let woke = inner
                .wake
                .get_or_insert_with(WakeDetector::new)
                .tick(SystemTime::now(), now);
            if in_use {
                inner.presence().last_focus = Some(now);
            }
            inner.presence().at_desktop = desktop.present(AWAY_AFTER);
            if woke {
                inner.presence().woke = Some(now);
                if let Some(pollers) = &inner.pollers {
                    pollers.check_now();
                }
            }
            woke
        };
        let unlocked = app.state::<AppState>().is_unlocked();
        let locked_now = {
            let mut inner = self.inner();
            let was = std::mem::replace(&mut inner.unlocked, unlocked);
            if was && !unlocked {
                // Lock means locked: a held enrollment link (its one-time credential) goes too.
                inner.link = None;
            }
            was && !unlocked
        };
        if locked_now {
            self.emit_status();
        }
        self.sync(app);
        let changed = self.inner().apply_mode(now);
        if changed || woke {
            self.emit_status();
        }
        woke
    }

    /// Opens the push key store if it is not open yet: made, moved out of the vault or
    /// re-bound when the vault is unlocked, else through its own keychain entry (at most every
    /// [`STORE_RETRY`]). Nothing happens when it is open already.
    fn open_store<R: Runtime>(&self, app: &AppHandle<R>) {
        let state = app.state::<AppState>();
        let Some(vault_path) = state.vault_path().map(ToOwned::to_owned) else {
            return;
        };
        let unlocked = state.is_unlocked();
        {
            let mut inner = self.inner();
            if inner.store.is_some() {
                return;
            }
            // An unlock is worth trying at once; otherwise a failure is not retried every second
            // (a keychain that does not answer, a disk that fails).
            let now = Instant::now();
            let due = inner
                .store_retry
                .is_none_or(|(at, was_unlocked)| now >= at || (unlocked && !was_unlocked));
            if !due || (!unlocked && !PushStore::path_beside(&vault_path).exists()) {
                return;
            }
            inner.store_retry = Some((now + STORE_RETRY, unlocked));
        }
        let opened = if unlocked {
            state.with_unlocked(|vault| {
                PushStore::open_from_vault(vault, Some(state.keychain()), unix_now())
                    .map_err(IpcError::from)
            })
        } else {
            PushStore::open_with_keychain(&vault_path, state.keychain()).map_err(IpcError::from)
        };
        match opened {
            Ok(store) => {
                let mut inner = self.inner();
                if inner.store.is_none() {
                    inner.store = Some(store);
                }
            }
            // Locked meanwhile, or a store only the vault opens: the next unlock opens it.
            Err(error) if matches!(error.code, "locked" | "push_store_needs_vault") => {}
            Err(error) => eprintln!(
                "tessera-desktop: push key store not opened ({})",
                error.code
            ),
        }
    }

    /// Runs `action` on the open push key store (opening it first if the vault allows).
    fn with_store<R: Runtime, T>(
        &self,
        app: &AppHandle<R>,
        action: impl FnOnce(&mut PushStore) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        self.open_store(app);
        let mut inner = self.inner();
        let store = inner.store.as_mut().ok_or_else(|| {
            IpcError::from(PushStoreError::NeedsVault(
                tessera_core::VaultError::NoKeychainSlot,
            ))
        })?;
        action(store)
    }

    /// Starts, updates or stops the pollers to match the push key store: one poller per server
    /// of the stored tokens, whether the vault is locked or not; none before the store is open.
    /// Cheap when nothing changed (compares the `push` section, which holds no key).
    pub(crate) fn sync<R: Runtime>(&self, app: &AppHandle<R>) {
        self.open_store(app);
        let fingerprint = {
            let mut inner = self.inner();
            inner.store.as_mut().map(|store| {
                // Another process (the CLI) may have enrolled or removed a token.
                let _ = store.reload_if_changed();
                store
                    .data()
                    .section(PUSH_SECTION)
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
        };
        let Some(fingerprint) = fingerprint else {
            self.stop();
            self.update_window(app);
            return;
        };
        if self.inner().fingerprint.as_deref() == Some(fingerprint.as_str()) {
            return;
        }
        let loaded = self.with_store(app, |store| {
            let tokens = load_tokens(store.data())?;
            // Only verified requests that were answered or closed: a logged forgery (older
            // versions wrote them) must not hide the genuine request.
            let seen = seen_nonces(&load_activity(store.data()));
            Ok((tokens, seen))
        });
        let (tokens, seen) = match loaded {
            Ok(loaded) => loaded,
            Err(error) => {
                // A damaged push section: nothing can poll; keep the accounts usable.
                eprintln!("tessera-desktop: push tokens unreadable ({})", error.code);
                (Vec::new(), Vec::new())
            }
        };
        let Ok(client) = self.client().cloned() else {
            return;
        };
        let tokens: Vec<Arc<PushToken>> = tokens.into_iter().map(Arc::new).collect();
        let closed = {
            let mut inner = self.inner();
            let now = Instant::now();
            let open = !inner.book.is_empty();
            let mode = inner.presence().mode(now, open);
            inner.mode = Some(mode);
            // The pollers' tasks need a tokio context: Tauri's runtime.
            let runtime = tauri::async_runtime::handle();
            let _context = runtime.inner().enter();
            let pollers = inner.pollers.get_or_insert_with(|| {
                let (pollers, mut events) = PollerSet::new(client, Schedule::default(), mode);
                let forward = app.clone();
                tauri::async_runtime::spawn(async move {
                    while let Some(ServerEvent { server, event }) = events.recv().await {
                        forward
                            .state::<PushService>()
                            .handle(&forward, &server, event);
                    }
                });
                pollers
            });
            pollers.set_mode(mode);
            let changes = pollers.set_tokens(&tokens, &seen);
            for server in changes.stopped {
                inner.servers.remove(&server);
            }
            for server in changes.started {
                inner.servers.insert(
                    server.clone(),
                    ServerStatusDto {
                        server,
                        up: true,
                        retry_in_secs: None,
                        error: None,
                    },
                );
            }
            inner
                .problems
                .retain(|id, _| tokens.iter().any(|token| token.id() == *id));
            // Prompts of removed tokens cannot be answered any more.
            let gone: Vec<String> = inner
                .book
                .iter()
                .filter(|prompt| !tokens.iter().any(|token| token.id() == prompt.token.id()))
                .map(|prompt| prompt.request.nonce().to_owned())
                .collect();
            for nonce in &gone {
                inner.book.remove(nonce);
            }
            inner.tokens = tokens;
            inner.fingerprint = Some(fingerprint);
            gone
        };
        for nonce in closed {
            self.emit(&PushEvent::Closed {
                nonce,
                reason: ClosedReason::Withdrawn,
            });
        }
        self.update_window(app);
        self.emit_status();
    }

    /// Stops every poller and forgets open prompts and tokens (keys are dropped with them); the
    /// store itself stays open.
    pub(crate) fn stop(&self) {
        let closed = {
            let mut inner = self.inner();
            if inner.fingerprint.is_none() {
                return;
            }
            inner.fingerprint = None;
            // Dropping the set stops its pollers, and with them the task forwarding their events.
            inner.pollers = None;
            inner.tokens.clear();
            inner.servers.clear();
            inner.problems.clear();
            let nonces = inner.book.nonces();
            inner.book.clear();
            nonces
        };
        for nonce in closed {
            self.emit(&PushEvent::Closed {
                nonce,
                reason: ClosedReason::Locked,
            });
        }
        self.emit_status();
    }

    /// One poller event: prompts in, closings out, everything that was not shown logged.
    pub(crate) fn handle<R: Runtime>(&self, app: &AppHandle<R>, server: &str, event: PollEvent) {
        match event {
            PollEvent::Request { token_id, request } => {
                let Some(token) = self.inner().token(&token_id) else {
                    return;
                };
                let prompt = PromptDto::new(&token, &request);
                let added = {
                    let mut inner = self.inner();
                    let added = inner.book.add(token, request);
                    inner.apply_mode(Instant::now());
                    added
                };
                if added {
                    self.emit(&PushEvent::Prompt {
                        prompt: prompt.clone(),
                    });
                    self.update_window(app);
                    notify(app, &prompt);
                }
            }
            // Counted, never stored: nothing of an unverified request is the server's word.
            PollEvent::Dropped { .. } => {
                let mut inner = self.inner();
                inner.dropped = inner.dropped.saturating_add(1);
                drop(inner);
                self.emit_status();
            }
            PollEvent::Expired { nonce, .. } => {
                self.close_unanswered(app, &nonce, ClosedReason::Expired, Outcome::Expired);
            }
            PollEvent::Withdrawn { nonce, .. } => {
                self.close_unanswered(app, &nonce, ClosedReason::Withdrawn, Outcome::Withdrawn);
            }
            PollEvent::TokenProblem { token_id, error } => {
                self.inner().problems.insert(token_id, error.code());
                self.emit_status();
            }
            PollEvent::ServerDown { error, retry_in } => {
                self.set_server(server, false, Some(retry_in.as_secs()), Some(error.code()));
            }
            PollEvent::ServerUp => self.set_server(server, true, None, None),
            _ => {}
        }
    }

    fn set_server(
        &self,
        server: &str,
        up: bool,
        retry_in_secs: Option<u64>,
        error: Option<&'static str>,
    ) {
        self.inner().servers.insert(
            server.to_owned(),
            ServerStatusDto {
                server: server.to_owned(),
                up,
                retry_in_secs,
                error,
            },
        );
        self.emit_status();
    }

    fn close_unanswered<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        nonce: &str,
        reason: ClosedReason,
        outcome: Outcome,
    ) {
        let Some(prompt) = self.inner().book.remove(nonce) else {
            return;
        };
        self.emit(&PushEvent::Closed {
            nonce: nonce.to_owned(),
            reason,
        });
        self.update_window(app);
        self.log(
            app,
            &prompt.token,
            nonce,
            Some(&prompt.request),
            ActivityDecision::None,
            outcome,
        );
    }

    fn log<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        token: &PushToken,
        nonce: &str,
        request: Option<&PushRequest<Verified>>,
        decision: ActivityDecision,
        outcome: Outcome,
    ) {
        let entry = ActivityEntry::new(
            unix_now(),
            token,
            nonce,
            request.map_or("", PushRequest::title),
            request.map_or("", PushRequest::question),
            decision,
            outcome,
        );
        let written = self.with_store(app, |store| {
            store.update(|data| append_activity(data, &entry).map_err(IpcError::from))
        });
        match written {
            Ok(()) => self.emit(&PushEvent::Activity),
            // The disk failed: the decision was still sent.
            Err(error) => eprintln!("tessera-desktop: activity not logged ({})", error.code),
        }
    }

    /// Keeps the main window in front while a prompt is open, and lets it go afterwards.
    fn update_window<R: Runtime>(&self, app: &AppHandle<R>) {
        let want = !self.inner().book.is_empty();
        let changed = {
            let mut inner = self.inner();
            let changed = inner.on_top != want;
            inner.on_top = want;
            changed
        };
        if !want && !changed {
            return;
        }
        let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
            return;
        };
        if want {
            let _ = window.show();
            let _ = window.unminimize();
            if changed {
                let _ = window.set_always_on_top(true);
            }
            let _ = window.set_focus();
        } else if changed {
            let _ = window.set_always_on_top(false);
        }
    }

    /// Sends the user's decision on an open prompt and logs the outcome. A refused
    /// number-matching pick, or an answer that could not be delivered, leaves the prompt open
    /// for another try until it expires.
    ///
    /// An approval is sent only after the verification due ([`verification_due`]): the OS's
    /// ("it's me"), or `stand_in` (the vault passphrase or recovery key) where the OS has no
    /// verifier. A refused, cancelled or timed-out verification sends nothing and leaves the
    /// prompt answerable. A denial never needs it.
    pub(crate) async fn answer<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        nonce: &str,
        decision: Decision,
        stand_in: Option<&str>,
    ) -> Result<AnswerDto, IpcError> {
        let (token, request) = {
            let inner = self.inner();
            let prompt = inner
                .book
                .get(nonce)
                .ok_or_else(|| IpcError::not_found("sign-in request"))?;
            (Arc::clone(&prompt.token), prompt.request.clone())
        };
        // Before the verification: nobody is asked for a fingerprint to send a wrong number.
        check_number(&request, &decision).map_err(number_invalid)?;
        let state = app.state::<AppState>();
        let every_approval = state
            .settings_if_unlocked()
            .is_some_and(|settings| settings.verify_every_approval);
        if let Some(required) = verification_due(
            &decision,
            !state.is_unlocked(),
            token.force_unlock,
            every_approval,
        ) {
            self.verify(app, &request, required, stand_in).await?;
        }
        let client = self.client()?.clone();
        let answered = answer(&client, &token, &request, &decision)
            .await
            .map_err(number_invalid)?;
        if !answered.retry {
            let removed = {
                let mut inner = self.inner();
                if let Some(pollers) = &inner.pollers {
                    pollers.answered(token.server(), nonce, SystemTime::now());
                }
                let removed = inner.book.remove(nonce).is_some();
                inner.apply_mode(Instant::now());
                removed
            };
            if removed {
                self.emit(&PushEvent::Closed {
                    nonce: nonce.to_owned(),
                    reason: ClosedReason::Answered,
                });
            }
            self.update_window(app);
        }
        self.log(
            app,
            &token,
            nonce,
            Some(&request),
            answered.decision,
            answered.outcome.clone(),
        );
        Ok(AnswerDto::new(nonce, &answered))
    }

    /// Verifies the user for an approval: with `stand_in` (the vault passphrase or recovery key,
    /// checked against the vault file) when given, else with the OS verifier, withdrawn when
    /// the request expires.
    async fn verify<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        request: &PushRequest<Verified>,
        required: Required,
        stand_in: Option<&str>,
    ) -> Result<(), IpcError> {
        if let Some(secret) = stand_in {
            // Argon2 takes about half a second: on the blocking pool, not an async worker.
            let (app, secret) = (app.clone(), Zeroizing::new(secret.to_owned()));
            return tauri::async_runtime::spawn_blocking(move || {
                app.state::<AppState>().check_stand_in(&secret)
            })
            .await
            .map_err(|_| {
                IpcError::new(IpcErrorCode::Unknown, "the verification worker stopped")
            })?;
        }
        let left = expires_at(request)
            .duration_since(SystemTime::now())
            .unwrap_or_default();
        app.state::<Verification>()
            .ask(
                app,
                Purpose::Approve(request.title()),
                required.biometric,
                Some(Instant::now() + left),
            )
            .await
            // No verifier to ask: the vault's own secret stands in, and the user is told why.
            .map_err(|error| {
                crate::verification::to_ipc(
                    error,
                    "type the vault passphrase or recovery key to approve instead",
                )
            })
    }

    /// Denies every open prompt (prompt bombing), with one reason for all.
    pub(crate) async fn deny_all<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        reason: Option<tessera_push::DeclineReason>,
    ) -> Vec<AnswerDto> {
        let nonces = self.inner().book.nonces();
        let mut answers = Vec::with_capacity(nonces.len());
        for nonce in nonces {
            if let Ok(answer) = self
                .answer(app, &nonce, Decision::Decline { reason }, None)
                .await
            {
                answers.push(answer);
            }
        }
        answers
    }

    /// The user is back (screen unlocked, machine woke): poll every server at once, and fast
    /// for a while.
    pub(crate) fn user_back(&self) {
        let mut inner = self.inner();
        inner.presence().woke = Some(Instant::now());
        inner.apply_mode(Instant::now());
        if let Some(pollers) = &inner.pollers {
            pollers.check_now();
        }
    }

    /// Polls every server now ("check now"); the user is here, so polling turns fast too.
    pub(crate) fn check_now(&self) {
        let mut inner = self.inner();
        inner.presence().last_focus = Some(Instant::now());
        // The user just clicked: at the desktop, whatever the last reading said.
        if inner.presence().at_desktop.is_some() {
            inner.presence().at_desktop = Some(true);
        }
        inner.apply_mode(Instant::now());
        if let Some(pollers) = &inner.pollers {
            pollers.check_now();
        }
    }

    /// The stored tokens, with the problem polling keeps hitting, if any.
    pub(crate) fn tokens<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Vec<PushTokenDto>, IpcError> {
        let tokens = self.with_store(app, |store| Ok(load_tokens(store.data())?))?;
        let inner = self.inner();
        Ok(tokens
            .iter()
            .map(|token| PushTokenDto::new(token, inner.problems.get(&token.id()).copied()))
            .collect())
    }

    pub(crate) fn rename<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        id: &str,
        label: &str,
    ) -> Result<(), IpcError> {
        let label = label.trim();
        if label.is_empty() {
            return Err(IpcError::invalid(None, "a push token needs a name"));
        }
        let renamed = self.with_store(app, |store| {
            store.update(|data| rename_token(data, id, label).map_err(IpcError::from))
        })?;
        if !renamed {
            return Err(IpcError::not_found("push token"));
        }
        self.sync(app);
        Ok(())
    }

    /// Removes the token and its key from this vault (the server keeps its side).
    pub(crate) fn remove<R: Runtime>(&self, app: &AppHandle<R>, id: &str) -> Result<(), IpcError> {
        let removed = self.with_store(app, |store| {
            store.update(|data| remove_token(data, id).map_err(IpcError::from))
        })?;
        if !removed {
            return Err(IpcError::not_found("push token"));
        }
        self.sync(app);
        Ok(())
    }

    /// The sign-in history, newest first.
    pub(crate) fn activity<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Vec<ActivityEntry>, IpcError> {
        let mut entries = self.with_store(app, |store| Ok(load_activity(store.data())))?;
        entries.reverse();
        Ok(entries)
    }

    /// Enrolls a push token from an `otpauth://pipush/…` or `pia://pipush/…` link: makes the
    /// device key off the UI thread, registers it with the server, stores the token, and starts
    /// polling it. `progress` hears each step.
    ///
    /// `allow_unverified_tls` is the user's explicit choice to enroll a link that turns TLS
    /// certificate checks off (`sslverify=0`); the UI sends `true` only after its deliberate
    /// second step. Without it such a link, like plain http to another computer, is refused
    /// before the key is made.
    pub(crate) async fn enroll<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        link: &str,
        allow_unverified_tls: bool,
        progress: impl Fn(EnrollStep),
    ) -> Result<PushTokenDto, IpcError> {
        let uri = EnrollmentUri::parse(link.trim())
            .map_err(PushError::from)?
            .allowing_unverified_tls(allow_unverified_tls);
        uri.check_transport()?;
        let id = format!(
            "{}@{}",
            uri.serial(),
            uri.url().origin().ascii_serialization()
        );
        let exists = self.with_store(app, |store| {
            Ok(load_tokens(store.data())?
                .iter()
                .any(|token| token.id() == id))
        })?;
        if exists {
            return Err(IpcError::new(
                IpcErrorCode::PushDuplicate,
                "this push token is already enrolled",
            ));
        }
        let client = self.client()?.clone();
        progress(EnrollStep::Key);
        let key = make_device_key(KeySize::Rsa4096).await?;
        progress(EnrollStep::Register);
        let token = client.enroll(&uri, key).await?;
        self.save(app, &token)?;
        progress(EnrollStep::Saved);
        self.sync(app);
        Ok(PushTokenDto::new(&token, None))
    }
}

impl PushService {
    /// Stores a newly enrolled token (enrollment here or through self-service). The first one
    /// also turns "start at login" on: prompts only arrive while Tessera runs, and a user who
    /// enrolled a push token expects them after the next restart too (one click turns it off
    /// in Settings, and it is never turned on again behind their back while a token exists).
    pub(crate) fn save<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        token: &PushToken,
    ) -> Result<(), IpcError> {
        let first = self.with_store(app, |store| {
            let first = load_tokens(store.data())?.is_empty();
            store.update(|data| save_token(data, token).map_err(IpcError::from))?;
            Ok(first)
        })?;
        if first {
            start_at_login(app);
        }
        Ok(())
    }
}

/// Turns "start at login" on in the vault's settings and the OS's login items, and tells the UI
/// the settings changed. Best effort: a locked vault or a login item that cannot be written
/// leaves the setting as it was (the user still sees and sets it in Settings).
fn start_at_login<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Some(mut settings) = state.settings_if_unlocked() else {
        return;
    };
    if settings.start_at_login {
        return;
    }
    settings.start_at_login = true;
    let Ok(saved) = state.update_settings(&settings) else {
        return;
    };
    if let Some(hook) = app.try_state::<crate::state::SettingsHook>()
        && let Err(reason) = hook.apply(&saved)
    {
        eprintln!("tessera-desktop: start at login not applied ({reason})");
    }
    if let Some(events) = app.try_state::<crate::events::Events>() {
        events.emit(&crate::dto::BackendEvent::VaultChanged);
    }
}

/// A desktop notification for a new prompt, in the app's language; best effort (no
/// notification daemon under a bare X server, say). Server texts are the signed ones.
fn notify<R: Runtime>(app: &AppHandle<R>, prompt: &PromptDto) {
    use tauri_plugin_notification::NotificationExt as _;
    if app
        .try_state::<tauri_plugin_notification::Notification<R>>()
        .is_none()
    {
        return;
    }
    let language =
        crate::i18n::language_of(app.state::<AppState>().settings_if_unlocked().as_ref());
    let heading = crate::i18n::prompt_heading(language);
    let body = format!("{} — {}\n{}", prompt.title, prompt.server, prompt.question);
    let app = app.clone();
    // The D-Bus call can take a moment: not on the poller's or the UI's thread.
    tauri::async_runtime::spawn_blocking(move || {
        let _ = app
            .notification()
            .builder()
            .title(heading)
            .body(body)
            .show();
    });
}

/// The once-a-second push tick of the real app. It also reads whether the user is at the
/// computer (OS idle time, screen lock) and hands screen lock and unlock edges, and a wake it
/// noticed, to `on_session` (the session handler that locks the vault as the settings say and
/// polls at once when the user is back). The wake matters where no sleep signal reaches
/// Tessera (Windows, macOS, a Linux without logind): the vault then locks at the first second
/// after resuming, before anyone can use it.
pub(crate) fn spawn_tick<R: Runtime>(
    app: AppHandle<R>,
    on_session: impl Fn(crate::sessionwatch::SessionEvent) + Send + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("push-tick".into())
        .spawn(move || {
            let mut desktop = tessera_presence::Presence::system();
            let mut edges = ScreenLockEdges::default();
            loop {
                let reading = desktop.read();
                match edges.edge(reading.screen_locked) {
                    Some(true) => on_session(crate::sessionwatch::SessionEvent::ScreenLocked),
                    Some(false) => on_session(crate::sessionwatch::SessionEvent::ScreenUnlocked),
                    None => {}
                }
                if app.state::<PushService>().tick(&app, reading) {
                    on_session(crate::sessionwatch::SessionEvent::Sleep);
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
        .map(drop)
}
