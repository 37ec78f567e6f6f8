//! Poller supervision: one `tessera_push` poller per server of the stored tokens, started,
//! updated and stopped to match the push key store, and their events turned into prompts,
//! closings, server status and activity entries.

use std::sync::Arc;
use std::time::Instant;

use tauri::{AppHandle, Manager, Runtime};
use tessera_push::PushToken;
use tessera_push::pollers::{PollerSet, ServerEvent};
use tessera_push::store::{
    ActivityDecision, Outcome, PUSH_SECTION, load_activity, load_tokens, seen_nonces,
};
use tessera_push::transport::{PollEvent, Schedule};

use super::attention::notify;
use super::service::PushService;
use crate::dto::push::{ClosedReason, PromptDto, PushEvent, ServerStatusDto};

impl PushService {
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
}
