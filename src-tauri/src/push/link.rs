//! A push enrollment link opened from outside (a deep link): held with its preview until the
//! user adds or dismisses it.

use tauri::{AppHandle, Runtime};
use tessera_push::{EnrollmentUri, PushError};
use zeroize::Zeroizing;

use super::service::PushService;
use crate::dto::push::{EnrollStep, PushLinkDto, PushTokenDto};
use crate::error::IpcError;

impl PushService {
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
}
