//! The sign-in activity log: every outcome of a verified request, kept in the push key store.

use tauri::{AppHandle, Runtime};
use tessera_push::store::{
    ActivityDecision, ActivityEntry, Outcome, append_activity, load_activity,
};
use tessera_push::{PushRequest, PushToken, Verified};

use super::keystore::unix_now;
use super::service::PushService;
use crate::dto::push::PushEvent;
use crate::error::IpcError;

impl PushService {
    pub(super) fn log<R: Runtime>(
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

    /// The sign-in history, newest first.
    pub(crate) fn activity<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Vec<ActivityEntry>, IpcError> {
        let mut entries = self.with_store(app, |store| Ok(load_activity(store.data())))?;
        entries.reverse();
        Ok(entries)
    }
}
