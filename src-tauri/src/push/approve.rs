//! Answering a prompt: the number check, the verification an approval needs, the signed answer,
//! and denying every open prompt at once.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use tauri::{AppHandle, Manager, Runtime};
use tessera_push::answer::{NumberError, answer, check_number};
use tessera_push::approval::{Required, verification_due};
use tessera_push::protocol::expires_at;
use tessera_push::{Decision, PushRequest, Verified};
use zeroize::Zeroizing;

use super::service::PushService;
use crate::dto::push::{AnswerDto, ClosedReason, PushEvent};
use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::verification::{Purpose, Verification};

/// An approval whose number does not fit the request: the UI's input error, the prompt still
/// open (nothing was sent).
fn number_invalid(error: NumberError) -> IpcError {
    IpcError::invalid(None, error.to_string())
}

impl PushService {
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
}
