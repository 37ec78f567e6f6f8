//! "It's me" by the OS, for the two places that ask: a push approval that needs it, and the lock
//! screen's "Use the keychain". One managed verifier, so tests answer for the user in one place.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tauri::{AppHandle, Manager, Runtime};
use tessera_verify::{Verifier, VerifyError};

use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;

/// Managed state: the OS verifier, the platform's at first use.
#[derive(Default)]
pub(crate) struct Verification {
    verifier: Mutex<Option<Arc<dyn Verifier>>>,
}

/// What the verification is for: the OS dialog says it in the user's language.
pub(crate) enum Purpose<'a> {
    /// Approving the sign-in with this title.
    Approve(&'a str),
    /// Unlocking the vault through the keychain.
    Unlock,
}

impl Verification {
    /// Replaces the OS verifier (tests answer for the user).
    #[cfg(test)]
    pub(crate) fn set(&self, verifier: Arc<dyn Verifier>) {
        *self.lock() = Some(verifier);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<dyn Verifier>>> {
        self.verifier.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks the OS to verify the user, on the blocking pool (the dialog waits for a person),
    /// withdrawn at `deadline`. A biometric-capable verifier is required when `biometric`.
    pub(crate) async fn ask<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        purpose: Purpose<'_>,
        biometric: bool,
        deadline: Option<Instant>,
    ) -> Result<(), VerifyError> {
        let language =
            crate::i18n::language_of(app.state::<AppState>().settings_if_unlocked().as_ref());
        let title = match purpose {
            Purpose::Approve(title) => Some(title),
            Purpose::Unlock => None,
        };
        let reason = crate::i18n::verification_reason(language, title);
        let mut request = tessera_verify::Request::new(reason).biometric(biometric);
        if let Some(deadline) = deadline {
            request = request.deadline(deadline);
        }
        // Windows Hello attaches its dialog to our window (else it may open behind it).
        #[cfg(windows)]
        if let Some(handle) = app
            .get_webview_window("main")
            .and_then(|window| window.hwnd().ok())
        {
            request = request.parent_window(handle.0 as isize);
        }
        let verifier = Arc::clone(
            self.lock()
                .get_or_insert_with(|| Arc::from(tessera_verify::platform())),
        );
        tauri::async_runtime::spawn_blocking(move || verifier.verify(&request))
            .await
            .map_err(|_| VerifyError::Failed {
                detail: "the verification worker stopped".to_owned(),
            })?
            .map(drop)
    }
}

/// A verification error as the UI sees it, where `stand_in` says what the user can type
/// instead when the OS has no verifier (`verify_stand_in`).
pub(crate) fn to_ipc(error: VerifyError, stand_in: &str) -> IpcError {
    if error.allows_stand_in() {
        return IpcError::new(IpcErrorCode::VerifyStandIn, format!("{error}: {stand_in}"));
    }
    error.into()
}
