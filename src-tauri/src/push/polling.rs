//! Poller supervision: one `tessera_push` poller per server of the stored tokens, started,
//! updated and stopped to match the push key store; their events go to [`super::events`].

use std::sync::Arc;
use std::time::Instant;

use tauri::{AppHandle, Manager, Runtime};
use tessera_push::PushToken;
use tessera_push::pollers::{PollerSet, ServerEvent};
use tessera_push::store::{PUSH_SECTION, load_activity, load_tokens, seen_nonces};
use tessera_push::transport::Schedule;

use super::service::PushService;
use crate::dto::push::{ClosedReason, PushEvent, ServerStatusDto};

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
}
