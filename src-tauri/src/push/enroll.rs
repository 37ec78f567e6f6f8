//! Enrolling a push token from a link: the device key, the server's registration, the store,
//! and "start at login" turned on with the first token.

use tauri::{AppHandle, Manager, Runtime};
use tessera_push::protocol::KeySize;
use tessera_push::store::{load_tokens, save_token};
use tessera_push::transport::make_device_key;
use tessera_push::{EnrollmentUri, PushError, PushToken};

use super::service::PushService;
use crate::dto::push::{EnrollStep, PushTokenDto};
use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;

impl PushService {
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
        let id = uri.token_id();
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
