//! The pollers' events: verified requests become prompts (window in front, notification),
//! expiries and withdrawals close them and are logged, drops are counted, server and token
//! problems reach the status.

use std::time::Instant;

use tauri::{AppHandle, Runtime};
use tessera_push::store::{ActivityDecision, Outcome};
use tessera_push::transport::PollEvent;

use super::attention::notify;
use super::service::PushService;
use crate::dto::push::{ClosedReason, PromptDto, PushEvent, ServerStatusDto};

impl PushService {
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
